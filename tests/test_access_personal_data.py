"""Personal-data requests: find by e-mail (POST only), export (JSON, CSV), delete after confirmation, audit log."""

import csv
import io
import json
import re

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from access import personal_data
from access.models import PersonalDataRequest
from access.roles import DATA_PROTECTION
from forms.models import FormSubmission
from tests.factories import FormFieldFactory, FormPageFactory

pytestmark = pytest.mark.django_db

ADDRESS = "anna@example.org"


@pytest.fixture
def contact_form(home_page):
    page = FormPageFactory(parent=home_page, title="Kontakt", slug="kontakt", to_address="team@example.org")
    FormFieldFactory(page=page, label="Name", field_type="singleline")
    FormFieldFactory(page=page, label="E-Mail", field_type="email")
    FormFieldFactory(page=page, label="Nachricht", field_type="multiline")
    return page


@pytest.fixture
def officer(client, django_user_model):
    user = django_user_model.objects.create_user("datenschutz", "ds@example.org", "pw")
    user.groups.add(Group.objects.get(name=DATA_PROTECTION))
    client.force_login(user)
    return client


def submit(page, **data):
    return FormSubmission.objects.create(
        page=page, form_data={"name": "Anna Muster", "e_mail": "erika@example.org", "nachricht": "Hallo", **data}
    )


URL = reverse("access:personal_data")


def test_the_address_never_travels_in_the_url(officer, contact_form):
    submit(contact_form, e_mail=ADDRESS)
    assert "anna" not in officer.get(URL, {"email": ADDRESS}).content.decode()  # a GET does not search
    response = officer.post(URL, {"email": ADDRESS, "action": "find"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Anna Muster" in html
    assert 'method="get"' not in html.split("<main", 1)[-1]


def test_every_submission_of_one_address_is_found_and_only_those(officer, contact_form, home_page):
    other_form = FormPageFactory(parent=home_page, title="Anmeldung", slug="anmeldung")
    FormFieldFactory(page=other_form, label="E-Mail", field_type="email")
    own = submit(contact_form, e_mail=ADDRESS)
    upper = submit(other_form, e_mail="Anna@Example.org")
    mentioned = submit(contact_form, nachricht=f"Bitte antworten Sie an {ADDRESS}.")
    submit(contact_form, e_mail="hanna@example.org")
    submit(contact_form, e_mail="anna@example.org.uk")
    found = personal_data.find_all(ADDRESS)
    ids = {record.id for records in found.values() for record in records}
    assert ids == {str(own.pk), str(upper.pk), str(mentioned.pk)}


def test_export_json_and_csv_hold_everything_and_are_logged_without_the_data(officer, contact_form):
    submit(contact_form, e_mail=ADDRESS, nachricht="Grüße aus Köln")
    response = officer.post(URL, {"email": ADDRESS, "action": "export", "format": "json"})
    assert response["Content-Disposition"].startswith("attachment;")
    payload = json.loads(response.content)
    assert payload["email"] == ADDRESS
    [record] = payload["records"]["form_submissions"]
    assert record["fields"]["Nachricht"] == "Grüße aus Köln"

    response = officer.post(URL, {"email": ADDRESS, "action": "export", "format": "csv"})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert ["Nachricht", "Grüße aus Köln"] in [row[-2:] for row in rows]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", rows[1][3])

    entries = ModelLogEntry.objects.filter(action="access.personal_data.export")
    assert entries.count() == 2
    for entry in entries:
        logged = json.dumps(entry.data) + entry.label
        assert "anna" not in logged and "Köln" not in logged
        assert entry.data["counts"] == {
            "form_submissions": 1,
            **{k: 0 for k in entry.data["counts"] if k != "form_submissions"},
        }


def test_delete_asks_first_lists_what_goes_and_deletes_only_ticked_matches(officer, contact_form):
    keep = submit(contact_form, e_mail=ADDRESS)
    drop = submit(contact_form, e_mail=ADDRESS, nachricht="Bitte löschen")
    stranger = submit(contact_form, e_mail="someone@example.org")

    confirm = officer.post(URL, {"email": ADDRESS, "action": "confirm_delete"})
    html = confirm.content.decode()
    assert f'value="form_submissions:{drop.pk}"' in html and f'value="form_submissions:{keep.pk}"' in html
    assert FormSubmission.objects.count() == 3  # nothing deleted yet

    response = officer.post(
        URL,
        {
            "email": ADDRESS,
            "action": "delete",
            "record": [f"form_submissions:{drop.pk}", f"form_submissions:{stranger.pk}"],
        },
    )
    assert response.status_code == 302
    assert set(FormSubmission.objects.values_list("pk", flat=True)) == {keep.pk, stranger.pk}
    entry = ModelLogEntry.objects.get(action="access.personal_data.delete")
    assert entry.data["counts"]["form_submissions"] == 1
    assert "anna" not in json.dumps(entry.data)
    assert PersonalDataRequest.objects.filter(kind="erasure").exists()


def test_a_bad_address_gets_a_message_and_no_search(officer, contact_form):
    response = officer.post(URL, {"email": "not an address", "action": "find"})
    assert response.status_code == 200
    assert "gültige E-Mail-Adresse" in response.content.decode()
    assert not PersonalDataRequest.objects.exists()


def test_other_apps_contribute_their_records(officer, contact_form):
    class Registrations(personal_data.Provider):
        key = "test_registrations"
        label = "Anmeldungen"
        deleted = []

        def find(self, email):
            return [personal_data.Record(self.key, "7", "Fachtagung", None, {"E-Mail": email})]

        def delete(self, email, ids):
            self.deleted.extend(ids)
            return len(ids)

    provider = personal_data.register(Registrations())
    try:
        html = officer.post(URL, {"email": ADDRESS, "action": "find"}).content.decode()
        assert "Anmeldungen" in html and "Fachtagung" in html
        officer.post(URL, {"email": ADDRESS, "action": "delete", "record": ["test_registrations:7"]})
        assert provider.deleted == ["7"]
    finally:
        personal_data._providers.pop("test_registrations")
