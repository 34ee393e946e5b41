"""The mail outbox: stored in the caller's transaction, sent by the worker, each message at most once."""

import datetime
import smtplib

from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

import outbox
from outbox.delivery import Circuit, backoff, claim_next, deliver_due, recover_abandoned, send_claimed
from outbox.models import OutboxMessage, State

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _closed_circuit():
    Circuit.reset()
    yield
    Circuit.reset()


def message(to="anna@example.org", subject="Anmeldung bestätigt"):
    return EmailMessage(subject=subject, body="Guten Tag.", from_email="noreply@vsop.example", to=[to])


class DiesMidSend(LocmemBackend):
    """A worker killed while the mail server has the message (SystemExit passes every ``except Exception``)."""

    def send_messages(self, messages):
        raise SystemExit("killed")


class DiesBeforeSending(LocmemBackend):
    """A worker killed while it connects: the message was claimed but never handed over."""

    def open(self):
        raise SystemExit("killed")


class HangsMidSend(LocmemBackend):
    def send_messages(self, messages):
        raise TimeoutError("timed out")


class Refuses(LocmemBackend):
    code = 550

    def send_messages(self, messages):
        raise smtplib.SMTPDataError(self.code, b"rejected")


class RefusesForNow(Refuses):
    code = 451


# Queueing


def test_enqueue_stores_the_message_once_per_key_and_wakes_the_worker():
    first = outbox.enqueue(message(), key="test:1")
    again = outbox.enqueue(message(subject="Anderer Betreff"), key="test:1")

    assert again.pk == first.pk
    assert OutboxMessage.objects.get().subject == "Anmeldung bestätigt"
    assert first.state == State.QUEUED
    assert first.message_id.startswith("<") and "@" in first.message_id
    assert DBTaskResult.objects.filter(backend_name="outbox", queue_name="mail").count() == 1
    assert mail.outbox == []


def test_enqueue_belongs_to_the_callers_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(message(), key="test:rolled-back")
        raise RuntimeError("the registration failed")

    assert not OutboxMessage.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_message_without_recipients_or_key_is_refused():
    with pytest.raises(ValueError, match="no recipient"):
        outbox.enqueue(EmailMessage(subject="x", body="y", to=[]), key="test:none")
    with pytest.raises(ValueError, match="key"):
        outbox.enqueue(message(), key="")


def test_attachments_and_html_survive_the_queue():
    email = EmailMultiAlternatives(subject="Termin", body="Text", to=["a@example.org"], cc=["b@example.org"])
    email.attach_alternative("<p>Text</p>", "text/html")
    email.attach("termin.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    email.attach("logo.png", b"\x89PNG\r\n\x00\xff", "image/png")
    outbox.enqueue(email, key="test:attachments")

    assert deliver_due() == 1

    (sent,) = mail.outbox
    assert sent.alternatives[0][0] == "<p>Text</p>"
    assert [(a[0], a[2]) for a in sent.attachments] == [("termin.ics", "text/calendar"), ("logo.png", "image/png")]
    assert sent.attachments[1][1] == b"\x89PNG\r\n\x00\xff"
    assert sent.cc == ["b@example.org"]
    assert sent.extra_headers["Message-ID"] == OutboxMessage.objects.get().message_id
    assert OutboxMessage.objects.get().payload == {}  # the content is forgotten once sent


# Sending, at most once


def test_the_worker_sends_each_message_once():
    for number in range(3):
        outbox.enqueue(message(to=f"person{number}@example.org"), key=f"test:{number}")

    assert deliver_due() == 3
    assert deliver_due() == 0
    assert sorted(m.to[0] for m in mail.outbox) == [f"person{n}@example.org" for n in range(3)]
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {State.SENT}


def test_a_worker_killed_mid_send_does_not_send_twice(settings):
    stored = outbox.enqueue(message(), key="test:killed")
    settings.EMAIL_BACKEND = "tests.test_outbox.DiesMidSend"
    with pytest.raises(SystemExit):
        deliver_due()
    stored.refresh_from_db()
    assert stored.state == State.SENDING  # the server may have it

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_due() == 0  # another worker does not touch it
    outbox.retry([stored])  # nor does an editor's resend
    assert deliver_due() == 0
    # Once it is clear the worker is gone, it is marked for a person to look at, never sent again.
    recover_abandoned(now=timezone.now() + datetime.timedelta(hours=1))
    stored.refresh_from_db()
    assert stored.state == State.UNCERTAIN
    assert deliver_due(now=timezone.now() + datetime.timedelta(hours=2)) == 0
    assert mail.outbox == []


def test_a_worker_killed_before_handing_over_leaves_the_message_to_the_next(settings):
    stored = outbox.enqueue(message(), key="test:claimed")
    settings.EMAIL_BACKEND = "tests.test_outbox.DiesBeforeSending"
    with pytest.raises(SystemExit):
        deliver_due()
    stored.refresh_from_db()
    assert stored.state == State.CLAIMED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_due() == 0  # the claim is still fresh: maybe the worker is only slow
    assert deliver_due(now=timezone.now() + datetime.timedelta(minutes=10)) == 1
    assert len(mail.outbox) == 1


def test_a_claim_taken_over_is_never_sent_by_its_first_owner():
    outbox.enqueue(message(), key="test:race")
    slow = claim_next()  # worker A claims, then stalls
    later = timezone.now() + datetime.timedelta(minutes=10)
    recover_abandoned(now=later)  # A's claim is given up
    fast = claim_next(now=later)  # worker B claims again and sends
    assert fast.pk == slow.pk and fast.claim_token != slow.claim_token
    connection = mail.get_connection()

    assert send_claimed(fast, connection) == State.SENT
    assert send_claimed(slow, connection) is None  # A wakes up: its claim is gone, nothing sent
    assert len(mail.outbox) == 1


def test_a_server_that_hangs_mid_send_leaves_the_message_uncertain(settings):
    stored = outbox.enqueue(message(), key="test:hang")
    settings.EMAIL_BACKEND = "tests.test_outbox.HangsMidSend"

    assert deliver_due() == 0

    stored.refresh_from_db()
    assert stored.state == State.UNCERTAIN
    assert "TimeoutError" in stored.last_error


def test_a_refusal_is_retried_with_backoff_and_a_permanent_one_fails(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    temporary = outbox.enqueue(message(to="a@example.org"), key="test:451")
    settings.EMAIL_BACKEND = "tests.test_outbox.RefusesForNow"
    before = timezone.now()
    deliver_due()
    temporary.refresh_from_db()
    assert temporary.state == State.QUEUED and temporary.attempts == 1
    assert 23 <= (temporary.next_attempt_at - before).total_seconds() <= 37
    # The worker is woken for the retry.
    later = DBTaskResult.objects.filter(
        run_after__gt=before + datetime.timedelta(seconds=20), run_after__lt=before + datetime.timedelta(days=1)
    )
    assert later.count() == 1

    permanent = outbox.enqueue(message(to="b@example.org"), key="test:550")
    settings.EMAIL_BACKEND = "tests.test_outbox.Refuses"
    deliver_due()
    permanent.refresh_from_db()
    assert permanent.state == State.FAILED
    assert "550" in permanent.last_error


def test_backoff_grows_exponentially_up_to_the_cap(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600
    middles = [backoff(attempt) / 1.0 for attempt in (1, 2, 3, 4, 12)]
    for delay, expected in zip(middles, (30, 60, 120, 240, 3600), strict=True):
        assert 0.8 * expected <= delay <= 1.2 * expected


def test_retry_queues_only_failed_messages(settings):
    failed = outbox.enqueue(message(to="a@example.org"), key="test:failed")
    settings.EMAIL_BACKEND = "tests.test_outbox.Refuses"
    deliver_due()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sent = outbox.enqueue(message(to="b@example.org"), key="test:sent")
    deliver_due()

    assert outbox.retry([failed, sent]) == 1
    assert outbox.retry([failed, sent]) == 0  # already queued: a double click changes nothing
    assert deliver_due() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]


def test_the_dashboard_warns_when_the_worker_is_not_running(admin_client):
    assert "outbox-stalled" not in admin_client.get("/admin/").content.decode()
    stored = outbox.enqueue(message(), key="test:stalled")
    OutboxMessage.objects.filter(pk=stored.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(hours=1))

    html = admin_client.get("/admin/").content.decode()

    assert "outbox-stalled" in html
    assert "outbox_worker" in html
