"""Search benchmark: 10,000 German and English pages on PostgreSQL, index build time, query latency.

A benchmark, not a test: it prints figures and asserts nothing.

    createdb -h 127.0.0.1 -U postgres vsop_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vsop_bench .venv/bin/python bench/search_bench.py

or ``make bench-search``. Options: ``--pages N`` (default 10000), ``--queries N``
(default 300 per language). Pages of an earlier run in the same database are reused;
drop the database to start afresh.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vsop_cms.settings.dev")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vsop_bench")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models.signals import post_save  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import translation  # noqa: E402

from modelsearch.signal_handlers import post_save_signal_handler  # noqa: E402
from wagtail.models import Locale, Page, Site  # noqa: E402
from wagtail.search.models import IndexEntry  # noqa: E402

from home.models import HomePage  # noqa: E402
from search.query import past_events_last, searchable_pages  # noqa: E402
from topics.models import TopicIndexPage, TopicPage  # noqa: E402


def words(text):
    return text.split()


GERMAN = words("""Sozialplanung Kommune Landkreis Familien Familie Kinder Kindern Jugendliche Armut Familienarmut
Kinderarmut Pflege Pflegebedürftige Altenhilfe Quartier Quartiersentwicklung Teilhabe Inklusion
Eingliederungshilfe Wohnungslosigkeit Wohnen Gesundheit Prävention Bildung Schule Kita Betreuung
Sozialbericht Sozialberichterstattung Daten Statistik Indikatoren Steuerung Planung Beteiligung
Bürgerinnen Bürger Verwaltung Jugendhilfe Jugendhilfeplanung Sozialraum Sozialraumorientierung
Migration Integration Zuwanderung Arbeitsmarkt Langzeitarbeitslose Grundsicherung Rente Alter
Senioren Demografie Wandel Digitalisierung Fachkräfte Ehrenamt Netzwerk Kooperation Träger
Wohlfahrtsverbände Land Bund Förderung Finanzierung Haushalt Strategie Ziele Wirkung Evaluation
gleichwertige Lebensverhältnisse ländlicher Raum Stadt Region Mobilität Versorgung Infrastruktur""")
GERMAN_GLUE = words("die der und in für mit von zu den im auf ist werden als auch eine ein sich bei über nach")
ENGLISH = words("""social planning municipality county families family children child young people poverty
child poverty care long-term care elderly neighbourhood development participation inclusion
disability support homelessness housing health prevention education school childcare report
reporting data statistics indicators governance planning involvement citizens administration
youth welfare social space migration integration labour market unemployment basic income pension
ageing demography change digitalisation skilled workers volunteering network cooperation providers
welfare associations state federal funding budget strategy goals impact evaluation equivalent
living conditions rural areas city region mobility services infrastructure""")
ENGLISH_GLUE = words("the of and in for with to on is are as also a an by about after from")


def sentence(rng, words, glue, length):
    picked = [rng.choice(words) if rng.random() < 0.55 else rng.choice(glue) for _ in range(length)]
    return " ".join(picked).capitalize() + "."


def paragraph(rng, words, glue):
    return " ".join(sentence(rng, words, glue, rng.randint(8, 22)) for _ in range(rng.randint(3, 7)))


def ensure_site(locale_de, locale_en):
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=locale_de).first()
    if home is None:
        home = root.add_child(instance=HomePage(title="VSOP e.V.", slug="bench-home", locale=locale_de))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
        )
    home_en = HomePage.objects.filter(locale=locale_en).first() or home.copy_for_translation(locale_en)
    home_en.save_revision().publish()
    return home, home_en


def create_pages(count, rng, start=0):
    """count pages, half German under /de/themen-bench/, half English under /en/topics-bench/."""
    locale_de = Locale.objects.get_or_create(language_code="de")[0]
    locale_en = Locale.objects.get_or_create(language_code="en")[0]
    home_de, home_en = ensure_site(locale_de, locale_en)
    # Pages are indexed afterwards in one rebuild, which is what the benchmark times.
    for model in (TopicPage, TopicIndexPage):
        post_save.disconnect(post_save_signal_handler, sender=model)
    for home, locale, words, glue, slug in (
        (home_de, locale_de, GERMAN, GERMAN_GLUE, "themen-bench"),
        (home_en, locale_en, ENGLISH, ENGLISH_GLUE, "topics-bench"),
    ):
        index = TopicIndexPage.objects.filter(locale=locale, slug=slug).first() or home.add_child(
            instance=TopicIndexPage(title=slug, slug=slug, locale=locale)
        )
        for number in range(count // 2):
            title = " ".join(rng.choice(words) for _ in range(rng.randint(2, 5))).capitalize()
            body = [("paragraph", f"<p>{paragraph(rng, words, glue)}</p>") for _ in range(rng.randint(2, 5))]
            body.append(
                (
                    "guiding_questions",
                    {"heading": "", "questions": [sentence(rng, words, glue, 9)[:-1] + "?" for _ in range(3)]},
                )
            )
            with transaction.atomic():
                index.add_child(
                    instance=TopicPage(
                        title=title,
                        slug=f"{slug}-{start + number}",
                        locale=locale,
                        intro=sentence(rng, words, glue, 18),
                        body=body,
                    )
                )
            if number and number % 1000 == 0:
                print(f"  {locale.language_code}: {number} pages", flush=True)
    for model in (TopicPage, TopicIndexPage):
        post_save.connect(post_save_signal_handler, sender=model)


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))]


def report(label, timings):
    ms = [t * 1000 for t in timings]
    print(
        f"{label:<46} n={len(ms):<4} p50={statistics.median(ms):6.1f} ms  p95={percentile(ms, 0.95):6.1f} ms"
        f"  max={max(ms):6.1f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…/vsop_bench")

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(20210901)
    existing = TopicPage.objects.count()
    if existing < args.pages:
        print(f"Creating {args.pages - existing} topic pages (German and English) …", flush=True)
        started = time.perf_counter()
        create_pages(args.pages - existing, rng, start=existing // 2)
        print(f"  created in {time.perf_counter() - started:.0f} s")

    started = time.perf_counter()
    call_command("update_index", verbosity=0)
    build = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [IndexEntry._meta.db_table])
        index_size = cursor.fetchone()[0]
    pages = Page.objects.count()
    print(f"Dataset: {pages} pages ({TopicPage.objects.count()} topic pages), PostgreSQL {connection.pg_version}")
    print(f"Index build (manage.py update_index): {build:.1f} s, {IndexEntry.objects.count()} entries, {index_size}")

    client = Client()
    for language, vocabulary in (("de", GERMAN), ("en", ENGLISH)):
        locale = Locale.objects.get(language_code=language)
        queries = [f"{rng.choice(vocabulary)} {rng.choice(vocabulary)}" for _ in range(args.queries)]
        with translation.override(language):
            pages_of_language = searchable_pages(locale).order_by(past_events_last()).specific()
            for query in queries[:10]:  # warm-up
                list(pages_of_language.search(query)[:10])
            backend, counted, hits = [], [], []
            for query in queries:
                started = time.perf_counter()
                results = list(pages_of_language.search(query)[:10])
                backend.append(time.perf_counter() - started)
                started = time.perf_counter()
                count = pages_of_language.search(query).count()
                counted.append(time.perf_counter() - started)
                hits.append(count if results else 0)
            page_times = []
            with override_settings(ALLOWED_HOSTS=["*"]):
                for query in queries:
                    started = time.perf_counter()
                    response = client.get(_search_path(language), {"q": query})
                    page_times.append(time.perf_counter() - started)
                    if response.status_code != 200:
                        sys.exit(f"The search page answered {response.status_code} for {query!r}")
        print(f"\n{language}: two-word queries, {statistics.median(hits):.0f} median matches per query")
        report("  search, first 10 results (backend query)", backend)
        report("  count of all results", counted)
        report("  whole search page (HTTP, facets, snippets)", page_times)


def _search_path(language):
    from django.urls import reverse

    with translation.override(language):
        return reverse("search")


if __name__ == "__main__":
    main()
