"""Fault script (c): Redis stopped mid-load → 0 errors to visitors, forms accepted.

    .venv/bin/python bench/faults/redis_down.py [--seconds 9] [--down-at 2] [--up-at 6]

Page views and form posts run against gunicorn (2 workers, CACHE_URL on the throwaway
Redis) while Redis is stopped and started again; prints what the visitors got.
"""

import argparse
import itertools
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.faults.harness import FormClient, Stack, acknowledged, get, percentile, submissions_after

PAGES = ("/de/", "/en/", "/de/suche/?q=Planung")


def run(stack, seconds=9.0, down_at=2.0, up_at=6.0, threads=4):
    first_id = stack.last_submission_id()
    client = FormClient(stack)
    numbers = itertools.count()
    results = []  # (kind, phase, outcome, seconds)
    phase = {"name": "up"}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def visitor():
        while time.monotonic() < deadline:
            number = next(numbers)
            current = phase["name"]
            if number % 3 == 0:
                outcome, took = client.submit(
                    f"visitor{number}.c@example.org", f"10.30.{number // 250}.{number % 250}"
                )
                kind = "post"
            else:
                outcome, took = get(stack, PAGES[number % len(PAGES)], address=f"10.31.0.{number % 250}")
                kind = "get"
            with lock:
                results.append((kind, current, outcome, took))

    workers = [threading.Thread(target=visitor) for _ in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    time.sleep(max(0.0, down_at - (time.monotonic() - started)))
    stack.redis.stop()
    phase["name"] = "down"
    time.sleep(max(0.0, up_at - (time.monotonic() - started)))
    stack.redis.start()
    phase["name"] = "up again"
    for worker in workers:
        worker.join()

    def ok(kind, outcome):
        return acknowledged(outcome) if kind == "post" else outcome in (200, 301, 302)

    down = [row for row in results if row[1] == "down"]
    return {
        "requests": len(results),
        "errors": sum(1 for kind, _p, outcome, _s in results if not ok(kind, outcome)),
        "requests_while_down": len(down),
        "errors_while_down": sum(1 for kind, _p, outcome, _s in down if not ok(kind, outcome)),
        "posts_while_down": sum(1 for kind, *_ in down if kind == "post"),
        "posts_accepted_while_down": sum(1 for kind, _p, outcome, _s in down if kind == "post" and ok(kind, outcome)),
        "posts_acknowledged": sum(1 for kind, _p, outcome, _s in results if kind == "post" and acknowledged(outcome)),
        "stored": submissions_after(stack, first_id),
        "p95_while_down_s": round(percentile([took for *_x, took in down], 0.95), 3),
        "outcomes": sorted({str(outcome) for *_x, outcome, _s in results}),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=9.0)
    parser.add_argument("--down-at", type=float, default=2.0)
    parser.add_argument("--up-at", type=float, default=6.0)
    arguments = parser.parse_args()
    with Stack() as stack:
        stack.settings(FORMS_RATE_LIMIT=5)
        stack.start_app(workers=2, threads=4)
        counts = run(stack, arguments.seconds, arguments.down_at, arguments.up_at)
    for name, value in counts.items():
        print(f"{name}: {value}")
    ok = counts["errors"] == 0 and counts["posts_accepted_while_down"] > 0
    return 0 if ok and counts["stored"] == counts["posts_acknowledged"] else 1


if __name__ == "__main__":
    sys.exit(main())
