"""Event series (Programmreihe) and their events, with iCalendar downloads."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.blocks import BaseStreamBlock
from core.models import BasePage
from topics.blocks import ProgrammeStreamBlock
from topics.ical import calendar_response

DEFAULT_REGISTRATION_PRIVACY_NOTICE = (
    "Datenschutz-Hinweis: Ihre Angaben werden ausschließlich für die Organisation dieser Veranstaltung "
    "verwendet und 90 Tage nach der Veranstaltung gelöscht."
)
DEFAULT_REGISTRATION_CONSENT_LABEL = (
    "Ich bin einverstanden, dass meine Angaben zur Organisation der Veranstaltung gespeichert werden."
)


def is_over(now=None):
    """The one rule for "this event is past", as a filter: it has ended, or, without an end, it has begun.

    ``EventPage.is_past`` is the same rule for one event in memory.
    """
    now = now or timezone.now()
    return models.Q(end__lt=now) | models.Q(end__isnull=True, start__lt=now)


class EventPageQuerySet(PageQuerySet):
    def with_places_taken(self):
        """Annotates the places taken (registration on this website) in one subquery, for lists of events."""
        from registrations.availability import with_places_taken

        return with_places_taken(self)

    def upcoming(self, now=None):
        """Live, public events that have not ended yet, soonest first."""
        return self.live().public().exclude(is_over(now)).order_by("start")

    def past(self, now=None):
        """Live, public events that are over, most recent first."""
        return self.live().public().filter(is_over(now)).order_by("-start")


EventPageManager = PageManager.from_queryset(EventPageQuerySet)


class EventSeriesPage(RoutablePageMixin, BasePage):
    """A series of events (Programmreihe) with partners; its events are its child pages."""

    subtitle = models.CharField(
        _("subtitle"), max_length=250, blank=True, help_text=_("Shown under the title, e.g. the occasion.")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("The year the series runs in, e.g. 2021.")
    )
    description = StreamField(
        BaseStreamBlock(),
        blank=True,
        verbose_name=_("description"),
        help_text=_("What the series is about, who organises it."),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldRowPanel([FieldPanel("subtitle"), FieldPanel("year")]),
        FieldPanel("description"),
        InlinePanel("partners", label=_("Partners"), help_text=_("In the order they should be shown.")),
    ]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("subtitle"),
        index.SearchField("description"),
        index.RelatedFields("partners", [index.RelatedFields("organisation", [index.SearchField("name")])]),
    ]

    translatable_fields = [
        *BasePage.translatable_fields,
        # Content tab
        TranslatableField("subtitle"),
        SynchronizedField("year"),
        TranslatableField("description"),
        SynchronizedField("partners"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["topics.EventPage", "forms.FormPage"]

    class Meta:
        verbose_name = _("event series page")
        verbose_name_plural = _("event series pages")

    def events(self):
        return EventPage.objects.child_of(self).defer_streamfields()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["upcoming_events"] = self.events().upcoming().with_places_taken()
        context["past_events"] = self.events().past()
        return context

    @path("ical/", name="ical")
    def ical(self, request):
        """All live events of the series as one calendar."""
        return calendar_response(self, self.events().live().public().order_by("start"), request)


class EventPage(RoutablePageMixin, BasePage):
    """One event: when, where, how to take part."""

    class Format(models.TextChoices):
        ONLINE = "online", _("Online")
        ON_SITE = "on_site", _("On site")
        HYBRID = "hybrid", _("Hybrid")

    start = models.DateTimeField(_("start"), help_text=_("Date and time in German time (Europe/Berlin)."))
    end = models.DateTimeField(
        _("end"), null=True, blank=True, help_text=_("Leave empty if the end is open. Must be after the start.")
    )
    format = models.CharField(
        _("format"),
        max_length=20,
        choices=Format.choices,
        default=Format.ONLINE,
        help_text=_("Online, on site or both: decides whether the place or the join link matters."),
    )
    place = models.TextField(
        _("place"), blank=True, help_text=_("Venue and address for events on site or hybrid events.")
    )
    join_url = models.URLField(
        _("join link"),
        blank=True,
        help_text=_("Link to the online meeting, for online and hybrid events."),
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"), help_text=_("What the event is about."))
    programme = StreamField(
        ProgrammeStreamBlock(), blank=True, verbose_name=_("programme"), help_text=_("The schedule, item by item.")
    )
    registration_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("registration form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A form page for registration. Alternatively give an external registration link."),
    )
    registration_url = models.URLField(
        _("external registration link"), blank=True, help_text=_("Only if registration happens elsewhere.")
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("After this (German time), registration is closed. Empty: open until the event starts."),
    )
    # Registration on this website (registrations app): places, waiting list, double opt-in.
    registration_enabled = models.BooleanField(
        _("registration on this website"),
        default=False,
        help_text=_(
            "People register on the event page; places are counted, confirmations carry the calendar entry. "
            "The join link is then sent only to confirmed participants."
        ),
    )
    registration_capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("How many people can take part. Empty: unlimited."),
    )
    registration_waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When all places are taken, further people join a waiting list and move up when a place frees."),
    )
    registration_double_opt_in = models.BooleanField(
        _("confirm e-mail address (double opt-in)"),
        default=True,
        help_text=_(
            "People confirm their e-mail address with a link before the place is theirs; "
            "an unconfirmed place is released after a while."
        ),
    )
    registration_privacy_notice = models.TextField(
        _("privacy notice"),
        default=DEFAULT_REGISTRATION_PRIVACY_NOTICE,
        help_text=_("Shown above the registration button. Say what the data is used for and when it is deleted."),
    )
    registration_consent_label = models.CharField(
        _("consent checkbox"),
        max_length=500,
        default=DEFAULT_REGISTRATION_CONSENT_LABEL,
        help_text=_("Text of the checkbox every person must tick; it is stored with the registration as proof."),
    )
    registration_retention_days = models.PositiveIntegerField(
        _("keep registrations for (days after the event)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Registrations are deleted automatically this many days after the event (data protection)."),
    )

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("format")],
            heading=_("When"),
        ),
        MultiFieldPanel([FieldPanel("place"), FieldPanel("join_url")], heading=_("Where")),
        FieldPanel("body"),
        InlinePanel("speakers", label=_("Speakers")),
        FieldPanel("programme"),
        MultiFieldPanel(
            [
                FieldPanel("registration_enabled"),
                FieldRowPanel([FieldPanel("registration_capacity"), FieldPanel("registration_deadline")]),
                FieldRowPanel([FieldPanel("registration_waiting_list"), FieldPanel("registration_double_opt_in")]),
                InlinePanel(
                    "registration_fields",
                    label=_("Extra questions"),
                    help_text=_("Name and e-mail address are always asked; add what else you need to know."),
                ),
                FieldPanel("registration_privacy_notice"),
                FieldPanel("registration_consent_label"),
                FieldPanel("registration_retention_days"),
            ],
            heading=_("Registration on this website"),
        ),
        MultiFieldPanel(
            [PageChooserPanel("registration_page", "forms.FormPage"), FieldPanel("registration_url")],
            heading=_("Registration elsewhere"),
            classname="collapsed",
        ),
    ]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("place"),
        index.SearchField("body"),
        index.SearchField("programme"),
        index.RelatedFields("speakers", [index.RelatedFields("person", [index.SearchField("name")])]),
        index.FilterField("start"),
        index.FilterField("end"),
    ]

    translatable_fields = [
        *BasePage.translatable_fields,
        # Content tab
        SynchronizedField("start"),
        SynchronizedField("end"),
        SynchronizedField("format"),
        TranslatableField("place"),
        SynchronizedField("join_url"),
        TranslatableField("body"),
        SynchronizedField("speakers"),
        TranslatableField("programme"),
        SynchronizedField("registration_page"),
        SynchronizedField("registration_url"),
        SynchronizedField("registration_deadline"),
        SynchronizedField("registration_enabled", overridable=False),
        SynchronizedField("registration_capacity", overridable=False),
        SynchronizedField("registration_waiting_list", overridable=False),
        SynchronizedField("registration_double_opt_in", overridable=False),
        TranslatableField("registration_fields"),
        TranslatableField("registration_privacy_notice"),
        TranslatableField("registration_consent_label"),
        SynchronizedField("registration_retention_days", overridable=False),
    ]

    parent_page_types = ["topics.EventSeriesPage", "topics.WorkingGroupPage"]
    subpage_types = []

    objects = EventPageManager()

    class Meta:
        verbose_name = _("event page")
        verbose_name_plural = _("event pages")
        ordering = ["start"]

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end must be after the start.")
        if self.registration_page_id and self.registration_url:
            errors["registration_url"] = _("Give either a registration form or an external link, not both.")
        if self.registration_enabled and (self.registration_page_id or self.registration_url):
            errors["registration_enabled"] = _(
                "Registration on this website replaces the registration form or external link: remove those first."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_past(self):
        return (self.end or self.start) < timezone.now()  # the rule of is_over(), for this event

    @property
    def registration_availability(self):
        """Places left / waiting list / closed, for registration on this website (else None)."""
        if not self.registration_enabled:
            return None
        if not hasattr(self, "_registration_availability"):
            from registrations.availability import availability

            self._registration_availability = availability(self, taken=getattr(self, "registrations_taken", None))
        return self._registration_availability

    @property
    def join_url_is_public(self):
        """With registration on this website, only confirmed participants get the join link (in their mails)."""
        return bool(self.join_url) and not self.registration_enabled

    @property
    def registration_open(self):
        if self.registration_enabled:
            from registrations.availability import availability

            return availability(self).accepts_registrations
        has_registration = self.registration_page_id or self.registration_url
        deadline_passed = self.registration_deadline and self.registration_deadline < timezone.now()
        return bool(has_registration) and not deadline_passed and not self.is_past

    def get_registration_url(self):
        if self.registration_enabled:  # the form is on this page
            return self.url or ""
        if self.registration_page_id:
            page = self.registration_page.localized
            return page.url if page.live else ""
        return self.registration_url

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if self.registration_enabled and not response.has_header("Cache-Control"):
            # Places change with every registration: never from the page cache or a proxy.
            patch_cache_control(response, private=True, no_cache=True)
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.registration_enabled:
            from registrations.views import registration_context

            context.update(registration_context(self, request))
        return context

    @path("ical/", name="ical")
    def ical(self, request):
        """This event as an iCalendar file (without the join link when registration is on)."""
        return calendar_response(self, [self], request)

    # Registration on this website (registrations.views)

    @path("register/", name="register")
    def register(self, request):
        from registrations import views

        return views.register(self, request)

    @re_path(r"^status/(?P<token>[-\w]+)/$", name="registration_status")
    def registration_status(self, request, token):
        from registrations import views

        return views.status(self, request, token)

    @re_path(r"^confirm/(?P<token>[-\w]+)/$", name="registration_confirm")
    def registration_confirm(self, request, token):
        from registrations import views

        return views.confirm(self, request, token)

    @re_path(r"^cancel/(?P<token>[-\w]+)/$", name="registration_cancel")
    def registration_cancel(self, request, token):
        from registrations import views

        return views.cancel(self, request, token)
