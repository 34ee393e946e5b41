"""Editors' side of event registration: the list per event, CSV, a mail to participants, the page editor."""

import csv
import datetime
import io
import zoneinfo

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

import pytest

from access import personal_data
from outbox.models import OutboxMessage
from registrations import services
from registrations.models import Registration, RegistrationField
from tests.factories import EventPageFactory, EventSeriesPageFactory

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(home_page):
    series = EventSeriesPageFactory(parent=home_page, slug="reihe")
    event = EventPageFactory(
        parent=series,
        title="Fachtag Sozialplanung",
        slug="fachtag",
        start=timezone.now() + datetime.timedelta(days=20),
        join_url="https://meet.example.org/fachtag",
        registration_enabled=True,
        registration_capacity=2,
        registration_double_opt_in=False,
    )
    RegistrationField.objects.create(page=event, label="Organisation", field_type="singleline", required=False)
    return event


@pytest.fixture
def people(event):
    made = [
        services.register(
            event, name="Anna Ahrens", email="anna@example.org", answers={"organisation": "=HYPERLINK()"}
        ),
        services.register(event, name="Bernd Berg", email="bernd@example.org", answers={"organisation": "Kreis"}),
        services.register(event, name="Cem Çelik", email="cem@example.org"),
    ]
    services.cancel(services.register(event, name="Dora Dorn", email="dora@example.org"))
    return made


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


def test_list_per_event_with_statuses_and_filter(admin_client, event, people):
    html = admin_client.get("/admin/registrations/").content.decode()
    assert "Fachtag Sozialplanung" in html
    html = admin_client.get(f"/admin/registrations/event/{event.pk}/").content.decode()
    for name in ("Anna Ahrens", "Bernd Berg", "Cem Çelik", "Dora Dorn"):
        assert name in html
    assert "bestätigt (2)" in html and "Warteliste (1)" in html and "abgemeldet (1)" in html
    waiting = admin_client.get(f"/admin/registrations/event/{event.pk}/?status=waiting").content.decode()
    assert "Cem Çelik" in waiting and "Anna Ahrens" not in waiting


def test_csv_has_bom_berlin_time_questions_and_no_formulas(admin_client, event, people):
    response = admin_client.get(f"/admin/registrations/event/{event.pk}/csv/")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Status", "Name", "E-Mail-Adresse"] and "Organisation" in rows[0]
    anna = next(row for row in rows if row[1] == "Anna Ahrens")
    assert anna[0] == "bestätigt"
    assert anna[rows[0].index("Organisation")] == "'=HYPERLINK()"
    registered = Registration.objects.get(email="anna@example.org").created_at
    assert anna[4] == timezone.localtime(registered, BERLIN).strftime("%Y-%m-%d %H:%M")
    assert next(row for row in rows if row[1] == "Cem Çelik")[0] == "Warteliste"


def test_mail_to_all_confirmed_participants(admin_client, event, people, sent_mail):
    sent_mail.clear()
    response = admin_client.post(
        f"/admin/registrations/event/{event.pk}/mail/", {"subject": "Raumänderung", "body": "Wir treffen uns online."}
    )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in sent_mail) == ["anna@example.org", "bernd@example.org"]
    assert all("Wir treffen uns online." in m.body and "/cancel/" in m.body for m in sent_mail)
    assert OutboxMessage.objects.filter(key__startswith="announcement:").count() == 2


def test_staff_cancel_moves_the_waiting_person_up(admin_client, event, people, sent_mail):
    sent_mail.clear()
    anna = people[0]
    response = admin_client.post(f"/admin/registrations/event/{event.pk}/cancel/{anna.pk}/")
    assert response.status_code == 302
    assert Registration.objects.get(pk=anna.pk).cancel_reason == "staff"
    assert Registration.objects.get(email="cem@example.org").status == "registered"
    assert "cem@example.org" in [m.to[0] for m in sent_mail]


def test_editors_without_the_permission_see_nothing(client, django_user_model, event, people):
    user = django_user_model.objects.create_user("editor", "editor@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    # Wagtail turns a refused admin view into a redirect to the dashboard with a message.
    for url in (f"/admin/registrations/event/{event.pk}/", f"/admin/registrations/event/{event.pk}/csv/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url == "/admin/"
    group = Group.objects.create(name="Anmeldungen")
    group.permissions.add(Permission.objects.get(codename="view_registration"))
    user.groups.add(group)
    assert client.get(f"/admin/registrations/event/{event.pk}/csv/").status_code == 200
    response = client.post(f"/admin/registrations/event/{event.pk}/mail/", {"subject": "x", "body": "y"})
    assert response.status_code == 302 and response.url == "/admin/"


def test_event_editor_has_the_registration_settings_and_a_button(admin_client, event):
    html = admin_client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert "registration_capacity" in html and "registration_fields-TOTAL_FORMS" in html
    assert f"/admin/registrations/event/{event.pk}/" in html


def test_publishing_more_places_moves_people_up(event, people, sent_mail):
    sent_mail.clear()
    event.registration_capacity = 3
    event.save_revision().publish()
    assert Registration.objects.get(email="cem@example.org").status == "registered"
    assert [m.to for m in sent_mail] == [["cem@example.org"]]


def test_personal_data_requests_find_and_delete_registrations(event, people):
    [provider] = [p for p in personal_data.providers() if p.key == "event_registrations"]
    [record] = provider.find("ANNA@example.org")
    assert record.title == "Fachtag Sozialplanung"
    assert provider.delete("anna@example.org", [record.id]) == 1
    assert not Registration.objects.filter(email="anna@example.org").exists()
    assert Registration.objects.get(email="cem@example.org").status == "registered"  # the place went on


def test_editor_role_may_see_the_registrations(client, django_user_model, event, people):
    from access.roles import EDITORS

    user = django_user_model.objects.create_user("redakteurin", "r@example.org", "pw")
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    assert client.get(f"/admin/registrations/event/{event.pk}/").status_code == 200
    assert client.get(f"/admin/registrations/event/{event.pk}/csv/").status_code == 200
