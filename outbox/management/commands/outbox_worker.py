"""The mail worker: django-tasks-db's ``db_worker`` for the ``outbox`` backend, after a first sweep.

    python manage.py outbox_worker            # runs until stopped (SIGTERM finishes the current mail)
    python manage.py outbox_worker --batch    # sends what is due, then exits (cron, tests)

Any number of workers may run side by side, on one machine or several.
"""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from outbox.delivery import deliver_due
from outbox.tasks import BACKEND, QUEUE


class Command(DbWorkerCommand):
    help = "Sends the queued e-mails of the outbox, with retries; runs until stopped (or --batch)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(backend_name=BACKEND, queue_name=QUEUE, reload=False)

    def handle(self, *args, **options):
        # Messages whose wake-up task is gone (pruned, or queued before the worker existed) go now.
        sent = deliver_due()
        if sent and options["verbosity"]:
            self.stdout.write(f"Sent {sent} queued e-mail(s) at start.")
        return super().handle(*args, **options)
