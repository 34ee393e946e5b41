"""The imprint and the privacy policy: facts from editors, processing from the software."""

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, streamfield

import pytest

from forms.models import FormPage
from home.models import HomePage, ImpressumPage, PrivacyPolicyPage, SiteSettings
from tests.factories import FormFieldFactory, FormPageFactory

IMPRINT_FACTS = {
    "organisation_name": "Verein für Sozialplanung (VSOP e.V.)",
    "street_address": "Musterstraße 1",
    "postal_code": "30159",
    "city": "Hannover",
    "representatives": "Erika Beispiel (Vorsitzende)",
    "email": "info@example.org",
    "phone": "+49 511 000000",
    "register_court": "Amtsgericht Hannover",
    "register_number": "VR 000000",
    "no_vat_id": True,
    "content_responsible": "Erika Beispiel, Musterstraße 1, 30159 Hannover",
}
PRIVACY_FACTS = {
    "controller": "Verein für Sozialplanung (VSOP e.V.)\nMusterstraße 1\n30159 Hannover",
    "controller_email": "datenschutz@example.org",
    "no_dpo": True,
    "hosting_provider": "Beispiel-Hosting GmbH, Serverweg 2, 10115 Berlin",
    "log_retention_days": 14,
    "supervisory_authority": "Die Landesbeauftragte für den Datenschutz Niedersachsen",
}


def clear_page_cache():
    for cache in caches.all():
        cache.clear()


def form_html(html):
    start = html.index('<form class="form"')
    return html[start : html.index("</form>", start)]


def legal_page(model, language="de"):
    return model.objects.get(locale__language_code=language)


def publish_with(page, facts):
    for name, value in facts.items():
        setattr(page, name, value)
    page._validate_for_publishing = True
    page.save_revision(clean=True).publish()
    page.refresh_from_db()
    return page


@pytest.mark.django_db
def test_the_seeded_legal_pages_are_unpublished_drafts_of_the_legal_types_in_both_languages(client, vsop_content):
    for model, de_slug, en_slug in (
        (ImpressumPage, "impressum", "imprint"),
        (PrivacyPolicyPage, "datenschutz", "privacy"),
    ):
        german, english = legal_page(model, "de"), legal_page(model, "en")
        assert (german.slug, english.slug, german.live, english.live) == (de_slug, en_slug, False, False)
        assert client.get(f"/de/{de_slug}/").status_code == 404
    # Only the name of the association is known from the seed; nothing else is invented.
    imprint = legal_page(ImpressumPage)
    assert imprint.organisation_name == "Verein für Sozialplanung (VSOP e.V.)"
    assert imprint.street_address == imprint.register_number == imprint.phone == ""
    assert not StandardPageSlugsLeft()


def StandardPageSlugsLeft():
    return Page.objects.filter(slug__in=["impressum", "datenschutz", "imprint", "privacy"]).exclude(
        content_type__model__in=["impressumpage", "privacypolicypage"]
    )


@pytest.mark.django_db
def test_publishing_is_blocked_in_german_naming_every_missing_fact(vsop_content):
    imprint = legal_page(ImpressumPage)
    imprint._validate_for_publishing = True
    with translation.override("de"), pytest.raises(ValidationError) as error:
        imprint.full_clean()
    message = " ".join(error.value.messages)
    assert message.startswith("Diese Seite kann noch nicht veröffentlicht werden. Es fehlt: ")
    for fact in (
        "Straße und Hausnummer",
        "Registergericht",
        "Registernummer",
        "Telefon",
        "Umsatzsteuer-Identifikationsnummer",
        "§ 18 Abs. 2 MStV",
    ):
        assert fact in message
    assert "Name des Vereins" not in message  # given by the seed

    privacy = legal_page(PrivacyPolicyPage)
    privacy._validate_for_publishing = True
    with translation.override("de"), pytest.raises(ValidationError) as error:
        privacy.full_clean()
    message = " ".join(error.value.messages)
    for fact in ("Verantwortlicher", "Datenschutzbeauftragte", "Hosting-Anbieter", "Server-Logs", "Aufsichtsbehörde"):
        assert fact in message


@pytest.mark.django_db
def test_a_draft_can_be_saved_with_missing_facts_but_not_published_in_the_admin(admin_client, vsop_content):
    imprint = legal_page(ImpressumPage)
    url = reverse("wagtailadmin_pages:edit", args=[imprint.pk])
    data = nested_form_data(
        {
            "title": "Impressum",
            "slug": "impressum",
            "intro": "",
            "organisation_name": imprint.organisation_name,
            "city": "Hannover",
            "body": streamfield([]),
            "comments": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000},
        }
    )
    with translation.override("de"):
        response = admin_client.post(url, data, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ImpressumPage.objects.get(pk=imprint.pk).get_latest_revision_as_object().city == "Hannover"

    response = admin_client.post(url, {**data, "action-publish": "action-publish"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert "kann noch nicht veröffentlicht werden" in response.content.decode()
    assert not ImpressumPage.objects.get(pk=imprint.pk).live

    complete = {**data, **{name: ("on" if value is True else value) for name, value in IMPRINT_FACTS.items()}}
    response = admin_client.post(url, {**complete, "action-publish": "action-publish"})
    assert response.status_code == 302
    assert ImpressumPage.objects.get(pk=imprint.pk).live


@pytest.mark.django_db
def test_the_preview_marks_missing_facts_for_editors(admin_client, vsop_content):
    imprint = legal_page(ImpressumPage)
    html = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[imprint.pk])).content.decode()
    assert '<mark class="legal-missing">' in html
    assert "Registergericht" in html


@pytest.mark.django_db
def test_once_complete_the_legal_pages_are_published_and_linked_from_footer_and_forms(client, vsop_content):
    imprint = publish_with(legal_page(ImpressumPage), IMPRINT_FACTS)
    privacy = publish_with(legal_page(PrivacyPolicyPage), PRIVACY_FACTS)
    assert imprint.live and privacy.live
    html = client.get("/de/impressum/").content.decode()
    assert "Amtsgericht Hannover" in html and "VR 000000" in html and "legal-missing" not in html
    assert "Umsatzsteuer" not in html  # the association said it has none

    contact = client.get("/de/kontakt/").content.decode()
    footer = contact[contact.index('class="site-footer') :]
    assert 'href="/de/impressum/"' in footer and 'href="/de/datenschutz/"' in footer
    assert 'href="/de/datenschutz/"' in form_html(contact)
    # Every form, also one embedded in another page, links the policy.
    series = client.get("/de/programmreihe-2021/").content.decode()
    assert 'href="/de/datenschutz/"' in form_html(series)


@pytest.mark.django_db
def test_the_privacy_policy_is_generated_from_the_live_forms_real_fields(client, home_page, settings):
    settings.RECAPTCHA_PUBLIC_KEY = settings.RECAPTCHA_PRIVATE_KEY = ""
    form = FormPageFactory(parent=home_page, title="Newsletter bestellen", retention_days=30, send_confirmation=True)
    FormFieldFactory(page=form, label="Lieblingsfarbe", field_type="singleline")
    FormFieldFactory(page=form, label="Postleitzahl", field_type="singleline")
    draft = FormPageFactory(parent=home_page, title="Geheimer Entwurf", live=False)
    FormFieldFactory(page=draft, label="Geheimfeld")
    policy = PrivacyPolicyPage(title="Datenschutzerklärung", slug="datenschutz", **PRIVACY_FACTS)
    home_page.add_child(instance=policy)

    html = client.get("/de/datenschutz/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    section = html[html.index('id="forms"') : html.index('id="search"')]
    assert "Newsletter bestellen" in section and f'href="{form.url}"' in section
    assert "Lieblingsfarbe, Postleitzahl" in section
    assert "30 Tagen" in section or "30 Tage" in section
    assert "Bestätigung" in section
    assert "Geheim" not in html
    assert "reCAPTCHA" not in html
    assert "14 Tagen" in html or "14 Tage" in html
    assert "csrftoken" in html and "sessionid" in html

    settings.RECAPTCHA_PUBLIC_KEY = settings.RECAPTCHA_PRIVATE_KEY = "test-key"
    clear_page_cache()  # a changed setting takes effect after a restart, which empties the cache
    assert "Google reCAPTCHA" in client.get("/de/datenschutz/").content.decode()

    FormFieldFactory(page=form, label="Geburtsjahr")
    assert "Lieblingsfarbe, Postleitzahl, Geburtsjahr" in client.get("/de/datenschutz/").content.decode()


@pytest.mark.django_db
def test_visitors_get_only_the_cookie_the_policy_names_and_only_on_form_pages(client, vsop_content):
    """The policy says: no cookies for visitors, except csrftoken on pages with a form."""
    from home.privacy import describe_cookies

    _all, visitor_cookies = describe_cookies()
    allowed = {cookie.name for cookie in visitor_cookies}
    assert allowed == {"csrftoken"}
    form_pages = {page.url for page in FormPage.objects.live()}
    for page in Page.objects.live().public().specific():
        if page.depth < 2 or not page.url:
            continue
        client.cookies.clear()
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        set_cookies = set(response.cookies)
        assert set_cookies <= allowed, (page.url, set_cookies)
        if page.url in form_pages:
            assert set_cookies == allowed, page.url
    for url in ("/de/suche/?q=Armut", "/en/search/?q=poverty", "/sitemap.xml"):
        client.cookies.clear()
        assert not set(client.get(url).cookies), url


@pytest.mark.django_db
def test_only_one_legal_page_of_each_kind_under_a_home_page():
    assert ImpressumPage.max_count_per_parent == PrivacyPolicyPage.max_count_per_parent == 1
    assert ImpressumPage.parent_page_types == ["home.HomePage"]
    assert "home.ImpressumPage" in HomePage.subpage_types and "home.PrivacyPolicyPage" in HomePage.subpage_types


@pytest.mark.django_db
def test_the_settings_point_to_the_legal_pages(vsop_content):
    settings_de = SiteSettings.objects.get(locale__language_code="de")
    assert settings_de.imprint_page.specific_class is ImpressumPage
    assert settings_de.privacy_page.specific_class is PrivacyPolicyPage
