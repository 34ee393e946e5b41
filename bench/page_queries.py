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


if __name__ == "__main__":
    main()
