"""Content-Security-Policy in Chromium: the admin editor and public pages run without a violation,
and a form's typed text survives a failed post (static form.js, no inline script)."""

from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory

from wagtail.models import Page

import pytest
from playwright.sync_api import expect

from core.middleware import database_unavailable_response
from forms.models import FormPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + (event.sourceFile || ""));
});
"""


def watch(page):
    """Collects CSP violations from the page's event and from the console."""
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(COLLECT_VIOLATIONS)

    def violations():
        found = page.evaluate("window.__csp || []")
        return found + [text for text in console if "Content Security Policy" in text]

    return violations


@pytest.fixture
def editor_tab(live_site, browser):
    user = get_user_model().objects.create_superuser("chefredaktion", "chef@example.org", "pw")
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="de-DE", viewport={"width": 1400, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_site.url}])
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


def test_the_page_editor_and_its_preview_load_without_violations(live_site, vsop_content, editor_tab, screenshot):
    violations = watch(editor_tab)
    topic = Page.objects.get(slug="familienarmut", locale__language_code="de")
    editor_tab.goto(f"{live_site.url}/admin/pages/{topic.pk}/edit/")
    expect(editor_tab.locator("[data-side-panel-toggle='preview']")).to_be_visible()
    expect(editor_tab.get_by_role("button", name="Entwurf speichern")).to_be_visible()
    # The rich-text editor (Draftail) is up, and the live preview renders in its same-origin frame.
    expect(editor_tab.locator(".Draftail-Editor").first).to_be_visible()
    editor_tab.locator("[data-side-panel-toggle='preview']").click()
    preview = editor_tab.frame_locator("iframe[data-preview-iframe], #w-preview-iframe").first
    expect(preview.locator("h1")).to_contain_text("Familienarmut")
    screenshot(editor_tab, "csp-01-admin-editor-with-preview")
    assert violations() == []


def test_public_pages_and_a_form_with_errors_have_no_violations(live_site, vsop_content, page):
    violations = watch(page)
    page.goto(f"{live_site.url}/de/")
    expect(page.locator("h1").first).to_be_visible()
    contact = FormPage.objects.get(title="Kontakt", locale__language_code="de")
    page.goto(live_site.url + contact.url)
    page.get_by_role("button", name="Senden").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # focus moved by forms/form.js, not an inline script
    page.goto(f"{live_site.url}/de/gibt-es-nicht/")
    assert violations() == []


def test_typed_text_survives_a_post_that_could_not_be_stored(live_site, vsop_content, page, screenshot):
    contact = FormPage.objects.get(title="Kontakt", locale__language_code="de")
    fields = list(contact.form_fields.all())
    page.goto(live_site.url + contact.url)
    for field in fields:
        if field.field_type == "email":
            page.get_by_label(field.label).fill("erika@example.org")
        elif field.field_type in ("singleline", "multiline", "tel"):
            page.get_by_label(field.label).fill(f"Text für {field.label}")
    page.locator("input[name='privacy_consent']").check()

    # PostgreSQL is down: the server answers the post with its 503 page.
    unavailable = database_unavailable_response(RequestFactory().post(contact.url, HTTP_ACCEPT_LANGUAGE="de"))
    page.route(
        live_site.url + contact.url,
        lambda route: (
            route.fulfill(status=503, body=unavailable.content, content_type="text/html; charset=utf-8")
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    page.get_by_role("button", name="Senden").click()
    expect(page.locator("h1")).to_have_text("Ihre Angaben wurden nicht gesendet")
    screenshot(page, "csp-02-post-not-stored-503")
    page.unroute(live_site.url + contact.url)

    # The visitor comes back to the form: everything typed is there again.
    page.goto(live_site.url + contact.url)
    for field in fields:
        if field.field_type == "email":
            expect(page.get_by_label(field.label)).to_have_value("erika@example.org")
        elif field.field_type in ("singleline", "multiline", "tel"):
            expect(page.get_by_label(field.label)).to_have_value(f"Text für {field.label}")
    expect(page.locator("input[name='privacy_consent']")).to_be_checked()

    # Sent for real: the thank-you page forgets the copy.
    page.get_by_role("button", name="Senden").click()
    expect(page.locator(".form-sent")).to_be_visible()
    assert page.evaluate("Object.keys(sessionStorage).filter((key) => key.startsWith('vsop-form:'))") == []
