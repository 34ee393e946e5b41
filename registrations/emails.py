"""The mails of a registration, in the language the person registered in.

Each goes through ``registrations.mail.deliver`` with an idempotency key, so it is
sent once. Only mails to a person with a place carry the join link and the private
calendar entry (``.ics`` with the join link); nothing public ever does.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from home.models import SiteSettings
from topics.ical import BERLIN, build_calendar

from .mail import deliver
from .tokens import Purpose, make_token


def event_link(registration, route=None, token_purpose=None):
    page = registration.event
    url = page.get_full_url() or ""
    if route:
        url = url.rstrip("/") + "/" + page.reverse_subpage(route, args=[make_token(registration, token_purpose)])
    return url


def context_for(registration, **extra):
    page = registration.event
    site_settings = SiteSettings.for_locale(page.locale)
    start = timezone.localtime(page.start, BERLIN)
    context = {
        "registration": registration,
        "page": page,
        "when": date_format(start, "DATETIME_FORMAT"),
        "event_url": event_link(registration),
        "cancel_url": event_link(registration, "registration_cancel", Purpose.CANCEL),
        "organisation": site_settings.organisation_name if site_settings else settings.WAGTAIL_SITE_NAME,
    }
    context.update(extra)
    return context


def build(registration, template, subject, attach_calendar=False, **extra):
    page = registration.event
    message = EmailMessage(
        subject=subject,
        body=render_to_string(f"registrations/emails/{template}.txt", context_for(registration, **extra)),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.email],
    )
    if attach_calendar:
        calendar = build_calendar(page.title, [page], private=True)
        message.attach(f"{page.slug}.ics", calendar.to_ical(), "text/calendar; charset=utf-8; method=PUBLISH")
    return message


def _send(registration, kind, template, subject, attach_calendar=False, key_suffix="", **extra):
    with translation.override(registration.language or registration.event.locale.language_code):
        message = build(
            registration,
            template,
            str(subject) % {"title": registration.event.title},
            attach_calendar=attach_calendar,
            **extra,
        )
    return deliver(message, key=f"registration:{registration.public_id}:{kind}{key_suffix}", registration=registration)


def send_opt_in(registration):
    from .services import confirm_window

    return _send(
        registration,
        "opt-in",
        "opt_in",
        _("Please confirm your registration: %(title)s"),
        confirm_url=event_link(registration, "registration_confirm", Purpose.CONFIRM),
        confirm_hours=int(confirm_window().total_seconds() // 3600),
    )


def send_status(registration):
    """After registering (no opt-in) or confirming the address: the place with its calendar entry, or the queue."""
    from .services import waiting_position

    if registration.has_place:
        return _send(
            registration, "confirmed", "confirmed", _("Registration confirmed: %(title)s"), attach_calendar=True
        )
    return _send(
        registration,
        "waiting",
        "waiting",
        _("Waiting list: %(title)s"),
        position=waiting_position(registration),
    )


def send_promoted(registration):
    return _send(
        registration,
        "promoted",
        "promoted",
        _("A place is free for you: %(title)s"),
        attach_calendar=True,
        key_suffix=f":{registration.place_since.isoformat() if registration.place_since else ''}",
    )


def send_cancelled(registration):
    return _send(registration, "cancelled", "cancelled", _("Registration cancelled: %(title)s"))


def send_reminder(registration):
    return _send(registration, "reminder", "reminder", _("Reminder: %(title)s"), attach_calendar=True)


def send_announcement(registration, announcement_key, subject, body):
    with translation.override(registration.language or registration.event.locale.language_code):
        message = EmailMessage(
            subject=subject,
            body=render_to_string("registrations/emails/announcement.txt", context_for(registration, body=body)),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[registration.email],
        )
    return deliver(message, key=f"announcement:{announcement_key}:{registration.public_id}", registration=registration)
