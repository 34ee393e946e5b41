"""Topic essays (Themen) and their index."""

from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.blocks import BaseStreamBlock
from core.models import BasePage

TOPICS_PER_PAGE = 20


class TopicIndexPage(BasePage):
    """Lists the topic essays below it."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["topics.TopicPage", "forms.FormPage"]

    class Meta:
        verbose_name = _("topic index page")
        verbose_name_plural = _("topic index pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        topics = TopicPage.objects.child_of(self).live().public().defer_streamfields().order_by("-date", "title")
        # A page of topics at a time: rendering hundreds of them made the index slow to serve.
        context["topics"] = Paginator(topics, TOPICS_PER_PAGE).get_page(request.GET.get("page"))
        return context


class TopicPage(BasePage):
    """An essay on a topic of social planning."""

    date = models.DateField(_("date"), null=True, blank=True, help_text=_("When the text was written."))
    body = StreamField(
        BaseStreamBlock(),
        verbose_name=_("body"),
        help_text=_("The essay: paragraphs, guiding questions, links, forms."),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("date"), InlinePanel("authors", label=_("Authors"))],
            heading=_("Authors and date"),
        ),
        InlinePanel("related_topics", label=_("Related topics")),
    ]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.RelatedFields("authors", [index.RelatedFields("person", [index.SearchField("name")])]),
    ]

    translatable_fields = [
        *BasePage.translatable_fields,
        # Content tab
        TranslatableField("body"),
        SynchronizedField("date"),
        SynchronizedField("authors"),
        SynchronizedField("related_topics"),
    ]

    parent_page_types = ["topics.TopicIndexPage"]
    subpage_types = ["forms.FormPage"]

    class Meta:
        verbose_name = _("topic page")
        verbose_name_plural = _("topic pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_topics"] = self.get_related_topics()
        return context

    def get_related_topics(self):
        """Live related topics in this page's language, in the editor's order (one query)."""
        keys = [link.topic.translation_key for link in self.related_topics.select_related("topic")]
        if not keys:
            return []
        pages = TopicPage.objects.filter(translation_key__in=keys, locale_id=self.locale_id).live().public()
        by_key = {page.translation_key: page for page in pages.defer_streamfields()}
        return [by_key[key] for key in keys if key in by_key]


class RelatedTopic(Orderable):
    page = ParentalKey(TopicPage, on_delete=models.CASCADE, related_name="related_topics")
    topic = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("topic"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Another topic page readers of this one may want to read."),
    )

    panels = [PageChooserPanel("topic", "topics.TopicPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("related topic")
        verbose_name_plural = _("related topics")
