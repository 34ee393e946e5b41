"""Switching languages in Chromium, and the English pages checked with axe-core."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ENGLISH_PAGES = {
    "en-home": "/en/",
    "en-topic": "/en/topics/family-poverty/",
    "en-working-group": "/en/working-groups/ageing-and-care/",
    "en-event-series": "/en/programme-series-2021/",
    "en-form": "/en/working-groups/ageing-and-care/join-or-ask/",
    "en-topic-index": "/en/topics/",
}


def test_switch_language_on_a_topic_page(live_site, vsop_content, page, axe, screenshot):
    page.goto(f"{live_site.url}/de/themen/familienarmut/")
    switcher = page.get_by_role("navigation", name="Sprache")
    switcher.get_by_role("link", name="English").click()
    page.wait_for_url(f"{live_site.url}/en/topics/family-poverty/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Family poverty and social planning")
    expect(page.get_by_role("heading", name="Guiding questions")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Topics")).to_be_visible()
    screenshot(page, "i18n-01-topic-en")
    axe(page, "English topic page")

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Deutsch").click()
    page.wait_for_url(f"{live_site.url}/de/themen/familienarmut/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Familienarmut und Sozialplanung")


def test_root_follows_the_browser_language(live_site, vsop_content, browser):
    for locale, expected in (("en-GB", "/en/"), ("de-DE", "/de/"), ("fr-FR", "/de/")):
        context = browser.new_context(locale=locale)
        try:
            tab = context.new_page()
            tab.goto(f"{live_site.url}/")
            assert tab.url == f"{live_site.url}{expected}", locale
        finally:
            context.close()


def test_english_pages_pass_axe(live_site, vsop_content, page, axe, screenshot):
    for name, path in ENGLISH_PAGES.items():
        page.goto(f"{live_site.url}{path}")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        axe(page, path)
        screenshot(page, f"i18n-{name}")
