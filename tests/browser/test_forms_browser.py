"""A visitor requests the tender documents in Chromium: once with a mistake, once successfully."""

from django.core import mail
from django.core.cache import cache

import pytest
from playwright.sync_api import expect

from forms.models import FormPage, FormSubmission
from outbox.delivery import Circuit, deliver_due

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_request_tender_documents_with_an_error_then_successfully(live_site, vsop_content, page, axe, screenshot):
    cache.clear()  # the rate limit counts in the cache
    form_page = FormPage.objects.get(title="Ausschreibungsunterlagen anfordern", locale__language_code="de")
    page.goto(f"{live_site.url}{form_page.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ausschreibungsunterlagen anfordern")
    expect(
        page.get_by_text("Datenschutz-Hinweis: Ihre Daten werden ausschließlich für diese Anfrage verwendet.")
    ).to_be_visible()
    expect(page.locator("input[name=homepage_url]")).to_be_hidden()
    screenshot(page, "forms-01-form")
    axe(page, "form page")

    # A mistake: no organisation, an invalid address, no consent.
    page.get_by_label("Name").fill("Erika Mustermann")
    page.get_by_label("E-Mail").fill("erika at example")
    page.get_by_role("button", name="Senden").click()
    page.wait_for_load_state()

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    assert summary.evaluate("el => el === document.activeElement")
    expect(summary).to_contain_text("Bitte korrigieren Sie Folgendes")
    expect(summary).to_contain_text("Organisation")
    assert page.get_by_label("Name").input_value() == "Erika Mustermann"  # values are kept
    expect(page.get_by_label("E-Mail")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "forms-02-errors")
    axe(page, "form with errors")
    assert FormSubmission.objects.count() == 0

    # The summary links lead to the field.
    summary.get_by_role("link", name="Organisation").click()
    assert page.evaluate("document.activeElement.name") == "organisation"

    # Corrected, with the keyboard only from here on.
    page.keyboard.type("Region Hannover")
    page.get_by_label("E-Mail").fill("")
    page.get_by_label("E-Mail").focus()
    page.keyboard.type("erika@example.org")
    page.keyboard.press("Tab")  # to the message
    page.keyboard.type("Bitte senden Sie uns die Unterlagen.")
    page.keyboard.press("Tab")  # the honeypot is skipped: straight to the consent checkbox
    assert page.evaluate("document.activeElement.name") == "privacy_consent"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Senden"
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    expect(page.locator(".form-sent")).to_contain_text("Vielen Dank")
    screenshot(page, "forms-03-thank-you")
    axe(page, "thank-you page")

    submission = FormSubmission.objects.get()
    assert submission.form_data["organisation"] == "Region Hannover"
    assert submission.form_data["privacy_consent"]["accepted"] is True
    assert mail.outbox == []  # nothing is sent inside the visitor's request
    Circuit.reset()
    deliver_due()  # what the outbox worker does
    assert [message.to for message in mail.outbox] == [["erika@example.org"]]
