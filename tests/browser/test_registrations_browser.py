"""Registering for an event in Chromium: each registration state checked with axe; a cancelled place comes back."""

import datetime
import re

from django.core import mail
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from outbox.delivery import Circuit, deliver_due
from registrations import services
from tests.factories import EventPageFactory, EventSeriesPageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def series(home_page):
    return EventSeriesPageFactory(parent=home_page, title="Programmreihe 2021", slug="programmreihe-2021")


def event(series, slug, **kwargs):
    defaults = {
        "title": f"Fachgespräch {slug}",
        "slug": slug,
        "start": timezone.now() + datetime.timedelta(days=14),
        "join_url": "https://meet.example.org/geheim",
        "registration_enabled": True,
        "registration_capacity": 20,
        "registration_double_opt_in": False,
    }
    defaults.update(kwargs)
    return EventPageFactory(parent=series, **defaults)


def link_in_last_mail(route):
    Circuit.reset()
    deliver_due()  # what the outbox worker does
    return re.search(rf"https?://\S+?(/\S+/{route}/[-\w]+/)", mail.outbox[-1].body).group(1)


def register(page, name, email):
    page.get_by_label("Name").fill(name)
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=re.compile("Anmelden|Auf die Warteliste")).click()


def test_register_cancel_and_the_place_comes_back(live_site, series, page, axe, screenshot, mailoutbox):
    few = event(series, "wenige-plaetze", registration_capacity=3)
    page.goto(f"{live_site.url}{few.url}")
    expect(page.get_by_text("3 Plätze frei")).to_be_visible()
    axe(page, "registration: few places")
    screenshot(page, "registration-01-few-places")

    # Bad input: an error summary, the typed name kept.
    page.get_by_label("Name").fill("Anna Beispiel")
    page.get_by_label("E-Mail-Adresse").fill("keine-adresse")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte korrigieren Sie Folgendes")
    expect(page.get_by_label("Name")).to_have_value("Anna Beispiel")
    axe(page, "registration: errors")

    page.get_by_label("E-Mail-Adresse").fill("anna@example.org")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Platz ist bestätigt")
    assert "meet.example.org" not in page.content()
    axe(page, "registration: after registering (confirmed)")
    screenshot(page, "registration-02-confirmed")

    page.goto(f"{live_site.url}{few.url}")
    expect(page.get_by_text("2 Plätze frei")).to_be_visible()

    page.goto(f"{live_site.url}{link_in_last_mail('cancel')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung stornieren")
    axe(page, "registration: cancel link")
    page.get_by_role("button", name="Ich melde mich ab").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Abmeldung bestätigt")
    axe(page, "registration: cancelled")
    screenshot(page, "registration-03-cancelled")

    page.get_by_role("link", name="Zurück zur Veranstaltung").click()
    expect(page.get_by_text("3 Plätze frei")).to_be_visible()


def test_double_opt_in_states(live_site, series, page, axe, screenshot, mailoutbox):
    opt_in = event(series, "bestaetigen", registration_double_opt_in=True)
    page.goto(f"{live_site.url}{opt_in.url}")
    expect(page.get_by_text("20 Plätze frei")).to_be_visible()
    axe(page, "registration: open")
    register(page, "Bernd Berg", "bernd@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte bestätigen Sie Ihre E-Mail-Adresse")
    axe(page, "registration: e-mail not confirmed yet")
    screenshot(page, "registration-04-unconfirmed")

    page.goto(f"{live_site.url}{link_in_last_mail('confirm')}")
    axe(page, "registration: confirm link")
    page.get_by_role("button", name="Anmeldung bestätigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Platz ist bestätigt")
    axe(page, "registration: confirmed")


def test_full_and_closed_states(live_site, series, page, axe, screenshot, mailoutbox):
    full = event(series, "ausgebucht", registration_capacity=1)
    services.register(full, name="Erste Person", email="erste@example.org")
    page.goto(f"{live_site.url}{full.url}")
    expect(page.get_by_text("ausgebucht – Warteliste")).to_be_visible()
    axe(page, "registration: full with waiting list")
    screenshot(page, "registration-05-waiting-list")
    register(page, "Cem Çelik", "cem@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sie stehen auf der Warteliste")
    axe(page, "registration: on the waiting list")

    closed = event(series, "geschlossen", registration_deadline=timezone.now() - datetime.timedelta(hours=1))
    page.goto(f"{live_site.url}{closed.url}")
    expect(page.get_by_text("Anmeldung geschlossen")).to_be_visible()
    expect(page.get_by_role("button", name="Anmelden")).to_have_count(0)
    axe(page, "registration: closed")
    screenshot(page, "registration-06-closed")

    page.goto(f"{live_site.url}{series.url}")
    expect(page.get_by_text("Anmeldung: ausgebucht – Warteliste")).to_be_visible()
    axe(page, "series page with places")
