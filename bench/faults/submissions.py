"""Fault script (a): 200 concurrent valid submissions → 200 stored, each mail sent exactly once.

    .venv/bin/python bench/faults/submissions.py [--count 200] [--concurrency 20]

Starts its own PostgreSQL, Redis, SMTP sink, the app under gunicorn (2 workers) and
the outbox worker (bench/faults/harness.py), posts the contact form from ``count``
different visitors at once and prints what it counted.
"""

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.faults.harness import (
    FormClient,
    Stack,
    acknowledged,
    duplicates,
    outbox_states,
    percentile,
    submissions_after,
    wait_until,
)

MARKER = ".a@example.org"


def run(stack, count=200, concurrency=20, deliver_timeout=120):
    first_id = stack.last_submission_id()
    client = FormClient(stack)
    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(
            pool.map(
                lambda number: client.submit(f"visitor{number}{MARKER}", f"10.20.{number // 250}.{number % 250}"),
                range(count),
            )
        )
    load_seconds = time.monotonic() - started
    acked = sum(1 for outcome, _seconds in results if acknowledged(outcome))
    expected_mails = 2 * acked
    # Notifications carry the visitor's address as Reply-To, confirmations go to it: both contain MARKER.
    wait_until(lambda: len(stack.smtp.message_ids(MARKER)) >= expected_mails, deliver_timeout)
    time.sleep(1)  # anything sent twice would arrive now
    ids = stack.smtp.message_ids(MARKER)
    return {
        "posted": count,
        "acknowledged": acked,
        "errors": count - acked,
        "stored": submissions_after(stack, first_id),
        "mails_expected": expected_mails,
        "mails_received": len(ids),
        "mails_duplicated": duplicates(ids),
        "outbox": outbox_states(stack, first_id),
        "post_p50_s": round(percentile([seconds for _o, seconds in results], 0.5), 3),
        "post_p95_s": round(percentile([seconds for _o, seconds in results], 0.95), 3),
        "load_seconds": round(load_seconds, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    arguments = parser.parse_args()
    with Stack() as stack:
        stack.settings(FORMS_RATE_LIMIT=5)
        stack.start_app(workers=2, threads=4)
        stack.start_worker()
        counts = run(stack, arguments.count, arguments.concurrency)
    for name, value in counts.items():
        print(f"{name}: {value}")
    ok = counts["stored"] == counts["acknowledged"] == arguments.count and counts["mails_duplicated"] == 0
    ok = ok and counts["mails_received"] == counts["mails_expected"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
