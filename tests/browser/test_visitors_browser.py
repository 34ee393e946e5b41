"""What visitors meet, in Chromium: reflow at 320 px, axe at 375 and 1280 px, form errors, autocomplete.

One browser page visits many pages per test, so the module stays quick.
"""

import datetime
import re
from zoneinfo import ZoneInfo

from wagtail.models import Locale

import pytest
from playwright.sync_api import expect

from home.models import ImpressumPage, PrivacyPolicyPage
from tests.factories import EventPageFactory
from tests.test_legal_pages import IMPRINT_FACTS, PRIVACY_FACTS, publish_with
from topics.models import EventPage, EventSeriesPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
GERMAN = {
    "home": "/de/",
    "topic index": "/de/themen/",
    "topic": "/de/themen/familienarmut/",
    "series": "/de/programmreihe-2021/",
    "event": "/de/programmreihe-2021/fachtag/",
    "working group index": "/de/fachgruppen/",
    "working group": "/de/fachgruppen/alter-und-pflege/",
    "form": "/de/programmreihe-2021/ausschreibungsunterlagen-anfordern/",
    "contact": "/de/kontakt/",
    "imprint": "/de/impressum/",
    "privacy policy": "/de/datenschutz/",
    "search": "/de/suche/?q=Armut",
    "no results": "/de/suche/?q=Xylophonunterricht",
    "not found": "/de/gibt-es-nicht/",
}
ENGLISH = {
    "home": "/en/",
    "topic index": "/en/topics/",
    "topic": "/en/topics/family-poverty/",
    "series": "/en/programme-series-2021/",
    "event": "/en/programme-series-2021/fachtag/",
    "working group index": "/en/working-groups/",
    "working group": "/en/working-groups/ageing-and-care/",
    "form": "/en/programme-series-2021/request-call-documents/",
    "contact": "/en/contact/",
    "imprint": "/en/imprint/",
    "privacy policy": "/en/privacy/",
    "search": "/en/search/?q=poverty",
    "not found": "/en/does-not-exist/",
}


@pytest.fixture
def full_site(vsop_content):
    """The seeded site with its legal pages published and an upcoming event with a long German name."""
    publish_with(ImpressumPage.objects.get(locale__language_code="de"), IMPRINT_FACTS)
    publish_with(PrivacyPolicyPage.objects.get(locale__language_code="de"), PRIVACY_FACTS)
    english = Locale.objects.get(language_code="en")
    for model in (ImpressumPage, PrivacyPolicyPage):
        german = model.objects.get(locale__language_code="de")
        translation = model.objects.get(locale=english)
        for name in german.required_facts + ("no_vat_id", "no_dpo"):
            if hasattr(german, name):
                setattr(translation, name, getattr(german, name))
        publish_with(translation, {})
    series = EventSeriesPage.objects.get(locale__language_code="de")
    event = EventPageFactory(
        parent=series,
        slug="fachtag",
        title="Fachtag Ausschreibungsunterlagen und Lebensverhältnisse",
        intro="Kinderarmutsbekämpfungsstrategien im Landkreisvergleich.",
        start=datetime.datetime.now(tz=ZoneInfo("Europe/Berlin")) + datetime.timedelta(days=40),
        format=EventPage.Format.HYBRID,
        place="Neues Rathaus\nTrammplatz 2, 30159 Hannover",
    )
    event.copy_for_translation(english).save_revision().publish()


def check_axe(page, name):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}).response
    problems = [
        f"{kind} {item['id']}: {[node['target'] for node in item['nodes']][:3]}"
        for kind in ("violations", "incomplete")
        for item in results[kind]
    ]
    assert not problems, f"axe on {name} ({page.url}):\n" + "\n".join(problems)


def test_no_page_scrolls_sideways_at_320_px_in_either_language(live_site, full_site, page):
    page.set_viewport_size({"width": 320, "height": 700})
    for pages in (GERMAN, ENGLISH):
        for name, path in pages.items():
            page.goto(live_site.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{name} ({path}) is {width} px wide at 320 px"


def test_axe_finds_nothing_on_any_page_type_at_375_and_1280_px(live_site, full_site, page):
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in GERMAN.items():
            page.goto(live_site.url + path)
            check_axe(page, f"{name} at {width} px")
    page.set_viewport_size({"width": 375, "height": 900})
    for name, path in ENGLISH.items():
        page.goto(live_site.url + path)
        check_axe(page, f"English {name}")


def test_form_errors_the_gov_uk_way_then_a_thank_you_page(live_site, full_site, page):
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 700})
        page.goto(live_site.url + GERMAN["form"])
        page.get_by_role("button", name="Senden").click()
        summary = page.locator(".error-summary")
        expect(summary).to_be_focused()
        assert page.title().startswith("Fehler: ")
        check_axe(page, f"form with errors at {width} px")
        for index in range(summary.get_by_role("link").count()):
            link = summary.get_by_role("link").nth(index)
            target_id = link.get_attribute("href")[1:]
            link.click()
            expect(page.locator(f"#{target_id}")).to_be_focused()
            field = page.locator(".form__field", has=page.locator(f"#{target_id}"))
            caption = field.locator("legend, label").first
            box = caption.bounding_box()
            assert box["y"] >= 0, f"label of #{target_id} is {box['y']} px above the window at {width} px"
            error = field.locator(".form__error")
            assert error.bounding_box()["y"] >= 0
            page.locator(".error-summary").scroll_into_view_if_needed()

    page.get_by_label("Name").fill("Erika Beispiel")
    page.get_by_label("Organisation").fill("Stadt Hannover")
    page.get_by_label("E-Mail").fill("erika@example.org")
    page.get_by_label(re.compile("Ich bin einverstanden")).check()
    page.get_by_role("button", name="Senden").click()
    expect(page.locator(".form-sent")).to_be_visible()
    assert "/ausschreibungsunterlagen-anfordern/" in page.url and "sent=" in page.url
    assert not page.title().startswith("Fehler")
    check_axe(page, "thank-you page")
    page.reload()  # a GET: nothing is posted again
    expect(page.locator(".form-sent")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Zurück zu „Gleichwertige Lebensverhältnisse"))).to_be_visible()


def test_autocomplete_list_sits_under_the_input_and_its_status_is_never_stale(live_site, full_site, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_site.url + "/de/")
    field = page.get_by_role("combobox", name="Website durchsuchen")
    field.press_sequentially("Fachgr", delay=40)
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    input_box, list_box = field.bounding_box(), listbox.bounding_box()
    assert abs(list_box["x"] - input_box["x"]) <= 2
    assert list_box["y"] >= input_box["y"] + input_box["height"] - 1
    status = page.locator(".site-search [role=status]")
    expect(status).to_have_text(re.compile("Vorschl"))
    field.press("Escape")
    expect(listbox).to_be_hidden()
    expect(status).to_have_text("")
