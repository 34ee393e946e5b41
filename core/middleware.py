"""Security headers per area of the site, and a 503 page while the database is away."""

import logging
import sys

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views import defaults

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)

# reCAPTCHA's documented hosts for a Content-Security-Policy, added only when its keys are set.
RECAPTCHA_SCRIPT_HOSTS = ["https://www.google.com/recaptcha/", "https://www.gstatic.com/recaptcha/"]
RECAPTCHA_FRAME_HOSTS = ["https://www.google.com/recaptcha/", "https://recaptcha.google.com/recaptcha/"]


def is_admin_path(path):
    return path.startswith(tuple(getattr(settings, "CSP_ADMIN_PATH_PREFIXES", ())))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with two policies: the strict public one and the Wagtail admin's.

    Public pages allow no inline script or style at all. The admin (and Wagtail's preview,
    which lives under /admin/) gets ``CONTENT_SECURITY_POLICY_ADMIN``. reCAPTCHA's hosts
    are added to public pages only when its keys are configured, so a site without keys
    names no third party in its policy.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if parts.config is None and is_admin_path(request.path_info):
            admin_policy = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None)
            if admin_policy:
                parts.config = default_config(admin_policy.get("DIRECTIVES", {}))
        elif settings.RECAPTCHA_PUBLIC_KEY and settings.RECAPTCHA_PRIVATE_KEY:
            domain = getattr(settings, "RECAPTCHA_DOMAIN", "www.google.com")
            extra_hosts = [f"https://{domain}/recaptcha/"] if domain != "www.google.com" else []
            update = dict(parts.update or {})
            update["script-src"] = [*RECAPTCHA_SCRIPT_HOSTS, *extra_hosts]
            update["frame-src"] = [*RECAPTCHA_FRAME_HOSTS, *extra_hosts]
            parts = PolicyParts(parts.config, update, parts.replace, parts.nonce)
        return parts


def unavailable_language(request):
    """The visitor's language from the URL prefix or Accept-Language; no session, no database."""
    return translation.get_language_from_request(request, check_path=True)


def database_unavailable_response(request):
    """The 503 page: static template, the visitor's language, no database, session or user."""
    language = unavailable_language(request)
    with translation.override(language):
        html = render_to_string(
            "core/database_unavailable.html",
            {
                "language": language,
                "was_post": request.method == "POST",
                "retry_after": settings.DATABASE_UNAVAILABLE_RETRY_AFTER,
                "path": request.path,
            },
        )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    return response


class DatabaseUnavailableMiddleware:
    """Answers 503 (with Retry-After) instead of 500 when the database cannot be reached.

    A view that fails on ``OperationalError``/``InterfaceError`` is caught here. The same
    errors raised in other middleware (sessions, authentication) are turned into the same
    page by ``server_error`` (``handler500``), which Django calls for any layer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error("Database unavailable (%s %s): %s", request.method, request.path, exception)
            return database_unavailable_response(request)
        return None


def server_error(request, template_name="500.html"):
    """``handler500``: a 503 page for database outages, the static 500 page otherwise."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        return database_unavailable_response(request)
    return defaults.server_error(request, template_name=template_name)


class RequestFileRefused(SuspiciousOperation):
    """A file part was posted where no form takes files (answered with 400)."""


class RefuseFilesUploadHandler(FileUploadHandler):
    """Upload handler for public pages: their forms have no file fields, so any file is refused."""

    def new_file(self, field_name, *args, **kwargs):
        raise RequestFileRefused(f"File part {field_name!r} posted to a page that takes no files")

    def receive_data_chunk(self, raw_data, start):  # pragma: no cover - new_file refuses first
        return None

    def file_complete(self, file_size):  # pragma: no cover
        return None


class UploadLimitMiddleware:
    """Public pages take small posts and no files; the admin keeps Django's and Wagtail's limits.

    A body larger than ``PUBLIC_MAX_REQUEST_SIZE`` is answered with 413 before it is read; a
    file part in a smaller one with 400. The reverse proxy limits every request further
    (``client_max_body_size`` in deploy/nginx.conf).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH") and not is_upload_path(request.path_info):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.PUBLIC_MAX_REQUEST_SIZE:
                logger.warning("Refused %s bytes posted to %s", length, request.path)
                return request_too_large_response(request)
            request.upload_handlers = [RefuseFilesUploadHandler(request)]
        return self.get_response(request)


def is_upload_path(path):
    """Where editors upload files: the admin (images, documents) and Django's admin."""
    return is_admin_path(path)


def request_too_large_response(request):
    language = unavailable_language(request)
    with translation.override(language):
        text = translation.gettext(
            "The data sent is too large. Forms on this website take text only, no files; "
            "please shorten your entries and send again."
        )
    response = HttpResponse(text, status=413, content_type="text/plain; charset=utf-8")
    return response


def bad_request(request, exception, template_name="400.html"):
    """``handler400``: says plainly why a file part was refused; Django's page otherwise."""
    if isinstance(exception, RequestFileRefused):
        with translation.override(unavailable_language(request)):
            text = translation.gettext(
                "A file was sent to a form that takes no files. Please send the form again without a file."
            )
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    return defaults.bad_request(request, exception, template_name=template_name)
