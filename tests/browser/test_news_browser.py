"""News and an imported WordPress site in Chromium: list, filter, article, imported page with its form."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "wxr"


@pytest.fixture
def imported_site(vsop_content):
    call_command(
        "import_wordpress",
        str(FIXTURES / "vsop.xml"),
        uploads=str(FIXTURES / "uploads"),
        no_progress=True,
        stdout=StringIO(),
        stderr=StringIO(),
    )


def test_empty_news_section_is_calm_and_accessible(live_site, vsop_content, page, axe, screenshot):
    page.goto(f"{live_site.url}/de/aktuelles/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktuelles")
    expect(page.get_by_text("Noch keine Meldungen. Neue Meldungen erscheinen hier.")).to_be_visible()
    screenshot(page, "news-01-empty")
    axe(page, "empty news index")


def test_imported_news_list_filter_article_and_form(live_site, imported_site, page, axe, screenshot):
    page.goto(f"{live_site.url}/de/aktuelles/")
    expect(page.get_by_role("link", name="Neuer Vorstand gewählt")).to_be_visible()
    expect(page.get_by_role("link", name="Sozialplanung im Wandel")).to_be_visible()
    expect(page.get_by_text("Entwurf einer Meldung")).to_have_count(0)
    screenshot(page, "news-02-list")
    axe(page, "news index")

    page.get_by_role("navigation", name="Meldungen filtern").get_by_role("link", name="Verband").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktuelles: Verband")
    expect(page.get_by_role("link", name="Sozialplanung im Wandel")).to_have_count(0)
    axe(page, "news index filtered by category")

    page.get_by_role("link", name="Neuer Vorstand gewählt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Neuer Vorstand gewählt")
    expect(page.get_by_text("Lisa Manhart", exact=False).first).to_be_visible()
    screenshot(page, "news-03-article")
    axe(page, "news article")

    # An old WordPress address leads to the imported page, which shows the converted form.
    page.goto(f"{live_site.url}/fachgruppe-alter-und-pflege/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fachgruppe Alter und Pflege")
    expect(page.get_by_role("heading", name="Ausschreibungsunterlagen anfordern")).to_be_visible()
    body = page.locator("main").inner_text()
    assert "[contact-form-7" not in body and "[foobar" not in body
    screenshot(page, "news-04-imported-page-with-form")
    axe(page, "imported page with its form")
