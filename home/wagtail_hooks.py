from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.models import SiteSettings


class SiteSettingsViewSet(SnippetViewSet):
    """The footer texts and links; one row per language, translated with wagtail-localize."""

    model = SiteSettings
    icon = "cogs"
    menu_label = _("Site settings")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["organisation_name", "locale"]
    list_filter = ["locale"]


register_snippet(SiteSettingsViewSet)
