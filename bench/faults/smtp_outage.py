"""Fault script (d): SMTP refusing, then hanging, then back → pages unaffected, every mail delivered once.

    .venv/bin/python bench/faults/smtp_outage.py [--per-phase 10]

Forms are posted while the mail server refuses connections, then while it accepts
them and never answers, then when it works again; page views run alongside. Prints
the visitors' latencies per phase, and what the SMTP sink received once the outbox
worker caught up: every mail once, none twice.
"""

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.faults.harness import (
    FormClient,
    Stack,
    acknowledged,
    duplicates,
    get,
    outbox_states,
    percentile,
    submissions_after,
    wait_until,
)

MARKER = ".d@example.org"


def run(stack, per_phase=10, phase_seconds=3.0, deliver_timeout=60):
    first_id = stack.last_submission_id()
    client = FormClient(stack)
    posts, gets = {}, {}
    stop = threading.Event()

    def page_views(phase_name):
        while not stop.is_set():
            outcome, took = get(stack, "/de/")
            gets.setdefault(phase_name(), []).append((outcome, took))

    current = {"name": "refusing"}
    viewer = threading.Thread(target=page_views, args=(lambda: current["name"],))
    viewer.start()
    number = 0
    for mode in ("refuse", "hang", "accept"):
        current["name"] = {"refuse": "refusing", "hang": "hanging", "accept": "back"}[mode]
        stack.smtp.mode = mode
        phase_start = time.monotonic()
        for _ in range(per_phase):
            posts.setdefault(current["name"], []).append(
                client.submit(f"visitor{number}{MARKER}", f"10.40.0.{number % 250}")
            )
            number += 1
        time.sleep(max(0.0, phase_seconds - (time.monotonic() - phase_start)))
    stop.set()
    viewer.join()

    acked = sum(1 for results in posts.values() for outcome, _s in results if acknowledged(outcome))
    expected = 2 * acked
    delivered = wait_until(lambda: len(stack.smtp.message_ids(MARKER)) >= expected, deliver_timeout)
    time.sleep(1)  # anything sent twice would arrive now
    ids = stack.smtp.message_ids(MARKER)
    counts = {
        "posted": number,
        "acknowledged": acked,
        "stored": submissions_after(stack, first_id),
        "mails_expected": expected,
        "mails_received": len(ids),
        "mails_duplicated": duplicates(ids),
        "all_delivered": delivered,
        "outbox": outbox_states(stack, first_id),
    }
    for phase, results in posts.items():
        counts[f"post_max_s_{phase}"] = round(max(seconds for _o, seconds in results), 3)
    for phase, results in gets.items():
        counts[f"get_p95_s_{phase}"] = round(percentile([seconds for _o, seconds in results], 0.95), 3)
        counts[f"get_errors_{phase}"] = sum(1 for outcome, _s in results if outcome not in (200, 301, 302))
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-phase", type=int, default=10)
    arguments = parser.parse_args()
    with Stack() as stack:
        stack.settings(FORMS_RATE_LIMIT=5)
        stack.start_app(workers=2, threads=4)
        stack.start_worker()
        counts = run(stack, arguments.per_phase)
    for name, value in counts.items():
        print(f"{name}: {value}")
    ok = counts["mails_duplicated"] == 0 and counts["mails_received"] == counts["mails_expected"]
    return 0 if ok and counts["stored"] == counts["acknowledged"] == counts["posted"] else 1


if __name__ == "__main__":
    sys.exit(main())
