"""Fault scripts (a), (c), (d) of issue 9, run bounded: their counts asserted.

One throwaway stack (PostgreSQL, Redis, SMTP sink, gunicorn with 2 workers, the
outbox worker; bench/faults/harness.py) serves the three scenarios; each counts only
its own submissions and mails.
"""

import pytest

from bench.faults import redis_down, smtp_outage, submissions
from bench.faults.harness import Stack

pytestmark = [pytest.mark.fault]


@pytest.fixture(scope="module")
def stack():
    with Stack() as stack:
        stack.start_app(workers=2, threads=4)
        stack.start_worker()
        yield stack


def test_a_200_concurrent_submissions_are_stored_and_each_mail_sent_once(stack):
    counts = submissions.run(stack, count=200, concurrency=20)
    print(counts)

    assert counts["acknowledged"] == 200
    assert counts["stored"] == 200
    assert counts["mails_expected"] == 400
    assert counts["mails_received"] == 400
    assert counts["mails_duplicated"] == 0
    assert counts["outbox"] == {"sent": 400}


def test_c_redis_stopped_mid_load_costs_visitors_nothing(stack):
    counts = redis_down.run(stack, seconds=8, down_at=2, up_at=5.5)
    print(counts)

    assert counts["requests_while_down"] > 10
    assert counts["errors"] == 0, counts["outcomes"]
    assert counts["posts_accepted_while_down"] == counts["posts_while_down"] > 0
    assert counts["stored"] == counts["posts_acknowledged"]


def test_d_smtp_refusing_then_hanging_then_back_delivers_every_mail_once(stack):
    counts = smtp_outage.run(stack, per_phase=8, phase_seconds=3)
    print(counts)

    assert counts["acknowledged"] == counts["stored"] == 24
    # Visitors never wait for the mail server (it hangs for EMAIL_TIMEOUT=2 s per try).
    assert counts["post_max_s_refusing"] < 2
    assert counts["post_max_s_hanging"] < 2
    assert counts["get_errors_refusing"] == counts["get_errors_hanging"] == 0
    assert counts["all_delivered"]
    assert counts["mails_received"] == counts["mails_expected"] == 48
    assert counts["mails_duplicated"] == 0
    assert counts["outbox"] == {"sent": 48}
