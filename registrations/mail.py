"""The seam through which every registration mail leaves, once per idempotency key.

``deliver(message, key=…)`` records the key in ``SentMail`` before sending, so a
repeated call (a command run twice, a retried request) never sends the same mail
twice; a failed attempt is recorded with its error and tried again by the next call
with the same key. When the project's durable outbox lands, only this module changes.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import SentMail

logger = logging.getLogger(__name__)


def deliver(message, *, key, registration=None):
    """Sends ``message`` unless a mail with ``key`` went out before; returns True if it was sent now."""
    if not message.to:
        return False
    key = key[:200]
    try:
        # Insert first (a write as the transaction's first statement takes SQLite's write lock
        # at once instead of failing on a stale read snapshot); an existing key is a repeat.
        with transaction.atomic():
            record = SentMail.objects.create(key=key, registration=registration, subject=message.subject[:998])
    except IntegrityError:
        record = SentMail.objects.filter(key=key).first()
        if record is None or record.sent_at:
            return False
    # Claim the key: only one process sends it.
    claimed = SentMail.objects.filter(pk=record.pk, sent_at__isnull=True).update(sent_at=timezone.now(), error="")
    if not claimed:
        return False
    try:
        message.send(fail_silently=False)
    except Exception as error:  # any transport error: recorded, retried with the same key
        logger.exception("Registration mail %s failed", key)
        SentMail.objects.filter(pk=record.pk).update(sent_at=None, error=f"{type(error).__name__}: {error}")
        return False
    return True
