from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, PreviewableMixin, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.blocks import BaseStreamBlock
from core.models import BasePage
from topics.models import EventPage

from .legal import ImpressumPage, PrivacyPolicyPage

__all__ = ["HomePage", "ImpressumPage", "PrivacyPolicyPage", "SiteSettings", "SocialLinkBlock", "StandardPage"]


class HomePage(BasePage):
    """The start page; one per language, the root of that language's tree."""

    body = StreamField(
        BaseStreamBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_("Content below the introduction and the list of upcoming events."),
    )
    upcoming_events_count = models.PositiveSmallIntegerField(
        _("number of upcoming events"),
        default=3,
        help_text=_("How many upcoming events the start page lists. 0 hides the list."),
    )

    content_panels = [*BasePage.content_panels, FieldPanel("body"), FieldPanel("upcoming_events_count")]

    search_fields = [*BasePage.search_fields, index.SearchField("body")]

    translatable_fields = [
        *BasePage.translatable_fields,
        # Content tab
        TranslatableField("body"),
        SynchronizedField("upcoming_events_count"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "home.ImpressumPage",
        "home.PrivacyPolicyPage",
        "topics.TopicIndexPage",
        "topics.EventSeriesPage",
        "topics.WorkingGroupIndexPage",
        "news.NewsIndexPage",
        "forms.FormPage",
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["upcoming_events"] = (
            EventPage.objects.filter(locale_id=self.locale_id)
            .upcoming()
            .with_places_taken()
            .defer_streamfields()[: self.upcoming_events_count]
            if self.upcoming_events_count
            else []
        )
        return context


class StandardPage(BasePage):
    """A simple page: about us, imprint, privacy policy."""

    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"), help_text=_("The content of the page."))

    content_panels = [*BasePage.content_panels, FieldPanel("body")]

    search_fields = [*BasePage.search_fields, index.SearchField("body")]

    translatable_fields = [
        *BasePage.translatable_fields,
        # Content tab
        TranslatableField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage", "forms.FormPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class SocialLinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Name"), max_length=60, help_text=_('For example "Mastodon" or "LinkedIn".'))
    url = blocks.URLBlock(label=_("Web address"))

    class Meta:
        icon = "link"
        label = _("Social media link")


class SiteSettings(PreviewableMixin, TranslatableMixin, models.Model):
    """Texts and links shown on every page (footer, contact). One per language."""

    organisation_name = models.CharField(
        _("organisation name"),
        max_length=200,
        help_text=_("Shown in the header next to the logo and in the footer."),
    )
    tagline = models.CharField(
        _("tagline"), max_length=200, blank=True, help_text=_("A short line under the organisation name.")
    )
    footer_text = RichTextField(
        _("footer text"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("A short text in the footer, e.g. the address of the association."),
    )
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_("Shown in the footer, protected from address harvesters."),
    )
    imprint_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("imprint page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked in the footer of every page once it is published."),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy policy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked in the footer and next to every form once it is published."),
    )
    social_links = StreamField(
        [("link", SocialLinkBlock())],
        blank=True,
        verbose_name=_("social media links"),
        help_text=_("Links to the association's profiles, shown in the footer."),
    )

    panels = [
        MultiFieldPanel([FieldPanel("organisation_name"), FieldPanel("tagline")], heading=_("Name")),
        MultiFieldPanel(
            [FieldPanel("footer_text"), FieldPanel("contact_email"), FieldPanel("social_links")],
            heading=_("Footer"),
        ),
        MultiFieldPanel([FieldPanel("imprint_page"), FieldPanel("privacy_page")], heading=_("Legal pages")),
    ]

    translatable_fields = [
        TranslatableField("organisation_name"),
        TranslatableField("tagline"),
        TranslatableField("footer_text"),
        SynchronizedField("contact_email"),
        SynchronizedField("imprint_page"),
        SynchronizedField("privacy_page"),
        TranslatableField("social_links"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return f"{self.organisation_name} ({self.locale})"

    @classmethod
    def for_locale(cls, locale):
        """The settings in this language, else those of the default language, else None."""
        return (
            cls.objects.filter(locale=locale).first()
            or cls.objects.filter(locale=Locale.get_default()).select_related("locale").first()
        )

    def get_preview_template(self, request, mode_name):
        return "home/site_settings_preview.html"
