"""``state_changed`` is sent with ``message=<OutboxMessage>`` whenever a message moves on (queued again,
sent, failed, uncertain), inside the transaction that records it. Apps that keep their own view
of a mail's fate (the forms' submission list) update it here."""

from django.dispatch import Signal

state_changed = Signal()
