"""Page speed benchmark: every page type under gunicorn, uncached and cached, and the ceiling.

    make bench
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/vsop_bench_pages \\
        .venv/bin/python bench/page_bench.py --fresh [--drop] [--duration 10] \\
        [--bakerydemo-url http://127.0.0.1:8150]

1. ``--fresh`` drops and re-creates the database (only one whose name starts with
   ``vsop_bench`` or ``vsop_perf``, or a SQLite file), migrates it, loads the VSOP content
   (``load_vsop_content``) and adds generated content in bulk (``core.bulk_pages``):
   1,000 topic pages, 10 event series with 200 events, 20 working groups and 100 news
   articles in German, each with its English translation; then builds the search index.
2. Counts the SQL queries of each page (warm, anonymous, page cache off) in this process.
3. Starts a throwaway ``redis-server`` (the shared cache) and gunicorn (2 sync workers,
   production settings, DEBUG off) and drives it from this separate process with ``wrk``
   (``-t2 -c4``): each page type uncached (``PAGE_CACHE_SECONDS=0``), then cached, and
   a bare Django view through the same middleware (the ceiling; only served when
   ``BENCH_BARE_VIEW`` is set). Prints req/s, p50/p95/p99 latency and queries.
4. With ``--bakerydemo-url``, measures each comparable pair (home, index, detail, search)
   alternately against a running bakerydemo, ``--rounds`` times, and prints the ratios.
5. Cold start: the first request to a freshly booted worker against the warm time.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PYTHON = sys.executable
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d, "non2xx": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, summary.errors.status))
end
"""
# Comparable pairs with bakerydemo (its own demo content): home, index, detail, search.
BAKERY_PAIRS = {
    "home": "/",
    "index": "/blog/",
    "detail": "/blog/wild-yeast/",
    "search": "/search/?q=bread",
}
TOPICS, SERIES, EVENTS, GROUPS, ARTICLES = 1000, 10, 200, 20, 100


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the database with the content")
    parser.add_argument("--drop", action="store_true", help="drop the database afterwards")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--bakerydemo-url", help="a running bakerydemo to compare with, e.g. http://127.0.0.1:8150")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds against bakerydemo")
    parser.add_argument("--only", help="comma-separated page types to run (default: all)")
    parser.add_argument("--cold-start-only", action="store_true", help="measure only the cold start")
    parser.add_argument("--no-cold-start", action="store_true", help="skip the cold start measurement")
    return parser.parse_args()


# --- The database -----------------------------------------------------------------


def database_url():
    return os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""


def recreate_database(url, drop_only=False):
    if url.startswith("sqlite:"):
        path = Path(url.split("sqlite://", 1)[1])
        if "bench" not in path.name and "perf" not in path.name:
            sys.exit(f"Refusing to delete {path}: a benchmark SQLite file's name must contain 'bench' or 'perf'.")
        path.unlink(missing_ok=True)
        return
    name = url.rsplit("/", 1)[1].split("?")[0]
    if not re.fullmatch(r"vsop_(bench|perf)\w*", name):
        sys.exit(f"Refusing to drop {name!r}: the benchmark database's name must start with vsop_bench or vsop_perf.")
    import psycopg2

    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def manage(*args, env=None):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, check=True, env=env)  # noqa: S603


def generate_content():
    """The generated pages, German and English, in bulk (a minute or two)."""
    import datetime
    import uuid

    from django.utils import timezone

    from wagtail.models import Locale, Page

    from core.bulk_pages import bulk_children
    from home.models import HomePage
    from news.models import ArticlePage, NewsIndexPage
    from topics.models import (
        EventPage,
        EventSeriesPage,
        TopicIndexPage,
        TopicPage,
        WorkingGroupIndexPage,
        WorkingGroupPage,
    )

    now = timezone.now()
    paragraph = (
        "<p>Sozialplanung verbindet Daten, Beteiligung und Steuerung. Kommunen planen Angebote für "
        "Familien, ältere Menschen und Menschen in Armut gemeinsam mit freien Trägern.</p>"
    )
    body = [("paragraph", paragraph)] * 6 + [("quote", {"text": "Planung ist Beteiligung.", "attribution": ""})]
    homes = {home.locale.language_code: home for home in HomePage.objects.select_related("locale")}
    locales = {code: Locale.objects.get(language_code=code) for code in homes}

    def child_of(home, model):
        return model.objects.child_of(home).first()

    keys = {"topics": [uuid.uuid4() for _ in range(TOPICS // 2)]}
    for code, home in homes.items():
        suffix = "" if code == "de" else "-en"
        topic_index = child_of(home, TopicIndexPage)
        bulk_children(
            topic_index,
            TopicPage,
            [
                {"title": f"Thema {n}{suffix}", "slug": f"thema-{n}{suffix}", "translation_key": key, "body": body}
                for n, key in enumerate(keys["topics"])
            ],
        )
        series_keys = keys.setdefault("series", [uuid.uuid4() for _ in range(SERIES)])
        series = bulk_children(
            home,
            EventSeriesPage,
            [
                {
                    "title": f"Reihe {n}{suffix}",
                    "slug": f"reihe-{n}{suffix}",
                    "translation_key": key,
                    "description": body,
                }
                for n, key in enumerate(series_keys)
            ],
        )
        event_keys = keys.setdefault("events", [uuid.uuid4() for _ in range(EVENTS)])
        per_series = EVENTS // SERIES
        for index, one_series in enumerate(series):
            bulk_children(
                one_series,
                EventPage,
                [
                    {
                        "title": f"Veranstaltung {index}-{n}{suffix}",
                        "slug": f"veranstaltung-{n}{suffix}",
                        "translation_key": event_keys[index * per_series + n],
                        "start": now + datetime.timedelta(days=n * 7 - 60),
                        "body": body,
                    }
                    for n in range(per_series)
                ],
            )
        group_keys = keys.setdefault("groups", [uuid.uuid4() for _ in range(GROUPS)])
        bulk_children(
            child_of(home, WorkingGroupIndexPage),
            WorkingGroupPage,
            [
                {
                    "title": f"Fachgruppe {n}{suffix}",
                    "slug": f"fachgruppe-{n}{suffix}",
                    "translation_key": key,
                    "goal": paragraph,
                    "body": body,
                }
                for n, key in enumerate(group_keys)
            ],
        )
        news = child_of(home, NewsIndexPage)
        if news is not None:
            article_keys = keys.setdefault("articles", [uuid.uuid4() for _ in range(ARTICLES)])
            bulk_children(
                news,
                ArticlePage,
                [
                    {
                        "title": f"Meldung {n}{suffix}",
                        "slug": f"meldung-{n}{suffix}",
                        "translation_key": key,
                        "date": (now - datetime.timedelta(days=n)).date(),
                        "body": body,
                    }
                    for n, key in enumerate(article_keys)
                ],
            )
    del locales
    return Page.objects.count()


def prepare(url, fresh):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "vsop_cms.settings.dev"}
    if fresh:
        started = time.monotonic()
        recreate_database(url)
        manage("migrate", "--noinput", "-v0", env=env)
        manage("load_vsop_content", env=env)
        manage("compile_translations", env=env)
        os.environ.update(env)
        import django

        django.setup()
        pages = generate_content()
        print(f"content: {pages} pages in {time.monotonic() - started:.0f} s; building the search index…", flush=True)
        manage("update_index", env=env)
        print(f"database ready in {time.monotonic() - started:.0f} s", flush=True)
    else:
        os.environ.update(env)
        import django

        django.setup()


def page_urls():
    """One URL per page type (German) plus the English home and topic."""
    from wagtail.models import Page

    from forms.models import FormPage
    from home.models import HomePage, StandardPage
    from news.models import ArticlePage, NewsIndexPage
    from topics.models import (
        EventPage,
        EventSeriesPage,
        TopicIndexPage,
        TopicPage,
        WorkingGroupIndexPage,
        WorkingGroupPage,
    )

    def first(model, language="de", **filters):
        page = model.objects.live().filter(locale__language_code=language, **filters).order_by("path").first()
        return page.url if page else None

    urls = {
        "home": first(HomePage),
        "home (en)": first(HomePage, "en"),
        "topic index": first(TopicIndexPage),
        "topic": first(TopicPage, slug="familienarmut"),
        "topic (en)": first(TopicPage, "en", slug="family-poverty"),
        "event series": first(EventSeriesPage, slug="reihe-0"),
        "event": first(EventPage),
        "working group index": first(WorkingGroupIndexPage),
        "working group": first(WorkingGroupPage, slug="alter-und-pflege"),
        "standard page": first(StandardPage),
        "form page": first(FormPage),
        "news index": first(NewsIndexPage),
        "news article": first(ArticlePage),
        "search": "/de/suche/?q=Sozialplanung+Familien",
    }
    del Page
    return {kind: url for kind, url in urls.items() if url}


def count_queries(urls):
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_ENABLED = False
    settings.ALLOWED_HOSTS = ["*"]
    client = Client(raise_request_exception=False)
    counts = {}
    for kind, url in urls.items():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        counts[kind] = (
            len(captured.captured_queries) if response.status_code == 200 else f"HTTP {response.status_code}"
        )
    return counts


# --- Servers ------------------------------------------------------------------------


def wait_for_port(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port}")


def start_redis(port):
    workdir = tempfile.mkdtemp(prefix="vsop-bench-redis-")
    process = subprocess.Popen(  # noqa: S603
        [
            shutil.which("redis-server"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
        ],
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(port)
    return process


STATIC_ROOT = Path(tempfile.gettempdir()) / "vsop-bench-static"


def production_env(url, redis_url):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vsop_cms.settings.production",
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "CACHE_URL": redis_url,
        "BENCH_BARE_VIEW": "1",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(STATIC_ROOT),
    }


def collect_static(url, redis_url):
    """Production settings serve hashed static files from a manifest: collect them once."""
    manage("collectstatic", "--noinput", "-v0", env=production_env(url, redis_url))


def start_gunicorn(port, url, redis_url, cached, warmup=True):
    env = {**production_env(url, redis_url), "PAGE_CACHE_SECONDS": "600" if cached else "0"}
    process = subprocess.Popen(  # noqa: S603
        [
            PYTHON,
            "-m",
            "gunicorn",
            "vsop_cms.wsgi:application",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            *(["--config", "python:vsop_cms.warmup"] if warmup else []),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    wait_for_port(port)
    return process


def stop(process):
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    process.wait(timeout=30)


def wrk(url, duration):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        output = subprocess.run(  # noqa: S603
            [shutil.which("wrk"), "-t2", "-c4", f"-d{duration}s", "-s", script.name, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def fetch(url):
    with urllib.request.urlopen(url, timeout=180) as response:  # noqa: S310 - local benchmark URLs
        return response.status, response.read()


# --- Measurements -------------------------------------------------------------------


def row(kind, result, queries=""):
    bad = f"  ({result['non2xx']} non-2xx, {result['errors']} errors)" if result["non2xx"] or result["errors"] else ""
    return (
        f"| {kind} | {result['rps']:,.0f} | {result['p50']:.1f} | {result['p95']:.1f} | {result['p99']:.1f} | "
        f"{queries} |{bad}"
    )


def measure_pages(base, urls, duration, counts, label):
    print(f"\n{label}\n\n| page | req/s | p50 ms | p95 ms | p99 ms | SQL queries |")
    print("| --- | --- | --- | --- | --- | --- |")
    results = {}
    for kind, path in urls.items():
        try:
            fetch(base + path)
            fetch(base + path)  # both workers warm
            results[kind] = wrk(base + path, duration)
        except Exception as error:  # one slow or failing page must not end the whole run
            print(f"| {kind} | failed: {error} |", flush=True)
            continue
        print(row(kind, results[kind], counts.get(kind, "")), flush=True)
    return results


def cold_start(port, url, redis_url, path, warmup, samples=3, boot_seconds=25):
    """The first request a freshly booted worker serves against its warm median (ms).

    The workers get ``boot_seconds`` to boot (and, with the warm-up, to warm up) before the
    first request, as a worker restarted by gunicorn does before it accepts connections.
    """
    figures = []
    for _ in range(samples):
        process = start_gunicorn(port, url, redis_url, cached=False, warmup=warmup)
        try:
            time.sleep(boot_seconds)
            started = time.perf_counter()
            fetch(f"http://127.0.0.1:{port}{path}")
            first = time.perf_counter() - started
            warm = []
            for _ in range(20):
                started = time.perf_counter()
                fetch(f"http://127.0.0.1:{port}{path}")
                warm.append(time.perf_counter() - started)
            figures.append((first * 1000, sorted(warm)[len(warm) // 2] * 1000))
        finally:
            stop(process)
    return figures


def main():
    args = parse_args()
    url = database_url()
    if not url:
        sys.exit("Set BENCH_DATABASE_URL (or DATABASE_URL), e.g. postgres://postgres@127.0.0.1:5432/vsop_bench_pages")
    if not shutil.which("wrk") or not shutil.which("redis-server"):
        sys.exit("The benchmark needs wrk and redis-server (apt-get install wrk redis-server).")
    prepare(url, args.fresh)
    urls = page_urls()
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        urls = {kind: path for kind, path in urls.items() if kind in wanted}
    counts = count_queries(urls)
    from django.db import connections

    connections.close_all()
    base = f"http://127.0.0.1:{args.port}"
    redis_port = args.port + 50
    redis = start_redis(redis_port)
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    server = None
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(f"\n{database}, gunicorn 2 sync workers, wrk -t2 -c4 -d{args.duration}s, production settings")
    try:
        collect_static(url, redis_url)
        if args.cold_start_only:
            report_cold_start(args, url, redis_url, urls)
            return
        server = start_gunicorn(args.port, url, redis_url, cached=False)
        # The ceiling first: a slow page (search on SQLite) leaves a queue behind that would starve it.
        fetch(base + "/bench/bare/")
        ceiling = wrk(base + "/bench/bare/", args.duration)
        uncached = measure_pages(base, urls, args.duration, counts, "Uncached (PAGE_CACHE_SECONDS=0)")
        print(row("bare Django view (ceiling, measured first)", ceiling, 0))
        if args.bakerydemo_url:
            compare_with_bakerydemo(base, urls, args)
        stop(server)
        server = start_gunicorn(args.port, url, redis_url, cached=True)
        fetch(base + "/bench/bare/")
        ceiling_cached = wrk(base + "/bench/bare/", args.duration)
        cached = measure_pages(base, urls, args.duration, {}, "Cached (anonymous, shared Redis)")
        print(row("bare Django view (ceiling, measured first)", ceiling_cached, 0))
        print("\nCached pages against the ceiling (same run):")
        for kind, result in cached.items():
            if kind not in uncached:
                continue
            share = result["rps"] / ceiling_cached["rps"]
            print(
                f"  {kind}: {share:.0%} of {ceiling_cached['rps']:,.0f} req/s (uncached {uncached[kind]['rps']:,.0f})"
            )
        stop(server)
        server = None
        if not args.no_cold_start:
            report_cold_start(args, url, redis_url, urls)
    finally:
        stop(server)
        redis.terminate()
        redis.wait(timeout=10)
        if args.drop:
            recreate_database(url, drop_only=True)


def report_cold_start(args, url, redis_url, urls):
    print("\nCold start (first request to a booted worker vs. its warm median):")
    for warmup in (False, True):
        for first, warm in cold_start(args.port, url, redis_url, urls.get("topic", "/de/"), warmup):
            label = "with warm-up   " if warmup else "without warm-up"
            print(f"  {label}: first {first:.0f} ms, warm {warm:.0f} ms, ratio {first / warm:.1f}x", flush=True)


def compare_with_bakerydemo(base, urls, args):
    ours = {
        "home": urls.get("home"),
        "index": urls.get("topic index"),
        "detail": urls.get("topic"),
        "search": urls.get("search"),
    }
    print(f"\nAgainst bakerydemo at {args.bakerydemo_url}, alternating, {args.rounds} rounds (req/s):\n")
    print("| pair | vsop-cms | bakerydemo | ratio |\n| --- | --- | --- | --- |")
    for pair, theirs in BAKERY_PAIRS.items():
        mine, other = [], []
        for _ in range(args.rounds):
            mine.append(wrk(base + ours[pair], args.duration)["rps"])
            other.append(wrk(args.bakerydemo_url.rstrip("/") + theirs, args.duration)["rps"])
        ratio = (sum(mine) / len(mine)) / (sum(other) / len(other))
        print(
            f"| {pair} `{ours[pair]}` ↔ `{theirs}` | {' / '.join(f'{v:.0f}' for v in mine)} | "
            f"{' / '.join(f'{v:.0f}' for v in other)} | {ratio:.1f}× |",
            flush=True,
        )


if __name__ == "__main__":
    main()
