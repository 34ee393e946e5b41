"""Spam checks that run before a submission is validated, stored or e-mailed.

In this order: a rate limit per client address (Django's cache), a honeypot field
that people and screen readers never meet, and reCAPTCHA (django-recaptcha; v2
checkbox or v3 score, on only when both keys are set). The result is a
``SpamCheckResult``: why a submission was blocked and what the visitor is told.
"""

import enum
import hashlib
import logging
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import django.forms
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from django_recaptcha import client as recaptcha_client
from django_recaptcha.widgets import ReCaptchaV2Checkbox, ReCaptchaV3

from core.client_ip import client_ip
from forms.fieldnames import CAPTCHA_FIELD, HONEYPOT_FIELD

logger = logging.getLogger(__name__)


RECAPTCHA_ACTION = "form_submission"


class SpamReason(enum.StrEnum):
    RATE_LIMITED = "rate_limited"
    HONEYPOT = "honeypot"
    RECAPTCHA_FAILED = "recaptcha_failed"
    RECAPTCHA_UNAVAILABLE = "recaptcha_unavailable"


MESSAGES = {
    SpamReason.RATE_LIMITED: _(
        "You have sent several forms in a short time. Please wait a minute and send the form again."
    ),
    SpamReason.HONEYPOT: _(
        "Your submission looks automated, so it was not sent. "
        "If you filled in the form yourself, please contact us by e-mail."
    ),
    SpamReason.RECAPTCHA_FAILED: _(
        "We could not confirm that the form was sent by a person. Please confirm the spam check and send it again."
    ),
    SpamReason.RECAPTCHA_UNAVAILABLE: _(
        "The spam check is not reachable at the moment. Please send the form again in a few minutes."
    ),
}


@dataclass(frozen=True, slots=True)
class SpamCheckResult:
    """The outcome of the spam checks: passed, or blocked for one reason."""

    reason: SpamReason | None = None
    detail: str = ""  # for the log, never shown to the visitor
    retry_after: int = 0  # seconds, for a rate limit

    @property
    def blocked(self):
        return self.reason is not None

    @property
    def message(self):
        return MESSAGES[self.reason] if self.reason else ""

    @property
    def status_code(self):
        return 429 if self.reason == SpamReason.RATE_LIMITED else 200


PASSED = SpamCheckResult()


def check_submission(request, form):
    """Runs the checks in order and returns the first that blocks, or ``PASSED``."""
    for check in (check_rate_limit, check_honeypot, check_recaptcha):
        result = check(request, form)
        if result.blocked:
            return result
    return PASSED


# Rate limit


def client_address(request):
    """The visitor's address: ``X-Forwarded-For`` is believed only from ``TRUSTED_PROXIES`` (``core.client_ip``)."""
    return client_ip(request)


def check_rate_limit(request, form=None, now=None):
    """Counts every submission attempt per client address over a sliding window of ``FORMS_RATE_LIMIT_PERIOD``.

    Two fixed windows are kept per address; the previous one counts with the share of
    it that still lies inside the sliding window (Cloudflare's estimate), so the limit
    holds across a window boundary: 5 attempts at 0:59 leave no room for 5 more at 1:00.
    When the cache is away, the limit is not enforced (logged) rather than refusing
    or breaking the form: a spam check must never cost a real submission.
    """
    limit, period = settings.FORMS_RATE_LIMIT, settings.FORMS_RATE_LIMIT_PERIOD
    if not limit or not period:
        return PASSED
    now = time.time() if now is None else now
    window, offset = divmod(now, period)
    window = int(window)
    # Only a hash of the address goes into the cache.
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    current_key = f"vsop-forms:rate:{digest}:{window}"
    previous_key = f"vsop-forms:rate:{digest}:{window - 1}"
    try:
        current = count_attempt(current_key, timeout=2 * period)
        previous = cache.get(previous_key) or 0
    except Exception as error:  # any cache failure: fail open
        logger.warning("Form rate limit not enforced: the cache failed (%r)", error)
        return PASSED
    if current is None:
        logger.warning("Form rate limit not enforced: the cache is unavailable")
        return PASSED
    weight = 1 - offset / period
    estimate = previous * weight + current
    if estimate > limit:
        return SpamCheckResult(
            SpamReason.RATE_LIMITED,
            detail=f"about {estimate:.1f} attempts in the last {period}s",
            retry_after=retry_after(previous, current, limit, period, offset),
        )
    return PASSED


def count_attempt(key, timeout):
    """Adds one to the counter at ``key``; None when the cache did not answer (django-redis ignoring errors)."""
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 0, timeout=timeout)
        return cache.incr(key)


def retry_after(previous, current, limit, period, offset):
    """Seconds until one more attempt would fit under the limit (at least 1, at most two periods)."""
    if current >= limit:  # the current window alone is full: it must slide out
        return max(1, int(2 * period - offset))
    # previous * (1 - (offset + t) / period) + current + 1 <= limit
    needed = period * (1 - (limit - current - 1) / previous) - offset if previous else 0
    return max(1, min(2 * period, int(needed) + 1))


# Honeypot


def check_honeypot(request, form=None):
    if request.POST.get(HONEYPOT_FIELD, ""):
        return SpamCheckResult(SpamReason.HONEYPOT, detail="honeypot field filled")
    return PASSED


# reCAPTCHA


def recaptcha_enabled():
    return bool(settings.RECAPTCHA_PUBLIC_KEY and settings.RECAPTCHA_PRIVATE_KEY)


def recaptcha_version():
    return "v3" if settings.RECAPTCHA_VERSION == "v3" else "v2"


class LocalisedWidgetMixin:
    """Google's script in the page's language; our own templates (one script per widget, no console output)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["api_params"] = urlencode({"hl": get_language() or settings.LANGUAGE_CODE})
        return context


class RecaptchaCheckboxWidget(LocalisedWidgetMixin, ReCaptchaV2Checkbox):
    template_name = "forms/recaptcha/v2_checkbox.html"


class RecaptchaScoreWidget(LocalisedWidgetMixin, ReCaptchaV3):
    template_name = "forms/recaptcha/v3.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["action"] = self.action
        return context


def captcha_field():
    """The form field carrying the reCAPTCHA token, or None when reCAPTCHA is off.

    Its value is checked by ``check_recaptcha`` before the form is validated, so the
    field itself accepts anything and is never stored.
    """
    if not recaptcha_enabled():
        return None
    attrs = {"data-sitekey": settings.RECAPTCHA_PUBLIC_KEY}
    if recaptcha_version() == "v3":
        widget = RecaptchaScoreWidget(attrs=attrs, action=RECAPTCHA_ACTION)
    else:
        widget = RecaptchaCheckboxWidget(attrs=attrs)
    return django.forms.CharField(label=_("Spam protection"), required=False, widget=widget)


def check_recaptcha(request, form):
    if not recaptcha_enabled() or CAPTCHA_FIELD not in form.fields:
        return PASSED
    token = form[CAPTCHA_FIELD].value()
    if not token:
        return SpamCheckResult(SpamReason.RECAPTCHA_FAILED, detail="no token")
    try:
        response = recaptcha_client.submit(
            recaptcha_response=token,
            private_key=settings.RECAPTCHA_PRIVATE_KEY,
            remoteip=client_address(request),
        )
    except (OSError, ValueError, KeyError) as error:  # network, timeout, HTTP status, malformed answer
        logger.warning("reCAPTCHA verification unavailable: %r", error)
        return SpamCheckResult(SpamReason.RECAPTCHA_UNAVAILABLE, detail=repr(error))
    if not response.is_valid:
        return SpamCheckResult(SpamReason.RECAPTCHA_FAILED, detail=f"error codes {response.error_codes}")
    if recaptcha_version() == "v3":
        if response.action != RECAPTCHA_ACTION:
            return SpamCheckResult(SpamReason.RECAPTCHA_FAILED, detail=f"action {response.action!r}")
        try:
            score = float(response.extra_data.get("score", 0))
        except (TypeError, ValueError):
            score = 0.0
        if score < settings.RECAPTCHA_REQUIRED_SCORE:
            return SpamCheckResult(
                SpamReason.RECAPTCHA_FAILED, detail=f"score {score} < {settings.RECAPTCHA_REQUIRED_SCORE}"
            )
    return PASSED
