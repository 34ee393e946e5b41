from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    """Registration for events: places, waiting list, double opt-in, mails with the calendar entry."""

    name = "registrations"
    label = "registrations"
    verbose_name = _("Event registrations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import (
            personal_data,  # noqa: F401  (registers registrations with the access app's personal-data registry)
            signals,  # noqa: F401  (fills places from the waiting list when an editor adds places)
        )
