"""Releases places whose e-mail address was not confirmed in time (double opt-in).

Run every few minutes from cron: ``python manage.py release_unconfirmed_registrations``.
A registration unconfirmed for ``REGISTRATIONS_CONFIRM_HOURS`` is cancelled; its place
goes to the first confirmed person on the waiting list, who gets a mail.
"""

from django.core.management.base import BaseCommand

from registrations import services


class Command(BaseCommand):
    help = "Cancels registrations whose e-mail address was not confirmed within REGISTRATIONS_CONFIRM_HOURS."

    def handle(self, *args, **options):
        released = services.release_unconfirmed()
        for registration in released:
            self.stdout.write(f"  released registration {registration.pk} for event {registration.event_id}")
        self.stdout.write(f"Released {len(released)} unconfirmed registration(s).")
