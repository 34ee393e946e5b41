"""The one way a registration mail leaves: the project's durable outbox, once per idempotency key.

``deliver`` stores the message with ``outbox.enqueue`` in the caller's transaction: the
mail exists exactly when the change that caused it was committed (a registration, a
place moving up), and the outbox worker sends it later, never inside a visitor's
request. The key makes it idempotent: a repeated call (a command run twice, a retried
request) stores nothing more.
"""

import outbox
from outbox.models import OutboxMessage


def deliver(message, *, key, registration=None):
    """Queues ``message`` under ``key``; returns True if it was queued now, False if it was before."""
    if not message.to:
        return False
    key = key[:255]
    if OutboxMessage.objects.filter(key=key).exists():
        return False
    outbox.enqueue(message, key=key)
    return True
