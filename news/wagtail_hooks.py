from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from news.models import NewsCategory


class NewsCategoryViewSet(SnippetViewSet):
    """The categories news articles are filed under; translated like the pages."""

    model = NewsCategory
    icon = "tag"
    menu_label = _("News categories")
    menu_order = 320
    add_to_admin_menu = True
    list_display = ["name", "slug", "locale"]
    list_filter = ["locale"]
    search_fields = ["name"]


register_snippet(NewsCategoryViewSet)
