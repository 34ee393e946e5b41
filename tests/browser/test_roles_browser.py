"""Editors and translators in Chromium: translation lifecycle, sync, the form segment, publishing a form page.

Each user signs in through a session cookie (Django's test client logs in; the browser
gets the cookie), so the tests exercise the admin, not the login form.
"""

import re

from django.contrib.auth.models import Group
from django.test import Client

from wagtail.models import Page
from wagtail_localize.models import Translation, TranslationSource

import pytest
from playwright.sync_api import expect

from access.roles import DATA_PROTECTION, EDITORS, TRANSLATORS
from forms.models import FormPage
from home.models import StandardPage
from tests.factories import StandardPageFactory
from topics.models import EventSeriesPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def sign_in(live_site, django_user_model, browser):
    contexts = []

    def as_role(role):
        user = django_user_model.objects.create_user(f"{role}-user", f"user{len(contexts)}@example.org", "pw")
        user.groups.add(Group.objects.get(name=role))
        client = Client()
        client.force_login(user)
        context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_site.url}])
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        return tab

    yield as_role
    for context in contexts:
        context.close()


def german_home():
    return Page.objects.get(depth=2, locale__language_code="de").specific


def test_translate_starts_a_draft_that_the_translator_publishes(
    live_site, vsop_content, sign_in, screenshot, django_capture_on_commit_callbacks
):
    german = StandardPageFactory(parent=german_home(), title="Neue Tagung 2027", slug="neue-tagung-2027")
    german.save_revision().publish()

    editor = sign_in(EDITORS)
    editor.goto(f"{live_site.url}/admin/localize/submit/page/{german.pk}/")
    screenshot(editor, "roles-01-editor-translate-this-page")
    editor.get_by_label("Englisch").check()
    editor.get_by_role("button", name="Absenden").click()
    editor.wait_for_load_state()
    english = StandardPage.objects.get(translation_key=german.translation_key, locale__language_code="en")
    assert not english.live, "a new translation must start as a draft"

    anonymous = editor.context.browser.new_page()
    response = anonymous.goto(f"{live_site.url}/en/{english.slug}/")
    assert response.status == 404

    translator = sign_in(TRANSLATORS)
    translator.goto(f"{live_site.url}/admin/pages/{english.pk}/edit/")
    expect(translator.get_by_text("Neue Tagung 2027").first).to_be_visible()
    screenshot(translator, "roles-02-translator-translation-editor")
    # wagtail-localize publishes on commit; the live server shares the test's transaction.
    with django_capture_on_commit_callbacks(execute=True), translator.expect_navigation():
        translator.get_by_role("button", name="Veröffentlichen in Englisch").click()
    screenshot(translator, "roles-03-translator-published")
    assert anonymous.goto(f"{live_site.url}/en/{english.slug}/").status == 200
    anonymous.close()
    expect(translator.locator(".messages")).to_contain_text("veröffentlicht")
    english.refresh_from_db()
    assert english.live


def test_translator_syncs_and_the_english_live_state_stays(
    live_site, vsop_content, sign_in, screenshot, django_capture_on_commit_callbacks
):
    german = FormPage.objects.get(title="Kontakt", locale__language_code="de")
    english = german.get_translation(german.get_translations().get().locale)
    english.unpublish()
    german.intro = "Schreiben Sie uns – wir antworten innerhalb einer Woche."
    german.save_revision().publish()
    source = TranslationSource.objects.get_for_instance(german)

    translator = sign_in(TRANSLATORS)
    translator.goto(f"{live_site.url}/admin/pages/{german.get_parent().pk}/")
    screenshot(translator, "roles-04-translator-german-tree-read-only")
    response = translator.goto(f"{live_site.url}/admin/localize/update/{source.pk}/")
    assert response.status == 200
    assert "/de/admin/" not in translator.url
    screenshot(translator, "roles-05-translator-sync")
    with django_capture_on_commit_callbacks(execute=True), translator.expect_navigation():
        translator.get_by_role("button", name="Absenden").click()
    assert "/de/admin/" not in translator.url
    expect(translator.locator(".messages")).to_contain_text(re.compile(".+"))
    english.refresh_from_db()
    assert not english.live, "a sync keeps the English live state"
    assert Translation.objects.filter(source=source, target_locale=english.locale).exists()


def test_translator_on_the_form_segment_of_the_translation_editor(live_site, vsop_content, sign_in, screenshot):
    """The form block's segment loads its page through /admin/api/…, which once ended in /de/admin/… (404)."""
    series = EventSeriesPage.objects.get(locale__language_code="en")
    german_form = FormPage.objects.get(title="Ausschreibungsunterlagen anfordern", locale__language_code="de")
    english_form = FormPage.objects.get(translation_key=german_form.translation_key, locale__language_code="en")
    translator = sign_in(TRANSLATORS)
    failed = []
    translator.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)

    with translator.expect_response(lambda response: "/api/main/pages/" in response.url) as api:
        translator.goto(f"{live_site.url}/admin/pages/{series.pk}/edit/")
    assert api.value.status == 200 and "/de/admin/" not in api.value.url
    assert api.value.json()["id"] in {german_form.pk, english_form.pk}
    expect(translator.get_by_text(re.compile("Seiteninformationen werden gesammelt", re.I))).to_have_count(0)
    screenshot(translator, "roles-06-translator-form-block-segment")

    translator.goto(f"{live_site.url}/admin/pages/{english_form.pk}/edit/")
    expect(translator.get_by_text(re.compile("Seiteninformationen werden gesammelt", re.I))).to_have_count(0)
    screenshot(translator, "roles-07-translator-form-page-segments")
    # wagtail-localize's literals are German in the German admin
    expect(translator.get_by_text("More actions")).to_have_count(0)
    expect(translator.get_by_text(re.compile(" to .* translation$"))).to_have_count(0)
    expect(translator.get_by_text("Übersetzung Deutsch → Englisch").first).to_be_visible()
    expect(translator.get_by_role("button", name="Veröffentlichen in Englisch")).to_be_visible()
    assert not [url for url in failed if "/admin/" in url], failed


@pytest.mark.parametrize("interval", [0, 500], ids=["project-setting", "autosave-every-500ms"])
def test_editor_saves_and_publishes_a_form_page_while_autosave_runs(
    live_site, vsop_content, sign_in, screenshot, settings, interval
):
    """No false "saved in another window" conflict, no lost edit, no 500 — with autosave off (our
    setting) and on at Wagtail's most eager interval."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = interval
    form = FormPage.objects.get(title="Kontakt", locale__language_code="de")
    editor = sign_in(EDITORS)
    errors = []
    editor.on("response", lambda response: errors.append(response.url) if response.status >= 500 else None)
    editor.goto(f"{live_site.url}/admin/pages/{form.pk}/edit/")

    title = editor.locator("#id_title")
    title.fill("Kontakt zum VSOP")
    editor.wait_for_timeout(1500)  # autosave (when on) has run at least twice
    with editor.expect_navigation():
        editor.get_by_role("button", name="Entwurf speichern").click()
    expect(editor.locator(".messages")).to_contain_text("wurde aktualisiert")

    editor.locator("#id_title").fill("Kontakt und Fragen")
    editor.wait_for_timeout(1500)
    editor.locator("[data-w-dropdown-target='toggle']").last.click()
    with editor.expect_navigation():
        editor.get_by_role("button", name=re.compile("^Veröffentlichen")).click()
    screenshot(editor, f"roles-08-editor-published-form-{interval}")
    expect(editor.locator(".messages")).to_contain_text("veröffentlicht")
    expect(editor.get_by_text(re.compile("in einem anderen Fenster", re.I))).to_have_count(0)
    form.refresh_from_db()
    assert form.live and not form.has_unpublished_changes
    assert form.title == "Kontakt und Fragen"
    assert not errors, errors


def test_data_protection_answers_a_request_in_the_browser(live_site, vsop_content, sign_in, screenshot):
    from forms.models import FormSubmission

    form = FormPage.objects.get(title="Kontakt", locale__language_code="de")
    FormSubmission.objects.create(page=form, form_data={"name": "Anna Muster", "e_mail": "anna@example.org"})
    officer = sign_in(DATA_PROTECTION)
    requests = []
    officer.on("request", lambda request: requests.append(request.url))
    officer.goto(f"{live_site.url}/admin/access/personal-data/")
    officer.get_by_label("E-Mail-Adresse").fill("anna@example.org")
    officer.get_by_role("button", name="Daten suchen").click()
    expect(officer.get_by_role("heading", name="Ein Datensatz gefunden")).to_be_visible()
    expect(officer.get_by_text("Anna Muster")).to_be_visible()
    screenshot(officer, "roles-09-data-protection-found")
    officer.get_by_role("button", name="Löschen …").click()
    expect(officer.get_by_role("checkbox")).to_be_checked()
    screenshot(officer, "roles-10-data-protection-confirm")
    officer.get_by_role("button", name="Die angekreuzten Datensätze löschen").click()
    expect(officer.locator(".messages")).to_contain_text("1 Datensatz gelöscht")
    assert not FormSubmission.objects.filter(page=form).exists()
    assert not [url for url in requests if "anna" in url]
