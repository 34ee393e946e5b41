"""Mails each participant a reminder (join link, calendar entry, cancel link) before the event.

Run every few minutes from cron: ``python manage.py send_event_reminders``. Each
registration gets one reminder at most: ``reminder_sent_at`` is claimed in the same
transaction that queues the mail in the outbox (with an idempotency key), so
overlapping runs are safe.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from registrations import emails
from registrations.models import Registration


class Command(BaseCommand):
    help = "Sends the reminder to confirmed participants of events that start within REGISTRATIONS_REMINDER_HOURS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=float,
            default=None,
            help="Remind this many hours before the start (default: REGISTRATIONS_REMINDER_HOURS).",
        )

    def handle(self, *args, hours=None, **options):
        now = timezone.now()
        hours = settings.REGISTRATIONS_REMINDER_HOURS if hours is None else hours
        due = (
            Registration.objects.participants()
            .filter(
                reminder_sent_at__isnull=True,
                event__registration_enabled=True,
                event__start__gt=now,
                event__start__lte=now + datetime.timedelta(hours=hours),
            )
            .select_related("event", "event__locale")
            .order_by("event__start", "pk")
        )
        sent = 0
        for registration in due:
            # The claim and the queued mail commit together: a crash leaves neither.
            with transaction.atomic():
                claimed = Registration.objects.filter(pk=registration.pk, reminder_sent_at__isnull=True).update(
                    reminder_sent_at=now
                )
                if claimed and emails.send_reminder(registration):
                    sent += 1
        self.stdout.write(f"Queued {sent} reminder(s).")
