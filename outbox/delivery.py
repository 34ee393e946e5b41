"""Queueing and sending the outbox's messages, each at most once.

Every message walks a small state machine; each step is one conditional UPDATE
(``… WHERE state = <expected> AND claim_token = <ours>``), so of two workers that
race for a message exactly one wins, on PostgreSQL and SQLite alike:

    queued ──claim──▶ claimed ──hand──▶ sending ──server said 250──▶ sent
      ▲                  │                  │
      └── retry later ◀──┴── connection     ├── server refused (4xx/5xx) ──▶ queued again / failed
          (backoff)          failed         └── no answer, connection lost ──▶ uncertain

- *claim*: the worker takes the oldest due message (``SELECT … FOR UPDATE SKIP LOCKED``
  on PostgreSQL; SQLite's write lock serialises the claim), counts the attempt and
  writes a fresh claim token; this commits before anything is sent.
- *hand*: only after the connection to the mail server is open, the worker moves its
  own claim to ``sending`` — and sends only if that UPDATE changed the row. A worker
  whose claim was taken from it (see below) sends nothing.
- *sent* / *queued again* / *failed* / *uncertain*: the outcome, again only for the
  worker's own claim. A refusal by the server (an SMTP error code) means the mail was
  not accepted, so it is tried again later (4xx) or given up (5xx, or too many
  attempts). A lost connection or a timeout while the server had the message may or
  may not have delivered it: such a message is marked ``uncertain`` and never sent
  again automatically.

A worker killed after *claim* leaves a ``claimed`` message, which is queued again
after ``OUTBOX_CLAIM_TIMEOUT`` (it never reached the server). A worker killed after
*hand* leaves a ``sending`` message, which becomes ``uncertain`` after
``OUTBOX_SEND_TIMEOUT``: at most once means a mail may need a person's look, never
that it arrives twice. Every message carries a fixed ``Message-ID`` too.
"""

import contextlib
import datetime
import logging
import random
import smtplib
import time
import uuid

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import make_msgid
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboxMessage, State, payload_from_message
from .signals import state_changed

logger = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 2000


def setting(name):
    defaults = {
        "OUTBOX_MAX_ATTEMPTS": 10,
        "OUTBOX_RETRY_BASE_SECONDS": 30,
        "OUTBOX_RETRY_MAX_SECONDS": 3600,
        "OUTBOX_CLAIM_TIMEOUT": 300,
        "OUTBOX_SEND_TIMEOUT": 900,
        "OUTBOX_KEEP_SENT_DAYS": 30,
    }
    return getattr(settings, name, defaults[name])


# Queueing


def enqueue(message, *, key):
    """Stores the message under ``key`` in the current transaction, once; wakes the worker when it commits."""
    if not key or len(key) > 255:
        raise ValueError("outbox: a key of 1 to 255 characters is required")
    if not message.recipients():
        raise ValueError(f"outbox: message {key!r} has no recipient")
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing is not None:
        return existing
    if not any(name.lower() == "message-id" for name in message.extra_headers):
        message.extra_headers["Message-ID"] = make_msgid(domain=message_id_domain())
    payload = payload_from_message(message)
    try:
        with transaction.atomic():
            stored = OutboxMessage.objects.create(
                key=key,
                subject=payload["subject"][:255],
                payload=payload,
                message_id=message.extra_headers.get("Message-ID", ""),
            )
    except IntegrityError:  # the same key committed meanwhile by someone else
        return OutboxMessage.objects.get(key=key)
    wake_worker()
    return stored


def message_id_domain():
    sender = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)
    return sender[1].strip(" >") if len(sender) == 2 else "localhost"


def retry(messages):
    """Queues the given failed messages again, due now; returns how many. Other states are untouched."""
    pks = [message.pk for message in messages]
    count = OutboxMessage.objects.filter(pk__in=pks, state=State.FAILED).update(
        state=State.QUEUED, attempts=0, next_attempt_at=timezone.now(), claim_token="", last_error=""
    )
    for message in OutboxMessage.objects.filter(pk__in=pks, state=State.QUEUED):
        state_changed.send(sender=OutboxMessage, message=message)
    if count:
        wake_worker()
    return count


def wake_worker(run_after=None):
    """Enqueues the delivery task: in the same transaction on the database backend, else after commit."""
    from .tasks import deliver_outbox

    task = deliver_outbox.using(run_after=run_after) if run_after else deliver_outbox
    if task.get_backend().__class__.__name__ == "DatabaseBackend":
        task.enqueue()
    else:
        transaction.on_commit(task.enqueue, robust=True)


# Sending


class Circuit:
    """Remembers in this process that a mail server is down, so a hanging one costs one timeout, not one per mail.

    Keyed by the mail settings: another server (or backend) is not held back.
    """

    open_until = {}

    @staticmethod
    def key():
        return (settings.EMAIL_BACKEND, getattr(settings, "EMAIL_HOST", ""), getattr(settings, "EMAIL_PORT", 0))

    @classmethod
    def is_open(cls):
        return time.monotonic() < cls.open_until.get(cls.key(), 0.0)

    @classmethod
    def trip(cls, seconds):
        cls.open_until[cls.key()] = time.monotonic() + seconds

    @classmethod
    def reset(cls):
        cls.open_until.pop(cls.key(), None)


def backoff(attempts):
    """Seconds before the next try: exponential, capped, with ±20 % jitter against thundering herds."""
    base, cap = setting("OUTBOX_RETRY_BASE_SECONDS"), setting("OUTBOX_RETRY_MAX_SECONDS")
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return delay * random.uniform(0.8, 1.2)  # noqa: S311 (not cryptography)


def deliver_due(limit=None, now=None):
    """Sends every message that is due (at most ``limit``); returns the number sent."""
    recover_abandoned(now)
    if Circuit.is_open():
        return 0
    sent = 0
    mail_connection = None
    try:
        while limit is None or sent < limit:
            message = claim_next(now)
            if message is None:
                break
            if mail_connection is None:
                mail_connection = get_connection(fail_silently=False)
                try:
                    mail_connection.open()
                except Exception as error:  # nothing was handed over: safe to try again later
                    mail_connection = None
                    delay = release(message, error)
                    Circuit.trip(delay)
                    break
            outcome = send_claimed(message, mail_connection)
            if outcome == State.SENT:
                sent += 1
            elif outcome == State.UNCERTAIN:
                close_quietly(mail_connection)
                mail_connection = None
    finally:
        close_quietly(mail_connection)
    if sent:
        Circuit.reset()
    prune(now)
    return sent


def claim_next(now=None):
    """Takes the oldest due queued message for this worker, or returns None."""
    now = now or timezone.now()
    while True:
        with transaction.atomic():
            due = OutboxMessage.objects.filter(state=State.QUEUED, next_attempt_at__lte=now).order_by(
                "next_attempt_at", "pk"
            )
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            candidate = due.only("pk").first()
            if candidate is None:
                return None
            token = uuid.uuid4().hex
            claimed = OutboxMessage.objects.filter(pk=candidate.pk, state=State.QUEUED).update(
                state=State.CLAIMED, claim_token=token, claimed_at=timezone.now(), attempts=F("attempts") + 1
            )
        if claimed:
            return OutboxMessage.objects.get(pk=candidate.pk)


def mine(message, state):
    return OutboxMessage.objects.filter(pk=message.pk, state=state, claim_token=message.claim_token)


def send_claimed(message, mail_connection):
    """Hands one claimed message to the open connection and records the outcome."""
    try:
        email = message.to_email()
    except Exception as error:  # a stored message that cannot be rebuilt will never send
        finish(message, State.CLAIMED, State.FAILED, error=error)
        return State.FAILED
    if not mine(message, State.CLAIMED).update(state=State.SENDING):
        logger.warning("Outbox: claim on %s was taken over; not sending", message.key)
        return None
    try:
        delivered = mail_connection.send_messages([email])
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
        # The server answered with an error code: it did not take the message.
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            codes = [code for code, _text in error.recipients.values()]
        else:
            codes = [error.smtp_code]
        permanent = bool(codes) and all(code >= 500 for code in codes)
        release(message, error, from_state=State.SENDING, permanent=permanent)
        return State.FAILED if permanent else State.QUEUED
    except Exception as error:  # a timeout or a lost connection while the server had the message
        logger.error("Outbox: %s may or may not have been delivered (%r); not sending it again", message.key, error)
        finish(message, State.SENDING, State.UNCERTAIN, error=error)
        return State.UNCERTAIN
    if not delivered:
        finish(message, State.SENDING, State.FAILED, error="the mail backend sent nothing")
        return State.FAILED
    finish(message, State.SENDING, State.SENT)
    return State.SENT


def release(message, error, from_state=State.CLAIMED, permanent=False):
    """After a failure the server certainly did not accept: queue again with backoff, or give up."""
    attempts = message.attempts
    if permanent or attempts >= setting("OUTBOX_MAX_ATTEMPTS"):
        finish(message, from_state, State.FAILED, error=error)
        logger.error("Outbox: giving up on %s after %d attempt(s): %r", message.key, attempts, error)
        return 0
    delay = backoff(attempts)
    next_attempt = timezone.now() + datetime.timedelta(seconds=delay)
    with transaction.atomic():
        changed = mine(message, from_state).update(
            state=State.QUEUED, next_attempt_at=next_attempt, claim_token="", last_error=describe(error)
        )
        if changed:
            message.refresh_from_db()
            state_changed.send(sender=OutboxMessage, message=message)
            wake_worker(run_after=next_attempt)
    logger.warning("Outbox: %s not sent (%r); attempt %d, next in %.0f s", message.key, error, attempts, delay)
    return delay


def finish(message, from_state, to_state, error=None):
    values = {"state": to_state, "last_error": describe(error) if error else ""}
    if to_state == State.SENT:
        values.update(sent_at=timezone.now(), payload={})
    with transaction.atomic():
        if mine(message, from_state).update(**values):
            message.refresh_from_db()
            state_changed.send(sender=OutboxMessage, message=message)


def recover_abandoned(now=None):
    """Messages of workers that died: claimed ones go back to the queue, sending ones become uncertain."""
    now = now or timezone.now()
    claimed_before = now - datetime.timedelta(seconds=setting("OUTBOX_CLAIM_TIMEOUT"))
    for message in OutboxMessage.objects.filter(state=State.CLAIMED, claimed_at__lt=claimed_before):
        with transaction.atomic():
            if mine(message, State.CLAIMED).update(state=State.QUEUED, claim_token="", next_attempt_at=now):
                logger.warning("Outbox: %s was claimed by a worker that stopped; queued again", message.key)
    sending_before = now - datetime.timedelta(seconds=setting("OUTBOX_SEND_TIMEOUT"))
    for message in OutboxMessage.objects.filter(state=State.SENDING, claimed_at__lt=sending_before):
        finish(message, State.SENDING, State.UNCERTAIN, error="the worker stopped while the mail server had it")


def prune(now=None):
    """Forgets sent messages after ``OUTBOX_KEEP_SENT_DAYS`` and the finished delivery tasks after a day."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=setting("OUTBOX_KEEP_SENT_DAYS"))
    OutboxMessage.objects.filter(state=State.SENT, sent_at__lt=cutoff).delete()
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another task backend
        return
    DBTaskResult.objects.filter(
        backend_name="outbox", status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=now - datetime.timedelta(days=1)
    ).delete()


def describe(error):
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return text[:MAX_ERROR_LENGTH]


def close_quietly(mail_connection):
    if mail_connection is None:
        return
    with contextlib.suppress(Exception):  # a broken connection is being thrown away
        mail_connection.close()
