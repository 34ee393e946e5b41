"""A visitor's walk through the seeded site in Chromium: home → topic → working group → event series."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_visitor_walks_through_the_site(live_site, vsop_content, page, axe, screenshot):
    page.goto(f"{live_site.url}/de/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert page.title().startswith("VSOP e.V.")
    screenshot(page, "01-home")
    axe(page, "home page")

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Themen").click()
    page.get_by_role("link", name="Familienarmut und Sozialplanung").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Familienarmut und Sozialplanung")
    expect(page.get_by_text("Welche Steuerungsmöglichkeiten haben Kommunen gegen Familienarmut?")).to_be_visible()
    screenshot(page, "02-topic")
    axe(page, "topic page")

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Fachgruppen").click()
    page.get_by_role("link", name="Fachgruppe Alter und Pflege").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fachgruppe Alter und Pflege")
    assert "lisa.manhart@vsop.de" not in page.content()
    screenshot(page, "03-working-group")
    axe(page, "working group page")

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Programmreihe 2021").click()
    expect(page.get_by_text("30 Jahre VSOP – Programmreihe zum digitalen Fachdiskurs 2021")).to_be_visible()
    for partner in ("Region Hannover", "Landeshauptstadt Hannover", "Bertelsmann Stiftung"):
        expect(page.get_by_text(partner, exact=True)).to_be_visible()
    screenshot(page, "04-event-series")
    axe(page, "event series page")


def test_skip_link_moves_focus_to_main(live_site, vsop_content, page):
    page.goto(f"{live_site.url}/de/themen/familienarmut/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_event_page_is_accessible_and_offers_its_calendar(live_site, vsop_content, page, axe, screenshot):
    import datetime

    from django.utils import timezone

    from tests.factories import EventPageFactory, PersonFactory
    from topics.models import EventSeriesPage, PageSpeaker

    series = EventSeriesPage.objects.get(slug="programmreihe-2021")
    event = EventPageFactory(
        parent=series,
        title="Gleichwertige Lebensverhältnisse im Landkreis",
        slug="landkreis",
        start=timezone.now() + datetime.timedelta(days=14),
        format="hybrid",
        place="Hannover",
        programme=[("item", {"time": "10:00", "title": "Begrüßung", "speakers": "VSOP e.V."})],
    )
    PageSpeaker.objects.create(page=event, person=PersonFactory(name="Carolin Herrmann"))
    page.goto(f"{live_site.url}{event.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text(event.title)
    expect(page.get_by_text("Carolin Herrmann")).to_be_visible()
    screenshot(page, "05-event")
    axe(page, "event page")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="In den Kalender übernehmen (.ics)").click()
    assert download_info.value.suggested_filename == "landkreis.ics"

    page.goto(f"{live_site.url}{series.url}")
    expect(page.get_by_role("link", name=event.title)).to_be_visible()
