"""A durable outbox for e-mail: written in the caller's transaction, sent by a worker, each mail at most once.

    import outbox

    with transaction.atomic():
        registration = Registration.objects.create(...)
        outbox.enqueue(message, key=f"registrations:{registration.pk}:confirmation")

``enqueue`` stores the message (an ``EmailMessage`` or ``EmailMultiAlternatives``,
attachments included) in the current transaction: it is sent only if that commits,
and never inside the visitor's request. ``key`` makes it idempotent: a second
``enqueue`` with the same key returns the stored message and sends nothing more.
The worker (``manage.py outbox_worker``) sends it with retries and exponential
backoff; ``outbox.delivery`` explains the states and why no mail goes out twice.
"""


def enqueue(message, *, key):
    """Stores ``message`` for sending under the unique ``key``; returns the ``OutboxMessage``."""
    from .delivery import enqueue as _enqueue

    return _enqueue(message, key=key)


def retry(messages):
    """Queues failed messages again (an editor's "resend"); sent or uncertain ones are left alone."""
    from .delivery import retry as _retry

    return _retry(messages)
