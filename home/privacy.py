"""What the website itself processes, described for the privacy policy (Art. 13 GDPR).

Nothing here is typed by editors: it is read from the live forms (their fields,
retention periods, recipients, confirmation mails) and from the settings (cookies,
reCAPTCHA, rate limit), so the policy stays true when a form or a setting changes.
``tests/test_legal_pages.py`` checks the cookie list against the cookies the public
pages really set.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _


@dataclass
class FormDescription:
    page: object
    fields: list
    retention_days: int
    confirmation: bool
    notice: str


@dataclass
class CookieDescription:
    name: str
    purpose: str
    lifetime: str
    when: str


@dataclass
class Processing:
    forms: list = field(default_factory=list)
    cookies: list = field(default_factory=list)
    visitor_cookies: list = field(default_factory=list)
    recaptcha: bool = False
    recaptcha_version: str = ""
    rate_limit: int = 0
    rate_limit_period: int = 0


def recaptcha_enabled():
    return bool(settings.RECAPTCHA_PUBLIC_KEY and settings.RECAPTCHA_PRIVATE_KEY)


def _days(seconds):
    return round(seconds / 86400)


def describe_cookies():
    """The cookies the website sets: (all cookies, those a visitor who does not log in gets)."""
    csrf = CookieDescription(
        name=settings.CSRF_COOKIE_NAME,
        purpose=_(
            "Protects forms against cross-site request forgery: the form is accepted only together "
            "with this random value. It contains no personal data."
        ),
        lifetime=_("%(days)d days") % {"days": _days(settings.CSRF_COOKIE_AGE)}
        if settings.CSRF_COOKIE_AGE
        else _("until the browser is closed"),
        when=_("on pages that show a form"),
    )
    session = CookieDescription(
        name=settings.SESSION_COOKIE_NAME,
        purpose=_("Keeps editors logged in to the administration of the website."),
        lifetime=_("until the browser is closed")
        if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        else _("%(days)d days") % {"days": _days(settings.SESSION_COOKIE_AGE)},
        when=_("only after logging in to the administration"),
    )
    # With CSRF_USE_SESSIONS the token lives in the session, so visitors get no cookie at all.
    visitor = [] if settings.CSRF_USE_SESSIONS else [csrf]
    return [csrf, session], visitor


def describe_processing(locale, request=None):
    """The facts the privacy policy states, for the pages of one language."""
    from forms.models import FormPage

    processing = Processing()
    pages = FormPage.objects.live().public().filter(locale=locale).order_by("path").prefetch_related("form_fields")
    for page in pages:
        processing.forms.append(
            FormDescription(
                page=page,
                fields=[form_field.label for form_field in page.form_fields.all()],
                retention_days=page.retention_days,
                confirmation=page.send_confirmation,
                notice=page.privacy_notice,
            )
        )
    processing.cookies, processing.visitor_cookies = describe_cookies()
    processing.recaptcha = recaptcha_enabled()
    processing.recaptcha_version = settings.RECAPTCHA_VERSION
    processing.rate_limit = settings.FORMS_RATE_LIMIT
    processing.rate_limit_period = settings.FORMS_RATE_LIMIT_PERIOD
    return processing
