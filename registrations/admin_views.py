"""Editors' views: registrations per event, CSV export, a mail to all participants, cancelling for someone."""

import csv
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.models import Locale

from topics.ical import BERLIN
from topics.models import EventPage

from . import emails, services
from .models import Registration

VIEW = "registrations.view_registration"
CHANGE = "registrations.change_registration"


def source_event(page_id):
    """The event in the default language (its registrations cover all languages)."""
    page = get_object_or_404(EventPage, pk=page_id)
    return page.get_translation_or_none(Locale.get_default()) or page


def status_counts(event_keys):
    registrations = Registration.objects.filter(event_key__in=event_keys)
    rows = registrations.values("event_key").annotate(
        confirmed=Count("pk", filter=Q(status="registered", email_confirmed_at__isnull=False)),
        unconfirmed=Count("pk", filter=~Q(status="cancelled") & Q(email_confirmed_at__isnull=True)),
        waiting=Count("pk", filter=Q(status="waiting", email_confirmed_at__isnull=False)),
        cancelled=Count("pk", filter=Q(status="cancelled")),
        holding=Count("pk", filter=Q(status="registered")),
    )
    return {row["event_key"]: row for row in rows}


@permission_required(VIEW, raise_exception=True)
def index(request):
    events = list(
        EventPage.objects.filter(registration_enabled=True, locale=Locale.get_default())
        .defer_streamfields()
        .order_by("-start")
    )
    counts = status_counts([event.translation_key for event in events])
    for event in events:
        event.counts = counts.get(event.translation_key, {})
    return TemplateResponse(request, "registrations/admin/index.html", {"events": events})


@permission_required(VIEW, raise_exception=True)
def event_registrations(request, page_id):
    event = source_event(page_id)
    registrations = Registration.objects.for_event(event).select_related("event__locale")
    shown = request.GET.get("status", "")
    if shown in Registration.DisplayStatus.values:
        registrations = registrations.with_display_status(shown)
    questions = list(event.registration_fields.all())
    registrations = list(registrations)
    for registration in registrations:
        registration.answer_list = [registration.answers.get(question.clean_name) for question in questions]
    context = {
        "event": event,
        "registrations": registrations,
        "counts": status_counts([event.translation_key]).get(event.translation_key, {}),
        "statuses": Registration.DisplayStatus.choices,
        "shown": shown,
        "questions": questions,
        "can_change": request.user.has_perm(CHANGE),
    }
    return TemplateResponse(request, "registrations/admin/event.html", context)


@permission_required(CHANGE, raise_exception=True)
def cancel_registration(request, page_id, registration_id):
    event = source_event(page_id)
    if request.method != "POST":
        raise PermissionDenied
    registration = get_object_or_404(Registration.objects.for_event(event), pk=registration_id)
    promoted = services.cancel(registration, reason=Registration.CancelReason.STAFF)
    message = _("The registration of %(name)s is cancelled.") % {"name": registration.name}
    if promoted:
        message += " " + _("Moved up from the waiting list: %(names)s.") % {
            "names": ", ".join(p.name for p in promoted)
        }
    messages.success(request, message)
    return redirect("registrations_admin:event", event.pk)


def csv_cell(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if isinstance(value, list):
        text = ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        text = value.get("text", "") if "accepted" in value else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def local(value):
    return timezone.localtime(value, BERLIN).strftime("%Y-%m-%d %H:%M") if value else ""


@permission_required(VIEW, raise_exception=True)
def export_csv(request, page_id):
    """UTF-8 with a byte-order mark (Excel), times in German time, one row per registration."""
    event = source_event(page_id)
    questions = list(event.registration_fields.all())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"anmeldungen-{slugify(event.slug)}-{timezone.localdate(timezone.now(), BERLIN):%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Status"),
            _("Name"),
            _("E-mail address"),
            _("Language"),
            _("Registered at"),
            _("E-mail confirmed at"),
            _("Place since"),
            _("Cancelled at"),
            *[question.label for question in questions],
            _("Consent"),
        ]
    )
    for registration in Registration.objects.for_event(event):
        writer.writerow(
            [
                Registration.DisplayStatus(registration.display_status).label,
                csv_cell(registration.name),
                csv_cell(registration.email),
                registration.language,
                local(registration.created_at),
                local(registration.email_confirmed_at),
                local(registration.place_since),
                local(registration.cancelled_at),
                *[csv_cell(registration.answers.get(question.clean_name)) for question in questions],
                csv_cell(registration.consent),
            ]
        )
    return response


class AnnouncementForm(forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("Subject"), max_length=200, help_text=gettext_lazy("E.g. “Change of room”.")
    )
    body = forms.CharField(
        label=gettext_lazy("Message"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "Plain text. The event's title, date and each person's link to cancel are added below it."
        ),
    )


@permission_required(CHANGE, raise_exception=True)
def mail_participants(request, page_id):
    event = source_event(page_id)
    participants = Registration.objects.for_event(event).participants().select_related("event__locale")
    form = AnnouncementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = uuid.uuid4().hex
        with transaction.atomic():
            sent = sum(
                emails.send_announcement(registration, key, form.cleaned_data["subject"], form.cleaned_data["body"])
                for registration in participants
            )
        messages.success(request, _("The message is on its way to %(count)s participants.") % {"count": sent})
        return redirect("registrations_admin:event", event.pk)
    return TemplateResponse(
        request,
        "registrations/admin/mail.html",
        {
            "event": event,
            "form": form,
            "count": participants.count(),
            "action": reverse("registrations_admin:mail", args=[event.pk]),
        },
    )
