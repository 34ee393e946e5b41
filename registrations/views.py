"""Registration on the event page: the form, the status after registering, the confirm and cancel links.

Served through routes of ``topics.EventPage`` (``register/``, ``status/<token>/``,
``confirm/<token>/``, ``cancel/<token>/``), so every address carries the page's
language. Pages reached with a personal token are never cached, indexed or passed on
as a referrer. Confirming and cancelling change data only on POST (a button), so mail
scanners that open links cannot confirm or cancel anything.
"""

import logging

from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from forms import spam

from . import services
from .availability import availability
from .forms import registration_form
from .models import Registration
from .tokens import Purpose, make_token, read_token

logger = logging.getLogger(__name__)


def registration_context(page, request, form=None, message=""):
    """What the event page's registration section shows."""
    state = availability(page)
    return {
        "registration_availability": state,
        "registration_form": form if form is not None else registration_form(page),
        "registration_message": message,
    }


def render_event(page, request, form, message="", status=200):
    response = page.render(request, context_overrides=registration_context(page, request, form, message))
    response.status_code = status
    add_never_cache_headers(response)
    return response


def register(page, request):
    if not page.registration_enabled:
        raise Http404
    if request.method != "POST":
        return redirect(page.url)
    form = registration_form(page, request.POST)
    verdict = spam.check_submission(request, form)
    if verdict.blocked:
        logger.info("Event %s: registration blocked (%s: %s)", page.pk, verdict.reason, verdict.detail)
        response = render_event(page, request, form, verdict.message, verdict.status_code)
        if verdict.retry_after:
            response["Retry-After"] = str(verdict.retry_after)
        return response
    if not form.is_valid():
        return render_event(page, request, form)
    try:
        registration = services.register(
            page,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            answers=form.answers(),
            consent=form.consent(),
            language=translation.get_language() or page.locale.language_code,
        )
    except services.RegistrationRefused as refused:
        return render_event(page, request, form, refused.availability.label, status=409)
    except services.AlreadyRegistered:
        form.add_error(
            "email",
            _(
                "This e-mail address is already registered for this event. "
                "The e-mail we sent you contains your personal link to cancel."
            ),
        )
        return render_event(page, request, form)
    url = page.url + page.reverse_subpage("registration_status", args=[make_token(registration, Purpose.STATUS)])
    return redirect(url, permanent=False)


def private_response(request, page, template, context, status=200):
    base = page.get_context(request)
    base.update(context)
    response = TemplateResponse(request, f"registrations/{template}", base, status=status)
    add_never_cache_headers(response)
    # Never to other sites (the address holds the personal token); same-origin keeps the form's Origin for CSRF.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def registration_for(page, token, purpose, max_age=None):
    registration = read_token(token, purpose, max_age=max_age)
    if registration is None or registration.event_key != page.translation_key:
        return None
    return registration


def invalid_link(request, page):
    return private_response(request, page, "invalid_link.html", {}, status=404)


def status(page, request, token):
    registration = registration_for(page, token, Purpose.STATUS, max_age=24 * 3600)
    if registration is None:
        return invalid_link(request, page)
    return private_response(request, page, "status.html", status_context(registration))


def status_context(registration):
    return {
        "registration": registration,
        "display_status": registration.display_status,
        "position": services.waiting_position(registration),
    }


def confirm(page, request, token):
    registration = registration_for(page, token, Purpose.CONFIRM, max_age=services.confirm_window().total_seconds())
    if registration is None or registration.status == Registration.Status.CANCELLED:
        return invalid_link(request, page)
    if request.method == "POST" and not registration.email_confirmed:
        registration = services.confirm_email(registration)
        return private_response(request, page, "status.html", {**status_context(registration), "just_confirmed": True})
    if registration.email_confirmed:
        return private_response(request, page, "status.html", status_context(registration))
    return private_response(request, page, "confirm.html", {"registration": registration})


def cancel(page, request, token):
    registration = registration_for(page, token, Purpose.CANCEL)
    if registration is None:
        return invalid_link(request, page)
    if request.method == "POST" and registration.status != Registration.Status.CANCELLED:
        services.cancel(registration)
        registration.refresh_from_db()
        return private_response(request, page, "status.html", {**status_context(registration), "just_cancelled": True})
    return private_response(request, page, "cancel.html", status_context(registration))
