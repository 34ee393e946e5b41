from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """Roles, locale-aware permissions, personal-data requests and go-live checks."""

    name = "access"
    verbose_name = _("Roles and personal data")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)
        from .policies import register_policies

        register_policies()
