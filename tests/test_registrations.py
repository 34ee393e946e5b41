"""Event registration: places, waiting list, double opt-in, mails with the private calendar entry."""

import base64
import datetime
import re
import zoneinfo
from urllib.parse import urlsplit

from django.core import signing
from django.utils import timezone

import pytest
from icalendar import Calendar

from registrations import services
from registrations.availability import State, availability
from registrations.models import Registration, RegistrationField
from registrations.tokens import Purpose, make_token, read_token
from tests.factories import EventPageFactory, EventSeriesPageFactory

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
JOIN_URL = "https://meet.example.org/vsop-geheim"

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(home_page):
    return EventSeriesPageFactory(parent=home_page, title="Programmreihe 2021", slug="programmreihe-2021")


def make_event(series, **kwargs):
    defaults = {
        "title": "Online-Fachgespräch",
        "slug": "fachgespraech",
        "start": timezone.now() + datetime.timedelta(days=10),
        "format": "online",
        "join_url": JOIN_URL,
        "registration_enabled": True,
        "registration_capacity": 20,
        "registration_double_opt_in": False,
    }
    defaults.update(kwargs)
    return EventPageFactory(parent=series, **defaults)


def person(n):
    return {"name": f"Person {n}", "email": f"person{n}@example.org"}


def links(message, route):
    return re.findall(rf"https?://\S+/{route}/[-\w]+/", message.body)


def path_of(url):
    return urlsplit(url).path


def attached_calendar(message):
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


# The "done when" scenario


def test_done_when_20_places_25_people_one_cancels_next_moves_up(client, series, sent_mail):
    event = make_event(series)
    for n in range(25):
        response = client.post(
            f"{event.url}register/", {**person(n), "privacy_consent": "on"}, REMOTE_ADDR=f"10.0.0.{n}"
        )
        assert response.status_code == 302, response.content.decode()[:2000]

    registrations = Registration.objects.for_event(event)
    assert registrations.participants().count() == 20
    assert registrations.waiting().count() == 5
    confirmations = [m for m in sent_mail if m.subject.startswith("Anmeldung bestätigt")]
    waiting = [m for m in sent_mail if m.subject.startswith("Warteliste")]
    assert len(confirmations) == 20 and len(waiting) == 5
    for message in confirmations:
        assert JOIN_URL in message.body
        [vevent] = attached_calendar(message).walk("VEVENT")
        assert JOIN_URL in str(vevent["DESCRIPTION"])
    for message in waiting:
        assert JOIN_URL not in message.body
        assert not message.attachments

    # Person 3 cancels with the link in their mail; the first on the waiting list (person 20) moves up.
    cancel_message = next(m for m in confirmations if m.to == ["person3@example.org"])
    [cancel_url] = links(cancel_message, "cancel")
    path = path_of(cancel_url)
    assert "Ich melde mich ab" in client.get(path).content.decode()
    sent_mail.clear()
    response = client.post(path)
    assert response.status_code == 200
    assert Registration.objects.get(email="person3@example.org").status == Registration.Status.CANCELLED
    moved_up = Registration.objects.get(email="person20@example.org")
    assert moved_up.status == Registration.Status.REGISTERED
    assert registrations.participants().count() == 20
    assert registrations.waiting().count() == 4
    [promotion] = [m for m in sent_mail if m.to == ["person20@example.org"]]
    assert JOIN_URL in promotion.body
    assert JOIN_URL in str(attached_calendar(promotion).walk("VEVENT")[0]["DESCRIPTION"])
    assert [m.to for m in sent_mail if m.subject.startswith("Abmeldung")] == [["person3@example.org"]]


def test_done_when_with_the_default_double_opt_in(client, series, sent_mail):
    """The same scenario with the editor's defaults: everyone confirms their address first."""
    event = make_event(series, registration_double_opt_in=True)
    for n in range(25):
        assert post(client, event, n).status_code == 302
    opt_ins = list(sent_mail)
    assert len(opt_ins) == 25 and not any(JOIN_URL in m.body or m.attachments for m in opt_ins)
    sent_mail.clear()
    for message in opt_ins:
        [confirm_url] = links(message, "confirm")
        assert client.post(path_of(confirm_url)).status_code == 200
    registrations = Registration.objects.for_event(event)
    assert registrations.participants().count() == 20
    assert registrations.waiting().filter(email_confirmed_at__isnull=False).count() == 5
    with_calendar = [m for m in sent_mail if m.attachments]
    assert len(with_calendar) == 20
    assert all(JOIN_URL in str(attached_calendar(m).walk("VEVENT")[0]["DESCRIPTION"]) for m in with_calendar)

    first = Registration.objects.get(email="person0@example.org")
    sent_mail.clear()
    services.cancel(first)
    assert Registration.objects.get(email="person20@example.org").status == "registered"
    assert [m.to for m in sent_mail if m.attachments] == [["person20@example.org"]]


def test_registering_after_the_deadline_is_refused(client, series, sent_mail):
    event = make_event(series, registration_deadline=timezone.now() + datetime.timedelta(hours=1))
    form_page = client.get(event.url)
    assert 'action="' + event.url + 'register/"' in form_page.content.decode()
    event.registration_deadline = timezone.now() - datetime.timedelta(minutes=1)
    event.save_revision().publish()
    response = post(client, event)
    assert response.status_code == 409
    assert "Anmeldung geschlossen" in response.content.decode()
    assert Registration.objects.count() == 0 and sent_mail == []


# Registering on the page


def post(client, event, n=0, **data):
    return client.post(
        f"{event.url}register/", {**person(n), "privacy_consent": "on", **data}, REMOTE_ADDR=f"10.1.0.{n % 250}"
    )


def test_bad_input_gets_clear_errors_and_keeps_what_was_typed(client, series):
    event = make_event(series)
    RegistrationField.objects.create(page=event, label="Organisation", field_type="singleline", required=True)
    response = client.post(
        f"{event.url}register/", {"name": "Anna Beispiel", "email": "kein-mail", "q_organisation": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'value="Anna Beispiel"' in html and 'value="kein-mail"' in html
    assert "Bitte Einwilligung" in html or "Einwilligung" in html
    assert Registration.objects.count() == 0

    response = post(client, event, q_organisation="Stadt Hannover")
    assert response.status_code == 302
    assert Registration.objects.get().answers == {"organisation": "Stadt Hannover"}
    assert Registration.objects.get().consent["accepted"] is True


def test_honeypot_blocks_and_keeps_the_input(client, series, sent_mail):
    event = make_event(series)
    response = post(client, event, homepage_url="http://spam.example")
    assert response.status_code == 200
    assert 'value="person0@example.org"' in response.content.decode()
    assert Registration.objects.count() == 0 and sent_mail == []


def test_same_address_cannot_take_two_places(client, series):
    event = make_event(series)
    assert post(client, event, 1).status_code == 302
    response = post(client, event, 2, email="PERSON1@example.org")
    assert response.status_code == 200
    assert "bereits" in response.content.decode()
    assert Registration.objects.count() == 1


def test_join_link_never_on_the_public_page_or_public_calendar(client, series, sent_mail):
    event = make_event(series)
    assert JOIN_URL not in client.get(event.url).content.decode()
    assert JOIN_URL not in client.get(f"{event.url}ical/").content.decode()
    assert JOIN_URL not in client.get(f"{series.url}ical/").content.decode()
    post(client, event)
    [confirmation] = sent_mail
    [vevent] = attached_calendar(confirmation).walk("VEVENT")
    assert JOIN_URL in str(vevent["DESCRIPTION"]) and JOIN_URL in str(vevent["LOCATION"])
    assert vevent.decoded("DTSTART") == event.start.replace(microsecond=0)
    # Same RFC 5545 data as the public download, apart from the private join link.
    [public] = Calendar.from_ical(client.get(f"{event.url}ical/").content).walk("VEVENT")
    assert public["UID"] == vevent["UID"] and public["SUMMARY"] == vevent["SUMMARY"]
    # The status page after registering does not show it either.
    status_page = client.get(post(client, event, 5).url).content.decode()
    assert JOIN_URL not in status_page


def test_search_engines_see_the_offer_but_not_the_join_link(client, series):
    event = make_event(series)
    html = client.get(event.url).content.decode()
    assert "schema.org/InStock" in html
    assert JOIN_URL not in html


def test_pages_with_registration_are_never_cached(client, series):
    closed = make_event(series, registration_deadline=timezone.now() - datetime.timedelta(hours=1))
    assert "private" in client.get(closed.url)["Cache-Control"]
    assert "max-age" in client.get(f"{closed.url}ical/")["Cache-Control"]  # the public calendar may be
    plain = make_event(series, slug="ohne", registration_enabled=False, registration_capacity=None)
    assert "private" not in client.get(plain.url).get("Cache-Control", "")


def test_without_registration_the_join_link_stays_public(client, series):
    event = make_event(series, registration_enabled=False, registration_capacity=None)
    assert JOIN_URL in client.get(event.url).content.decode()


# Double opt-in


def test_double_opt_in_confirms_the_address_before_the_place_counts(client, series, sent_mail):
    event = make_event(series, registration_double_opt_in=True, registration_capacity=1)
    status_url = post(client, event, 1).url
    registration = Registration.objects.get()
    assert registration.display_status == "unconfirmed" and registration.has_place
    [opt_in] = sent_mail
    assert JOIN_URL not in opt_in.body and not opt_in.attachments
    assert "bestätigen" in client.get(status_url).content.decode()
    # The held place: the next person waits.
    post(client, event, 2)
    assert Registration.objects.get(email="person2@example.org").status == "waiting"

    [confirm_url] = links(opt_in, "confirm")
    path = path_of(confirm_url)
    client.get(path)  # opening the link (or a mail scanner) confirms nothing
    registration.refresh_from_db()
    assert not registration.email_confirmed
    sent_mail.clear()
    response = client.post(path)
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.display_status == "confirmed"
    [confirmation] = sent_mail
    assert JOIN_URL in confirmation.body
    assert JOIN_URL in attached_calendar(confirmation).walk("VEVENT")[0]["DESCRIPTION"]


def test_unconfirmed_place_is_released_to_the_waiting_list(client, series, sent_mail, settings):
    from django.core.management import call_command

    settings.REGISTRATIONS_CONFIRM_HOURS = 48
    event = make_event(series, registration_double_opt_in=True, registration_capacity=1)
    earlier = timezone.now() - datetime.timedelta(hours=49)
    services.register(event, name="Zu spät", email="late@example.org", now=earlier)
    waiting = services.register(event, name="Wartend", email="wait@example.org")
    services.confirm_email(waiting)
    assert Registration.objects.get(pk=waiting.pk).status == "waiting"
    sent_mail.clear()

    call_command("release_unconfirmed_registrations", stdout=open("/dev/null", "w"))  # noqa: SIM115

    late = Registration.objects.get(email="late@example.org")
    assert late.status == "cancelled" and late.cancel_reason == "unconfirmed"
    assert Registration.objects.get(pk=waiting.pk).display_status == "confirmed"
    assert [m.to for m in sent_mail] == [["wait@example.org"]]
    assert JOIN_URL in sent_mail[0].body


# Links


def test_links_are_signed_and_single_purpose(series):
    event = make_event(series)
    registration = services.register(event, name="Anna", email="anna@example.org")
    cancel_token = make_token(registration, Purpose.CANCEL)
    confirm_token = make_token(registration, Purpose.CONFIRM)
    assert read_token(cancel_token, Purpose.CANCEL) == registration
    assert read_token(cancel_token, Purpose.CONFIRM) is None
    assert read_token(cancel_token, Purpose.STATUS) is None
    assert read_token(confirm_token, Purpose.CANCEL) is None
    assert re.fullmatch(r"[-\w]+", cancel_token)  # routable by Wagtail
    signed = base64.urlsafe_b64decode(cancel_token + "=" * (-len(cancel_token) % 4)).decode()
    assert signing.loads(signed, salt="vsop.registrations.cancel") == {"r": str(registration.public_id), "p": "cancel"}
    # Another registration's id under the same signature is refused.
    _payload, timestamp, signature = signed.split(":")
    other = signing.dumps({"r": "00000000-0000-0000-0000-000000000000", "p": "cancel"}).split(":")[0]
    forged = base64.urlsafe_b64encode(f"{other}:{timestamp}:{signature}".encode()).decode()
    assert read_token(forged, Purpose.CANCEL) is None
    assert read_token("nonsense", Purpose.CANCEL) is None
    # A payload naming another purpose, even signed with the cancel salt, is refused.
    wrong = signing.dumps({"r": str(registration.public_id), "p": "confirm"}, salt="vsop.registrations.cancel")
    assert read_token(base64.urlsafe_b64encode(wrong.encode()).decode(), Purpose.CANCEL) is None


def test_cancel_link_of_one_event_does_nothing_on_another(client, series):
    event = make_event(series)
    other = make_event(series, slug="anderes", title="Anderes")
    registration = services.register(event, name="Anna", email="anna@example.org")
    token = make_token(registration, Purpose.CANCEL)
    assert client.post(f"{other.url}cancel/{token}/").status_code == 404
    assert client.post(f"{event.url}confirm/{token}/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == "registered"


def test_cancel_frees_the_place_and_moves_the_first_waiting_person_up(series, sent_mail):
    event = make_event(series, registration_capacity=2)
    first, second = (services.register(event, **person(n)) for n in (1, 2))
    waiting = [services.register(event, **person(n)) for n in (3, 4)]
    assert [r.status for r in waiting] == ["waiting", "waiting"]
    assert services.waiting_position(waiting[1]) == 2
    sent_mail.clear()
    promoted = services.cancel(first)
    assert promoted == [waiting[0]]
    assert Registration.objects.get(pk=waiting[0].pk).status == "registered"
    assert Registration.objects.get(pk=waiting[1].pk).status == "waiting"
    assert services.waiting_position(Registration.objects.get(pk=waiting[1].pk)) == 1
    assert sorted(m.to[0] for m in sent_mail) == ["person1@example.org", "person3@example.org"]
    assert services.cancel(first) == []  # twice changes nothing


# States on the page, in both languages


@pytest.mark.parametrize(
    ("settings_", "taken", "german", "english"),
    [
        ({"registration_capacity": 20}, 0, "20 Plätze frei", "20 places left"),
        ({"registration_capacity": 20}, 18, "2 Plätze frei", "2 places left"),
        ({"registration_capacity": 2}, 2, "ausgebucht – Warteliste", "Fully booked – waiting list"),
        ({"registration_capacity": 2, "registration_waiting_list": False}, 2, "ausgebucht", "Fully booked"),
        ({"registration_deadline_days": -1}, 0, "Anmeldung geschlossen", "Registration closed"),
        ({"registration_capacity": None}, 0, "Anmeldung offen", "Registration open"),
    ],
)
def test_capacity_and_deadline_states_on_the_page(client, series, settings_, taken, german, english):
    from django.utils import translation

    settings_ = dict(settings_)
    if "registration_deadline_days" in settings_:
        settings_["registration_deadline"] = timezone.now() + datetime.timedelta(
            days=settings_.pop("registration_deadline_days")
        )
    event = make_event(series, **settings_)
    for n in range(taken):
        services.register(event, **person(n))
    html = client.get(event.url).content.decode()
    assert german in html
    state = availability(event)
    with translation.override("en"):
        assert state.label == english
    form_shown = 'action="' + event.url + 'register/"' in html
    assert form_shown == state.accepts_registrations
    assert state.accepts_registrations == (german not in ("ausgebucht", "Anmeldung geschlossen"))


def test_full_event_without_waiting_list_refuses(series):
    event = make_event(series, registration_capacity=1, registration_waiting_list=False)
    services.register(event, **person(1))
    with pytest.raises(services.RegistrationRefused) as refused:
        services.register(event, **person(2))
    assert refused.value.availability.state == State.FULL


def test_translations_share_the_places(series, locale_en):
    event = make_event(series, registration_capacity=1)
    english = event.copy_for_translation(locale_en, copy_parents=True)
    english.save_revision().publish()
    english = type(event).objects.get(pk=english.pk)
    services.register(event, **person(1))
    registration = services.register(english, **person(2), language="en")
    assert registration.status == "waiting"
    assert availability(english).state == State.WAITING_LIST


def test_english_registration_gets_english_pages_and_mails(client, series, locale_en, sent_mail):
    event = make_event(series, registration_capacity=1)
    english = event.copy_for_translation(locale_en, copy_parents=True)
    english.title = "Online expert talk"
    english.save_revision().publish()
    english = type(event).objects.get(pk=english.pk)
    html = client.get(english.url).content.decode()
    assert "1 place left" in html and "Register" in html
    response = post(client, english, 1)
    assert response.status_code == 302 and response.url.startswith("/en/")
    assert "Your place is confirmed" in client.get(response.url).content.decode()
    [confirmation] = sent_mail
    assert confirmation.subject == "Registration confirmed: Online expert talk"
    assert "/en/" in links(confirmation, "cancel")[0]
    assert Registration.objects.get().language == "en"


def test_series_page_lists_places_left(client, series):
    events = [make_event(series, slug=f"termin-{n}", title=f"Termin {n}", registration_capacity=5) for n in range(3)]
    for n in range(2):
        services.register(events[0], **person(n))
    html = client.get(series.url).content.decode()
    assert "3 Plätze frei" in html and html.count("5 Plätze frei") == 2
    # The count is one subquery, not one query per event.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(series.url)
    for n in range(5):
        event = make_event(series, slug=f"mehr-{n}", registration_capacity=5)
        services.register(event, **person(n))
    client.get(series.url)  # warm the caches a publish clears
    with CaptureQueriesContext(connection) as many:
        assert client.get(series.url).content.decode().count("4 Plätze frei") == 5
    assert len(many) == len(few)


# Reminders, retention


def test_reminder_is_sent_once_with_the_join_link(series, sent_mail, settings):
    from django.core.management import call_command

    settings.REGISTRATIONS_REMINDER_HOURS = 24
    soon = make_event(series, start=timezone.now() + datetime.timedelta(hours=20))
    later = make_event(series, slug="spaeter", start=timezone.now() + datetime.timedelta(days=5))
    services.register(soon, **person(1))
    services.register(later, **person(2))
    cancelled = services.register(soon, **person(3))
    services.cancel(cancelled)
    sent_mail.clear()
    call_command("send_event_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("send_event_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    [reminder] = sent_mail
    assert reminder.to == ["person1@example.org"]
    assert JOIN_URL in reminder.body and links(reminder, "cancel")


def test_registrations_are_deleted_90_days_after_the_event(series):
    from django.core.management import call_command

    old = make_event(series, slug="alt", start=timezone.now() + datetime.timedelta(days=1))
    recent = make_event(series, slug="neu", start=timezone.now() + datetime.timedelta(days=1))
    services.register(old, **person(1))
    services.register(recent, **person(2))
    old.start = timezone.now() - datetime.timedelta(days=92)
    old.end = old.start + datetime.timedelta(hours=2)
    old.save()
    recent.start = timezone.now() - datetime.timedelta(days=80)
    recent.end = None
    recent.save()
    call_command("purge_event_registrations", "--dry-run", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Registration.objects.count() == 2
    call_command("purge_event_registrations", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(Registration.objects.values_list("email", flat=True)) == ["person2@example.org"]
