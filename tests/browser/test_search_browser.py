"""Searching in Chromium: autocomplete in the header field, then the results page checked by axe-core."""

import re

from django.urls import reverse
from django.utils import translation

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_pick_an_autocomplete_suggestion_from_the_header_field(live_site, vsop_content, page, screenshot):
    page.goto(f"{live_site.url}/de/themen/familienarmut/")
    field = page.get_by_role("combobox", name="Website durchsuchen")
    field.click()
    field.press_sequentially("Fachgr", delay=50)
    option = page.get_by_role("option", name=re.compile("Fachgruppe Alter und Pflege"))
    option.wait_for()
    expect(field).to_have_attribute("aria-expanded", "true")
    screenshot(page, "search-01-autocomplete")

    field.press("ArrowDown")
    active = field.get_attribute("aria-activedescendant")
    assert active
    expect(page.locator(f"#{active}")).to_have_attribute("aria-selected", "true")
    option.click()
    page.wait_for_url(re.compile(r"/de/fachgruppen/alter-und-pflege/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Fachgruppe Alter und Pflege")


def test_results_page_is_accessible_and_keeps_the_query(live_site, vsop_content, page, axe, screenshot):
    page.goto(f"{live_site.url}/de/")
    field = page.get_by_role("combobox", name="Website durchsuchen")
    field.fill("Pflege")
    field.press("Enter")  # no suggestion chosen: the form is submitted
    with translation.override("de"):
        results_path = reverse("search")
    page.wait_for_url(re.compile(re.escape(results_path) + r"\?q=Pflege$"))
    expect(page.get_by_role("link", name="Fachgruppe Alter und Pflege")).to_be_visible()
    assert page.locator("mark").first.inner_text().lower().startswith("pflege")
    assert page.locator("#site-search-q").input_value() == "Pflege"
    screenshot(page, "search-02-results")
    axe(page, "search results page")

    page.goto(f"{live_site.url}{results_path}?q=Xylophonunterricht")
    expect(page.get_by_role("heading", name="Vorschläge")).to_be_visible()
    screenshot(page, "search-03-no-results")
    axe(page, "search page without results")
