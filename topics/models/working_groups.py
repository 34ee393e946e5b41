"""Working groups (Fachgruppen) and their index."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.blocks import RICH_TEXT_FEATURES, BaseStreamBlock
from core.models import BasePage
from forms.blocks import FormBlock
from topics.blocks import ListItemStreamBlock
from topics.models.events import EventPage


class WorkingGroupIndexPage(BasePage):
    """Lists the working groups below it."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["topics.WorkingGroupPage", "forms.FormPage"]

    class Meta:
        verbose_name = _("working group index page")
        verbose_name_plural = _("working group index pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["working_groups"] = (
            WorkingGroupPage.objects.child_of(self).live().public().defer_streamfields().order_by("title")
        )
        return context


class WorkingGroupPage(BasePage):
    """A working group (Fachgruppe): its goal, topics, contacts and meetings."""

    goal = RichTextField(
        _("goal"), features=RICH_TEXT_FEATURES, help_text=_("What the group wants to achieve and for whom.")
    )
    body = StreamField(
        BaseStreamBlock(), blank=True, verbose_name=_("body"), help_text=_("More about how the group works.")
    )
    topics_intro = models.TextField(
        _("topics introduction"), blank=True, help_text=_("A sentence before the list of topics.")
    )
    topics = StreamField(
        ListItemStreamBlock(),
        blank=True,
        verbose_name=_("topics"),
        help_text=_("Topics the group deals with, one per item."),
    )
    questions_intro = models.TextField(
        _("questions introduction"),
        blank=True,
        help_text=_("A sentence before the open questions. Shown only when there are questions."),
    )
    open_questions = StreamField(
        ListItemStreamBlock(),
        blank=True,
        verbose_name=_("open questions"),
        help_text=_("Questions the group wants to discuss, one per item."),
    )
    closing_text = RichTextField(
        _("closing text"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("Invitation to join and whom to ask. E-mail addresses are protected automatically."),
    )
    join_form = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("join / ask form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The form for joining the group or asking a question, shown after the contact persons."),
    )
    date = models.DateField(_("date of the text"), null=True, blank=True, help_text=_("When the text was written."))

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("goal"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("topics_intro"), FieldPanel("topics")], heading=_("Topics")),
        MultiFieldPanel([FieldPanel("questions_intro"), FieldPanel("open_questions")], heading=_("Open questions")),
        FieldPanel("closing_text"),
        InlinePanel("contacts", label=_("Contact persons")),
        PageChooserPanel("join_form", "forms.FormPage"),
        MultiFieldPanel(
            [FieldPanel("date"), InlinePanel("authors", label=_("Authors"))], heading=_("Authors and date")
        ),
    ]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("goal"),
        index.SearchField("body"),
        index.SearchField("topics_intro"),
        index.SearchField("topics"),
        index.SearchField("questions_intro"),
        index.SearchField("open_questions"),
        index.SearchField("closing_text"),
        index.RelatedFields("contacts", [index.RelatedFields("person", [index.SearchField("name")])]),
        index.RelatedFields("authors", [index.RelatedFields("person", [index.SearchField("name")])]),
    ]

    translatable_fields = [
        *BasePage.translatable_fields,
        # Content tab
        TranslatableField("goal"),
        TranslatableField("body"),
        TranslatableField("topics_intro"),
        TranslatableField("topics"),
        TranslatableField("questions_intro"),
        TranslatableField("open_questions"),
        TranslatableField("closing_text"),
        SynchronizedField("contacts"),
        SynchronizedField("join_form"),
        SynchronizedField("date"),
        SynchronizedField("authors"),
    ]

    parent_page_types = ["topics.WorkingGroupIndexPage"]
    subpage_types = ["topics.EventPage", "forms.FormPage"]

    class Meta:
        verbose_name = _("working group page")
        verbose_name_plural = _("working group pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["meetings"] = EventPage.objects.child_of(self).defer_streamfields().upcoming().with_places_taken()
        if self.join_form_id:
            context["join_form"] = FormBlock().to_python({"form_page": self.join_form_id, "display": "embed"})
        return context
