"""Search benchmark: 10,000 German and English pages on PostgreSQL, index build time, query latency.

A benchmark, not a test: it prints figures and asserts nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vsop_bench .venv/bin/python bench/search_bench.py --fresh

or ``make bench-search``. ``--fresh`` drops and re-creates the database first (only
databases whose name starts with ``vsop_bench``); without it, pages of an earlier run
in the same database are reused. ``--drop`` drops the database at the end. Other
options: ``--pages N`` (default 10000), ``--queries N`` (default 300 per language).

What it does:

1. Writes the pages' text with ``bench/corpus.py``: a vocabulary of about 5,000
   German and 2,300 English words (compounds built from word lists, no downloads)
   drawn with Zipf-like frequencies, the same for every run (fixed seed).
2. Creates the topic pages in bulk, in one transaction: tree paths computed as
   treebeard would, ``Page`` rows and ``TopicPage`` rows inserted 1,000 at a time.
   The search index is not touched here.
3. Times the index build: ``manage.py update_index``, as an operator runs it.
4. Times two-word queries (drawn as visitors type them: mostly words of one page,
   some common pairs, some with a rare or an absent word) through the search page's
   own code (``search/query.py``): the first page of results, the counts per kind,
   and the whole results page through Django's test client.
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vsop_cms.settings.dev")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vsop_bench")

SEED = 20210901
BATCH = 1000


def recreate_database(url, drop_only=False):
    """Drop (and re-create) the benchmark database, connected to the server's ``postgres`` database."""
    import psycopg2
    from psycopg2 import sql

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if not name.startswith("vsop_bench"):
        sys.exit(f"Refusing to drop {name!r}: only databases named vsop_bench… are dropped.")
    connection = psycopg2.connect(
        dbname="postgres",
        user=parts.username or "postgres",
        password=parts.password,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        if not drop_only:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the database first")
    parser.add_argument("--drop", action="store_true", help="drop the database when done")
    return parser.parse_args()


args = parse_args() if __name__ == "__main__" else None
if args and args.fresh:
    recreate_database(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from wagtail.models import Locale, Page, Site  # noqa: E402
from wagtail.search.models import IndexEntry  # noqa: E402

from bench.corpus import Writer, languages, queries  # noqa: E402
from home.models import HomePage  # noqa: E402
from search.query import parse_query, result_counts, results_page, searchable_pages  # noqa: E402
from topics.models import TopicIndexPage, TopicPage  # noqa: E402


def ensure_site(locale_de, locale_en):
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=locale_de).first()
    if home is None:
        home = root.add_child(instance=HomePage(title="VSOP e.V.", slug="bench-home", locale=locale_de))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
        )
    home_en = HomePage.objects.filter(locale=locale_en).first()
    if home_en is None:
        home_en = home.copy_for_translation(locale_en)
        home_en.save_revision().publish()
    return home, home_en


def bulk_create_topics(index, documents, rng):
    """Topic pages under ``index`` without add_child(): paths computed, rows inserted a thousand at a time."""
    index.refresh_from_db()
    content_type = ContentType.objects.get_for_model(TopicPage)
    now = timezone.now()
    depth = index.depth + 1
    fields = TopicPage._meta.local_concrete_fields
    for offset in range(0, len(documents), BATCH):
        batch = documents[offset : offset + BATCH]
        pages = []
        for number, document in enumerate(batch, start=index.numchild + offset + 1):
            slug = f"{index.slug}-{number}"
            pages.append(
                Page(
                    path=Page._get_path(index.path, depth, number),
                    depth=depth,
                    numchild=0,
                    title=document.title,
                    draft_title=document.title,
                    slug=slug,
                    url_path=f"{index.url_path}{slug}/",
                    content_type=content_type,
                    locale_id=index.locale_id,
                    translation_key=uuid.UUID(int=rng.getrandbits(128)),
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                )
            )
        Page.objects.bulk_create(pages)
        topics = []
        for page, document in zip(pages, batch, strict=True):
            body = [("paragraph", f"<p>{paragraph}</p>") for paragraph in document.paragraphs]
            if document.questions:
                body.append(("guiding_questions", {"heading": "", "questions": document.questions}))
            topics.append(TopicPage(page_ptr_id=page.pk, intro=document.intro, menu_title="", body=body))
        # bulk_create() refuses multi-table models; the Page rows exist, so insert only TopicPage's own table.
        TopicPage._base_manager._insert(topics, fields=fields, using=connection.alias)
    Page.objects.filter(pk=index.pk).update(numchild=F("numchild") + len(documents))


def create_pages(count, corpus):
    """count topic pages, half German under /de/themen-bench/, half English under /en/topics-bench/."""
    rng = random.Random(SEED)
    documents = {}
    with transaction.atomic():
        locale_de = Locale.objects.get_or_create(language_code="de")[0]
        locale_en = Locale.objects.get_or_create(language_code="en")[0]
        home_de, home_en = ensure_site(locale_de, locale_en)
        for home, locale, slug in ((home_de, locale_de, "themen-bench"), (home_en, locale_en, "topics-bench")):
            writer = Writer(corpus[locale.language_code], rng)
            documents[locale.language_code] = [writer.document() for _ in range(count // 2)]
            index = TopicIndexPage.objects.filter(locale=locale, slug=slug).first() or home.add_child(
                instance=TopicIndexPage(title=slug, slug=slug, locale=locale)
            )
            bulk_create_topics(index, documents[locale.language_code], rng)
    return documents


def regenerate_documents(count, corpus):
    """The documents of an earlier run (same seed), for drawing queries, without creating pages."""
    rng = random.Random(SEED)
    documents = {}
    for language in ("de", "en"):
        writer = Writer(corpus[language], rng)
        documents[language] = [writer.document() for _ in range(count // 2)]
        for _ in range(count // 2):  # the translation keys drawn by bulk_create_topics
            rng.getrandbits(128)
    return documents


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))]


def report(label, timings):
    ms = [t * 1000 for t in timings]
    print(
        f"{label:<48} n={len(ms):<4} p50={statistics.median(ms):6.1f} ms  p95={percentile(ms, 0.95):6.1f} ms"
        f"  max={max(ms):6.1f} ms",
        flush=True,
    )


def timed(function):
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def search_path(language):
    with translation.override(language):
        return reverse("search")


def measure(language, drawn, client):
    """Latency of the search page's own steps for each query, and of the whole page over the test client."""
    locale = Locale.objects.get(language_code=language)
    with translation.override(language):
        pages = searchable_pages(locale)
        for query, _kind in drawn[:10]:  # warm-up: connection, caches, compiled templates
            parsed = parse_query(query)
            results_page(pages, parsed, None, 1, result_counts(pages, parsed))
        first_page, counting, totals = [], [], []
        for query, _kind in drawn:
            parsed = parse_query(query)
            took, counts = timed(lambda parsed=parsed: result_counts(pages, parsed))
            counting.append(took)
            totals.append(sum(counts.values()))
            took, _ = timed(lambda parsed=parsed, counts=counts: list(results_page(pages, parsed, None, 1, counts)))
            first_page.append(took)
        whole = []
        with override_settings(ALLOWED_HOSTS=["*"]):
            for query, _kind in drawn:
                took, response = timed(lambda query=query: client.get(search_path(language), {"q": query}))
                if response.status_code != 200:
                    sys.exit(f"The search page answered {response.status_code} for {query!r}")
                whole.append(took)
    kinds = Counter(kind for _query, kind in drawn)
    found = sorted(totals)
    print(
        f"\n{language}: {len(drawn)} two-word queries ({', '.join(f'{n} {k}' for k, n in kinds.items())}); "
        f"matches per query: median {statistics.median(found):.0f}, p95 {percentile(found, 0.95)}, "
        f"max {found[-1]}, none for {sum(1 for n in found if not n)}"
    )
    report("  first page of results (10, by relevance)", first_page)
    report("  count of results per kind", counting)
    report("  whole results page (test client)", whole)


def document_text(document):
    return " ".join([document.title, document.intro, *document.paragraphs, *document.questions]).lower()


def part_queries(language, documents, count, rng):
    """Single nouns that are also parts of compounds in the corpus ("Armut" of "Familienarmut")."""
    compound_text = " ".join(language.compounds)
    nouns = sorted({word for word in language.simple if len(word) >= 5 and word[0].isupper()})
    parts = [noun for noun in nouns if noun.lower() in compound_text]
    return rng.sample(parts, min(count, len(parts)))


def measure_compounds(language_code, corpus, documents, rng, count=100):
    """Recall and latency of part-of-compound queries, with the inside-word matches off and on.

    Recall: of the pages whose text contains the part anywhere (as a word or inside one),
    how many the search finds. Without inside-word matching only whole (stemmed) words count.
    """
    locale = Locale.objects.get(language_code=language_code)
    drawn = part_queries(corpus[language_code], documents[language_code], count, rng)
    texts = [document_text(document) for document in documents[language_code]]
    expected = {query: sum(1 for text in texts if query.lower() in text) for query in drawn}
    print(f"\n{language_code}: {len(drawn)} one-word queries for a part of a compound (e.g. {', '.join(drawn[:3])})")
    with translation.override(language_code):
        pages = searchable_pages(locale)
        for label, partial in (("words only (before)", False), ("words + inside words (after)", True)):
            with override_settings(SEARCH_PARTIAL_WORDS=partial):
                for query in drawn[:5]:  # warm-up
                    result_counts(pages, parse_query(query))
                found, timings = {}, []
                for query in drawn:
                    parsed = parse_query(query)
                    took, counts = timed(lambda parsed=parsed: result_counts(pages, parsed))
                    took_page, _ = timed(
                        lambda parsed=parsed, counts=counts: list(results_page(pages, parsed, None, 1, counts))
                    )
                    timings.append(took + took_page)
                    found[query] = sum(counts.values())
            recall = sum(min(found[q], expected[q]) for q in drawn) / max(1, sum(expected.values()))
            print(
                f"  {label:<30} recall {recall:6.1%} ({sum(found.values())} found of {sum(expected.values())} pages)"
            )
            report(f"    counts + first page, {label}", timings)


def main():
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…/vsop_bench")
    call_command("migrate", verbosity=0, interactive=False)
    corpus = languages(SEED)
    existing = TopicPage.objects.count()
    if existing == 0:
        print(f"Creating {args.pages} topic pages (German and English) …", flush=True)
        took, documents = timed(lambda: create_pages(args.pages, corpus))
        print(f"  created in {took:.1f} s")
    else:
        print(f"Reusing {existing} topic pages of an earlier run (--fresh starts afresh)")
        documents = regenerate_documents(existing, corpus)

    build, _ = timed(lambda: call_command("update_index", verbosity=0))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [IndexEntry._meta.db_table])
        index_size = cursor.fetchone()[0]
    words = {language: len(corpus[language].ranked) for language in corpus}
    print(
        f"Dataset: {Page.objects.count()} pages ({TopicPage.objects.count()} topic pages), vocabulary "
        f"{words['de']} German and {words['en']} English words, PostgreSQL {connection.pg_version // 10000}, "
        f"{os.cpu_count()} cores"
    )
    print(f"Index build (manage.py update_index): {build:.1f} s, {IndexEntry.objects.count()} entries, {index_size}")

    rng = random.Random(SEED + 1)
    client = Client()
    drawn = {language: queries(corpus[language], documents[language], args.queries, rng) for language in ("de", "en")}
    for label, partial in (("inside-word matches off (before)", False), ("inside-word matches on (after)", True)):
        print(f"\n=== {label} ===")
        with override_settings(SEARCH_PARTIAL_WORDS=partial):
            for language in ("de", "en"):
                measure(language, drawn[language], client)
    measure_compounds("de", corpus, documents, random.Random(SEED + 2))

    if args.drop:
        connection.close()
        recreate_database(os.environ["DATABASE_URL"], drop_only=True)
        print("\nDropped the benchmark database.")


if __name__ == "__main__":
    main()
