"""Editors reach people, organisations and the site settings in the admin."""

from django.contrib.auth import get_user_model

import pytest

from home.models import SiteSettings
from tests.factories import OrganisationFactory, PersonFactory, SiteSettingsFactory
from topics.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, locale_de):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pass-word-123")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("url", "factory"),
    [
        ("/admin/snippets/topics/person/", PersonFactory),
        ("/admin/snippets/topics/organisation/", OrganisationFactory),
        ("/admin/snippets/home/sitesettings/", SiteSettingsFactory),
    ],
)
def test_snippet_list_add_and_edit_views(editor_client, url, factory):
    obj = factory()
    listing = editor_client.get(url)
    assert listing.status_code == 200
    assert str(obj).split(" (")[0] in listing.content.decode()
    assert editor_client.get(f"{url}add/").status_code == 200
    edit = editor_client.get(f"{url}edit/{obj.pk}/")
    assert edit.status_code == 200


def test_editor_creates_a_person(editor_client):
    response = editor_client.post(
        "/admin/snippets/topics/person/add/",
        {
            "name": "Kai Neumann",
            "role": "",
            "organisation": "",
            "email": "kai.neumann@example.org",
            "phone": "",
            "photo": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(name="Kai Neumann")
    assert person.locale.language_code == "de"


def test_admin_menu_offers_people_and_site_settings(editor_client):
    content = editor_client.get("/admin/").content.decode()
    assert "Personen und Organisationen" in content
    assert "Website-Einstellungen" in content


def test_site_settings_have_a_preview(editor_client):
    settings_row = SiteSettings.objects.get(locale__language_code="de")
    settings_row.organisation_name = "Verein für Sozialplanung (Vorschau)"  # unsaved: only the preview shows it
    response = settings_row.make_preview_request()
    assert response.status_code == 200
    assert "Verein für Sozialplanung (Vorschau)" in response.content.decode()
