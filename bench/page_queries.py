"""Print the SQL queries each page costs a warm, anonymous visitor (a profiling aid).

    DATABASE_URL=… .venv/bin/python bench/page_queries.py /de/ /en/themen/ … [-v]

Each URL is requested twice with Django's test client; the second (warm) request's
queries are counted, and with ``-v`` printed, so repeated look-ups stand out.
"""

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vsop_cms.settings.dev")


def main():
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every query")
    parser.add_argument("--profile", type=int, metavar="N", help="profile N warm requests per URL (cProfile)")
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    for url in args.urls:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        print(f"{len(captured.captured_queries):3d}  {response.status_code}  {url}")
        if args.verbose:
            tables = Counter()
            for query in captured.captured_queries:
                sql = query["sql"]
                print("     ", sql[:60], "…", sql[sql.find(" FROM ") :][:260])
                tables[query["sql"].split(" FROM ")[1].split()[0] if " FROM " in query["sql"] else "?"] += 1
            print("      by table:", dict(tables.most_common()))
        if args.profile:
            profile(client, url, args.profile)


# Where a request's time goes: cumulative time of the functions that stand for each stage.
STAGES = {
    "whole request": ("django/core/handlers/base.py", "get_response"),
    "URL routing (resolve + Wagtail route)": ("django/urls/resolvers.py", "resolve"),
    "page route (core.memo.fast_route)": ("core/memo.py", "fast_route"),
    "template rendering": ("django/template/response.py", "render"),
    "StreamField decoding (bulk_to_python)": ("wagtail/blocks/stream_block.py", "_prefetch_blocks"),
    "rich text expansion (expand_db_html)": ("wagtail/rich_text/__init__.py", "expand_db_html"),
    "SQL (cursor execute)": ("django/db/backends/utils.py", "_execute"),
    "site chrome (core.navigation)": ("core/templatetags/core_tags.py", "main_menu"),
}


def profile(client, url, count):
    import cProfile
    import pstats
    import time

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(count):
        client.get(url)
    profiler.disable()
    elapsed = (time.perf_counter() - started) / count * 1000
    stats = pstats.Stats(profiler)
    print(f"      {elapsed:.1f} ms per request (under the profiler)")
    for label, (filename, function) in STAGES.items():
        total = sum(
            cumulative
            for (path, _line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items()
            if path.endswith(filename) and name == function
        )
        print(f"      {label:45s} {total / count * 1000:7.2f} ms")


if __name__ == "__main__":
    main()
