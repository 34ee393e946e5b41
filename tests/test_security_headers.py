"""Security headers graded by Mozilla Observatory's rules, on the pages visitors meet.

Each response is checked against the Observatory criteria (https://developer.mozilla.org/
en-US/observatory/docs/tests_and_scoring): a Content-Security-Policy without unsafe-inline
or unsafe-eval for scripts, object-src 'none', base-uri, form-action and frame-ancestors
restricted; X-Content-Type-Options; a Referrer-Policy that does not leak paths; X-Frame-Options
or frame-ancestors; and in production HSTS of at least six months and cookies that are
Secure, HttpOnly (session) and SameSite. Subresource integrity is not needed: every script is
same-origin. Public pages must also carry no inline script, style element or style attribute,
since the policy forbids them.
"""

import importlib
import re
import sys

from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from wagtail.models import Locale

import pytest

from forms.models import FormPage

SIX_MONTHS = 15_768_000
GOOD_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}


def parse_csp(header):
    directives = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            directives[tokens[0].lower()] = tokens[1:]
    return directives


def observatory_failures(response, production=False):
    """The Observatory criteria this response misses (empty: full marks)."""
    failures = []
    csp_header = response.headers.get("Content-Security-Policy")
    if not csp_header:
        return ["no Content-Security-Policy"]
    csp = parse_csp(csp_header)
    script_src = csp.get("script-src", csp.get("default-src"))
    if script_src is None:
        failures.append("no script-src or default-src")
    else:
        for bad in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:"):
            if bad in script_src:
                failures.append(f"script-src allows {bad}")
    style_src = csp.get("style-src", csp.get("default-src", []))
    if "'unsafe-inline'" in style_src:
        failures.append("style-src allows 'unsafe-inline'")
    if csp.get("object-src", csp.get("default-src")) != ["'none'"]:
        failures.append("object-src is not 'none'")
    if csp.get("base-uri") not in (["'none'"], ["'self'"]):
        failures.append("base-uri not restricted")
    if "form-action" not in csp or "*" in csp["form-action"]:
        failures.append("form-action not restricted")
    if csp.get("frame-ancestors") not in (["'none'"], ["'self'"]):
        failures.append("frame-ancestors not 'none'/'self'")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        failures.append("X-Content-Type-Options missing")
    if response.headers.get("Referrer-Policy") not in GOOD_REFERRER_POLICIES:
        failures.append(f"Referrer-Policy {response.headers.get('Referrer-Policy')!r}")
    if response.headers.get("X-Frame-Options") not in ("DENY", "SAMEORIGIN"):
        failures.append("X-Frame-Options missing")
    if response.headers.get("Cross-Origin-Opener-Policy") != "same-origin":
        failures.append("Cross-Origin-Opener-Policy missing")
    permissions = response.headers.get("Permissions-Policy", "")
    if "camera=()" not in permissions or "geolocation=()" not in permissions:
        failures.append(f"Permissions-Policy {permissions!r}")
    if production:
        hsts = response.headers.get("Strict-Transport-Security", "")
        match = re.search(r"max-age=(\d+)", hsts)
        if not match or int(match.group(1)) < SIX_MONTHS:
            failures.append(f"HSTS {hsts!r}")
        for name, cookie in response.cookies.items():
            if not cookie["secure"]:
                failures.append(f"cookie {name} not Secure")
            if not cookie["httponly"]:
                failures.append(f"cookie {name} not HttpOnly")
            if cookie["samesite"] not in ("Lax", "Strict"):
                failures.append(f"cookie {name} without SameSite")
    return failures


def inline_code(html):
    """Inline scripts, style elements and style/on* attributes the public policy forbids."""
    found = [m.group(0)[:80] for m in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>", html)]
    found += [m.group(0)[:80] for m in re.finditer(r"<style\b[^>]*>", html)]
    found += [m.group(0)[:80] for m in re.finditer(r"<[^>]+\s(style|on[a-z]+)=", html)]
    # JSON data blocks (application/json, JSON-LD) are not executed, so CSP allows them.
    data_blocks = ('type="application/json"', 'type="application/ld+json"')
    return [snippet for snippet in found if not any(kind in snippet for kind in data_blocks)]


@pytest.fixture
def production(settings, monkeypatch):
    """The security settings of vsop_cms.settings.production on top of the test settings."""
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "testserver")
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:9/0")  # production requires a shared cache
    monkeypatch.delenv("MEDIA_STORAGE", raising=False)
    sys.modules.pop("vsop_cms.settings.production", None)
    module = importlib.import_module("vsop_cms.settings.production")
    sys.modules.pop("vsop_cms.settings.production", None)
    for name in dir(module):
        if re.match(
            r"^(SECURE_|SESSION_COOKIE_|CSRF_COOKIE_|LANGUAGE_COOKIE_|CONTENT_SECURITY_POLICY|PERMISSIONS_)", name
        ):
            setattr(settings, name, getattr(module, name))
    return settings


def contact_page():
    return FormPage.objects.get(title="Kontakt", locale__language_code="de")


def pages_to_grade(client, **extra):
    """A page, a form with errors, the 404 and the 503 page, as a visitor gets them."""
    page = contact_page()
    responses = {
        "home": client.get("/de/", **extra),
        "form page": client.get(page.url, **extra),
        "form with errors": client.post(page.url, {}, **extra),
        "404": client.get("/de/gibt-es-nicht/", **extra),
        "404 English": client.get("/en/does-not-exist/", **extra),
    }
    assert responses["home"].status_code == 200
    assert responses["form with errors"].status_code == 200
    assert "error-summary" in responses["form with errors"].content.decode()
    assert responses["404"].status_code == 404
    return responses


def unavailable_response(client, monkeypatch, **extra):
    def refuse(self):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
        return client.get("/de/", **extra)


def test_public_pages_grade_a_plus(vsop_content, client, monkeypatch):
    responses = pages_to_grade(client)
    # The second anonymous visit may come from the full-page cache: the same headers.
    responses["home again"] = client.get("/de/")
    for name, response in responses.items():
        assert observatory_failures(response) == [], name
        assert inline_code(response.content.decode()) == [], name
    unavailable = unavailable_response(Client(raise_request_exception=False), monkeypatch)
    assert unavailable.status_code == 503
    assert observatory_failures(unavailable) == []
    assert inline_code(unavailable.content.decode()) == []


def test_public_pages_grade_a_plus_in_production(vsop_content, production, monkeypatch):
    client = Client(raise_request_exception=False)
    responses = pages_to_grade(client, **HTTPS)
    for name, response in responses.items():
        assert observatory_failures(response, production=True) == [], name
    # The form sets the CSRF cookie, which must be Secure, HttpOnly and SameSite.
    assert "csrftoken" in responses["form page"].cookies
    unavailable = unavailable_response(client, monkeypatch, **HTTPS)
    assert unavailable.status_code == 503
    assert observatory_failures(unavailable, production=True) == []
    csp = parse_csp(responses["home"].headers["Content-Security-Policy"])
    assert "upgrade-insecure-requests" in csp


def test_session_cookie_is_secure_in_production(vsop_content, production):
    get_user_model().objects.create_superuser("admin", "admin@example.org", "correct horse")
    client = Client()
    response = client.post(
        "/admin/login/", {"username": "admin", "password": "correct horse"}, REMOTE_ADDR="192.0.2.1", **HTTPS
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_the_policy_names_the_parts_that_matter(vsop_content, client):
    csp = parse_csp(client.get("/de/").headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'self'"]  # Wagtail's preview frames the page from the admin
    assert "https://www.youtube-nocookie.com" in csp["frame-src"]
    assert "google" not in client.get("/de/").headers["Content-Security-Policy"]


def test_recaptcha_hosts_only_with_keys(vsop_content, client, settings):
    settings.RECAPTCHA_PUBLIC_KEY = "site-key"
    settings.RECAPTCHA_PRIVATE_KEY = "secret-key"
    settings.RECAPTCHA_VERSION = "v3"
    response = client.get(contact_page().url)
    csp = parse_csp(response.headers["Content-Security-Policy"])
    assert "https://www.google.com/recaptcha/" in csp["script-src"]
    assert "https://www.gstatic.com/recaptcha/" in csp["script-src"]
    assert "https://www.google.com/recaptcha/" in csp["frame-src"]
    assert observatory_failures(response) == []
    html = response.content.decode()
    assert inline_code(html) == []
    assert 'data-recaptcha-action="' in html and "forms/recaptcha-v3.js" in html


def test_the_admin_has_its_own_policy(vsop_content, admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    csp = parse_csp(response.headers["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]  # Wagtail's own inline scripts, nothing foreign
    assert "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" in csp["style-src"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]


def test_embeds_use_classes_not_style_attributes(vsop_content):
    from django.template.loader import render_to_string

    from wagtail.embeds.models import Embed

    embed = Embed(url="https://www.youtube.com/watch?v=x", html="<iframe src='x'></iframe>", width=640, height=360)
    html = render_to_string("wagtailembeds/embed_frontend.html", {"embed": embed})
    assert "style=" not in html
    assert "responsive-object--16x9" in html


def test_english_visitors_get_the_same_headers(vsop_content, client):
    english = contact_page().get_translation(Locale.objects.get(language_code="en"))
    assert observatory_failures(client.get(english.url)) == []
