"""The abstract base page every visitor-facing page type builds on.

It holds fields only (STYLE.md): the intro shown under the title and in listings,
the explicit list of translatable fields, and the search fields every page has.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

# The translatable fields of Wagtail's own Promote tab, shared by every page type
# (FormPage builds on Wagtail's form page rather than on BasePage).
PROMOTE_TRANSLATABLE_FIELDS = [
    TranslatableField("slug"),
    TranslatableField("seo_title"),
    TranslatableField("search_description"),
    SynchronizedField("show_in_menus"),
]


class BasePage(Page):
    intro = models.TextField(
        _("intro"),
        blank=True,
        help_text=_("One or two sentences under the title. Also shown in lists and search results."),
    )

    menu_title = models.CharField(
        _("menu title"),
        max_length=60,
        blank=True,
        help_text=_("A shorter title for the main navigation. Leave empty to use the page title."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("slug"), FieldPanel("seo_title"), FieldPanel("search_description")],
            heading=_("For search engines"),
        ),
        MultiFieldPanel([FieldPanel("show_in_menus"), FieldPanel("menu_title")], heading=_("For site menus")),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.FilterField("locale_id"),
    ]

    translatable_fields = [
        # Content tab
        TranslatableField("title"),
        TranslatableField("intro"),
        # Promote tab
        *PROMOTE_TRANSLATABLE_FIELDS,
        TranslatableField("menu_title"),
    ]

    class Meta:
        abstract = True

    def get_listing_text(self):
        """The text shown for this page in listings: intro, else the search description."""
        return self.intro or self.search_description
