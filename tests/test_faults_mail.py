"""Fault scripts (a), (c), (d) of issue 9, run bounded: their counts asserted.

One throwaway stack (PostgreSQL, Redis, SMTP sink, gunicorn with 2 workers, the
outbox worker; bench/faults/harness.py) serves the three scenarios; each counts only
its own submissions and mails.
"""

import signal
import time

import pytest

from bench.faults import rate_limits, redis_down, smtp_outage, submissions
from bench.faults.harness import FormClient, Stack, acknowledged, stop_process, wait_until

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
    counts = redis_down.run(stack, seconds=9, down_at=2, up_at=6.5, threads=6)
    print(counts)

    assert counts["requests_while_down"] >= 4
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


def test_a_worker_killed_mid_send_never_sends_that_mail_again(stack):
    """SIGKILL while the mail server has the message and has not confirmed it."""
    stack.stop_workers()
    first_id = stack.last_submission_id()
    before = len(stack.smtp.message_ids(".e@example.org"))
    stack.smtp.mode = "hang_after_data"
    outcome, _seconds = FormClient(stack).submit("killed.e@example.org", "10.50.0.1")
    assert acknowledged(outcome)
    stack.settings(EMAIL_TIMEOUT=60)  # the worker waits for the "250" until it is killed
    worker = stack.start_worker()
    stack.settings(EMAIL_TIMEOUT=2)
    assert wait_until(lambda: len(stack.smtp.message_ids(".e@example.org")) > before, 30)  # the server took one …
    stop_process(worker, sig=signal.SIGKILL)  # … and the worker dies waiting for the "250"
    stack.workers.remove(worker)
    (killed_key,) = [
        key
        for (key,) in stack.sql(
            "SELECT m.key FROM outbox_outboxmessage m JOIN forms_formsubmission s "
            "ON m.id IN (s.notification_mail_id, s.confirmation_mail_id) WHERE s.id > %s AND m.state = 'sending'",
            [first_id],
        )
    ]

    stack.smtp.mode = "accept"
    stack.start_worker()
    assert wait_until(lambda: len(stack.smtp.message_ids(".e@example.org")) - before >= 2, 30)  # the other goes out
    time.sleep(2)  # time enough for a wrong second copy

    ids = stack.smtp.message_ids(".e@example.org")[before:]
    assert len(ids) == len(set(ids)) == 2  # the killed one once (taken before the kill), the other once
    state = stack.sql("SELECT state FROM outbox_outboxmessage WHERE key = %s", [killed_key])[0][0]
    assert state == "sending"  # left for a person (becomes "uncertain" after OUTBOX_SEND_TIMEOUT), never resent


def test_the_rate_limit_counts_across_both_workers_and_per_visitor_behind_the_proxy(stack):
    counts = rate_limits.run(stack)
    print(counts)

    assert counts["one_visitor_accepted"] == 5  # before: 10 of 30 (each worker counted alone)
    assert counts["one_visitor_refused_429"] == 25
    assert counts["visitors_behind_proxy_accepted"] == 20  # before: 5 of 20 (one bucket for all)
    assert counts["forged_header_accepted"] == 5  # rotating a forged X-Forwarded-For does not help
