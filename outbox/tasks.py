"""The delivery task, run by the worker (``manage.py outbox_worker``) of the ``outbox`` task backend."""

from django_tasks import task

from .delivery import deliver_due

BACKEND = "outbox"
QUEUE = "mail"


@task(backend=BACKEND, queue_name=QUEUE)
def deliver_outbox():
    """Sends every message that is due. Any number of these may run at once: each message goes out once."""
    return deliver_due()
