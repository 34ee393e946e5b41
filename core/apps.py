from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared pieces: the abstract base page, the common StreamBlock, e-mail protection."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        # Per-request memo of Wagtail's repeated look-ups, and the page cache's invalidation.
        from core import memo, page_cache

        memo.install()
        page_cache.connect_signals()
