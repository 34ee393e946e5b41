"""Deletes form submissions older than their form's retention period (data protection).

Run daily, e.g. from cron: ``python manage.py purge_form_submissions``.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from forms.models import ConfirmationTally, FormPage


class Command(BaseCommand):
    help = "Deletes form submissions older than the retention period of their form."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list what would be deleted; delete nothing.")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        total = 0
        with transaction.atomic():
            for page in FormPage.objects.select_related("locale").order_by("path"):
                expired = page.expired_submissions(now).order_by("submit_time")
                rows = list(expired.values_list("pk", "submit_time"))
                if not rows:
                    continue
                verb = "Would delete" if dry_run else "Deleting"
                self.stdout.write(
                    f"{verb} {len(rows)} submission(s) of “{page.title}” ({page.locale.language_code}, "
                    f"page {page.pk}, kept {page.retention_days} days):"
                )
                for pk, submit_time in rows:
                    self.stdout.write(f"  submission {pk} of {timezone.localtime(submit_time).isoformat()}")
                if not dry_run:
                    expired.delete()
                total += len(rows)
        if dry_run:
            self.stdout.write(f"Dry run: {total} submission(s) would be deleted; nothing was deleted.")
        else:
            # Yesterday's confirmation counts are no longer needed (one row per address hash and day).
            ConfirmationTally.objects.filter(day__lt=timezone.localdate()).delete()
            self.stdout.write(self.style.SUCCESS(f"Deleted {total} submission(s)."))
