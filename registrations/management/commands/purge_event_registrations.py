"""Deletes registrations once their event is over by its retention period (data protection).

The sibling of ``purge_form_submissions``; run daily, e.g. from cron:
``python manage.py purge_event_registrations``. Each event keeps its registrations
for "keep registrations for (days after the event)" (default 90), counted from its end
(or start, if it has no end).
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from registrations.models import Registration
from topics.models import EventPage


class Command(BaseCommand):
    help = "Deletes registrations of events that ended longer ago than the event's retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what would be deleted; delete nothing.")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        total = 0
        keys = Registration.objects.values_list("event_key", flat=True).distinct()
        events = EventPage.objects.filter(translation_key__in=keys).select_related("locale").order_by("path")
        done = set()
        with transaction.atomic():
            for event in events:
                if event.translation_key in done:
                    continue
                done.add(event.translation_key)
                cutoff = (event.end or event.start) + datetime.timedelta(days=event.registration_retention_days)
                if cutoff > now:
                    continue
                expired = Registration.objects.for_event(event)
                count = expired.count()
                if not count:
                    continue
                verb = "Would delete" if dry_run else "Deleting"
                self.stdout.write(
                    f"{verb} {count} registration(s) of “{event.title}” (page {event.pk}, "
                    f"ended {timezone.localtime(event.end or event.start).date()}, "
                    f"kept {event.registration_retention_days} days)"
                )
                if not dry_run:
                    expired.delete()
                total += count
        if dry_run:
            self.stdout.write(f"Dry run: {total} registration(s) would be deleted; nothing was deleted.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Deleted {total} registration(s)."))
