"""Registrations for events: who registered, their place, and the row that serialises the counting.

An event's places are shared by all its translations: registrations are counted per
``event_key`` (the pages' ``translation_key``), while ``event`` is the page in the
language the person registered in (their mails and links use it).

Places are never counted twice: every change of an event's places runs in one
transaction that first updates the event's ``PlaceCounter`` row. On PostgreSQL that
UPDATE holds the row lock until commit; on SQLite it takes the database's write lock
before anything is read. Concurrent registrations therefore count one after another.
"""

import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey

from forms.models.fields import FIELD_TYPE_CHOICES, BuilderField

# Extra questions: the form builder's types; a hidden field makes no sense for a person registering.
QUESTION_TYPE_CHOICES = [choice for choice in FIELD_TYPE_CHOICES if choice[0] != "hidden"]


class RegistrationField(BuilderField):
    """An extra question of an event's registration form (same types as the form builder)."""

    page = ParentalKey("topics.EventPage", on_delete=models.CASCADE, related_name="registration_fields")
    field_type = models.CharField(
        _("field type"),
        max_length=16,
        choices=QUESTION_TYPE_CHOICES,
        help_text=_("What the person enters. For a consent checkbox, write the consent text as the label."),
    )
    field_type.required_on_save = True
    required = models.BooleanField(
        _("required"), default=True, help_text=_("Registration is refused while a required question is unanswered.")
    )

    class Meta(BuilderField.Meta):
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")


class PlaceCounter(models.Model):
    """One row per event (all its translations): the lock every change of its places takes first."""

    event_key = models.UUIDField(primary_key=True)
    changes = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("place counter")
        verbose_name_plural = _("place counters")

    def __str__(self):
        return str(self.event_key)


class RegistrationQuerySet(models.QuerySet):
    def for_event(self, page):
        return self.filter(event_key=page.translation_key)

    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def holding_places(self):
        """Registrations that take a place, confirmed or still waiting for the e-mail confirmation."""
        return self.filter(status=Registration.Status.REGISTERED)

    def participants(self):
        """Confirmed participants: a place and a confirmed e-mail address."""
        return self.filter(status=Registration.Status.REGISTERED, email_confirmed_at__isnull=False)

    def unconfirmed(self):
        return self.active().filter(email_confirmed_at__isnull=True)

    def waiting(self):
        return self.filter(status=Registration.Status.WAITING)

    def with_display_status(self, display_status):
        """Filters by what the editors' list shows: confirmed, unconfirmed, waiting or cancelled."""
        return {
            Registration.DisplayStatus.CONFIRMED: self.participants,
            Registration.DisplayStatus.UNCONFIRMED: self.unconfirmed,
            Registration.DisplayStatus.WAITING: lambda: self.waiting().filter(email_confirmed_at__isnull=False),
            Registration.DisplayStatus.CANCELLED: lambda: self.filter(status=Registration.Status.CANCELLED),
        }[display_status]()


class Registration(models.Model):
    """One person's registration for an event."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("has a place")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    class DisplayStatus(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        UNCONFIRMED = "unconfirmed", _("e-mail not confirmed yet")
        WAITING = "waiting", _("waiting list")
        CANCELLED = "cancelled", _("cancelled")

    class CancelReason(models.TextChoices):
        PARTICIPANT = "participant", _("by the participant")
        STAFF = "staff", _("by the organisers")
        UNCONFIRMED = "unconfirmed", _("e-mail address not confirmed in time")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        "topics.EventPage", on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    event_key = models.UUIDField(_("event (all languages)"), db_index=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), max_length=254)
    answers = models.JSONField(_("answers"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    consent = models.JSONField(_("consent"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    created_at = models.DateTimeField(_("registered at"), db_index=True)
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    place_since = models.DateTimeField(_("place since"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("cancelled"), max_length=16, choices=CancelReason.choices, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["event_key", "status", "created_at"])]
        constraints = [
            # One active registration per address and event (all languages).
            models.UniqueConstraint(
                "event_key",
                Lower("email"),
                condition=~models.Q(status="cancelled"),
                name="registrations_one_active_per_email",
            )
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    @property
    def email_confirmed(self):
        return self.email_confirmed_at is not None

    @property
    def display_status(self):
        if self.status == self.Status.CANCELLED:
            return self.DisplayStatus.CANCELLED
        if not self.email_confirmed:
            return self.DisplayStatus.UNCONFIRMED
        if self.status == self.Status.WAITING:
            return self.DisplayStatus.WAITING
        return self.DisplayStatus.CONFIRMED

    @property
    def has_place(self):
        return self.status == self.Status.REGISTERED
