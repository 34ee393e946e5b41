"""django-axes: wrong admin passwords lock the user name for that address, and say until when."""

import datetime

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone, translation

import axes.attempts
import axes.handlers.proxy
import pytest
from axes.models import AccessAttempt

PASSWORD = "correct horse battery staple"
FROZEN_NOW = datetime.datetime(2026, 3, 2, 13, 40, tzinfo=datetime.UTC)  # 14:40 in Berlin


@pytest.fixture
def editor(db, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    return get_user_model().objects.create_user("redaktion", "redaktion@example.org", PASSWORD, is_superuser=True)


def freeze(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)
    for module in (axes.attempts, axes.handlers.proxy):  # they import it by name
        monkeypatch.setattr(module, "now", lambda: moment)


@pytest.fixture
def frozen_now(monkeypatch):
    freeze(monkeypatch, FROZEN_NOW)
    return FROZEN_NOW


def attempt(client, password, address="203.0.113.5", username="redaktion", language="de", **extra):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE=language,
        **extra,
    )


def test_five_wrong_passwords_lock_the_user_from_that_address(editor, frozen_now):
    client = Client()
    statuses = [attempt(client, "wrong").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 200]  # the login form again, with its error
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    # Now even the right password is refused until the cool-off is over.
    assert attempt(client, PASSWORD).status_code == 429
    assert AccessAttempt.objects.filter(username="redaktion", ip_address="203.0.113.5").exists()


def test_the_message_says_when_to_try_again_in_german(editor, frozen_now):
    client = Client()
    for _ in range(5):
        response = attempt(client, "wrong")
    html = response.content.decode()
    assert "Anmeldung vorübergehend gesperrt" in html
    assert "bis 14:55" in html  # 13:40 UTC + 15 minutes, in Berlin time
    assert "in 15 Minuten" in html
    assert "5-mal" in html


def test_the_message_in_english(editor, frozen_now):
    client = Client()
    for _ in range(5):
        response = attempt(client, "wrong", language="en")
    html = response.content.decode()
    assert "Sign-in temporarily locked" in html
    assert "locked until 14:55 (in 15 minutes)" in html


def test_the_lock_is_per_user_and_address(editor, frozen_now):
    client = Client()
    for _ in range(5):
        attempt(client, "wrong")
    # The same user from another address, and another user name from this one, still get in/try.
    assert attempt(Client(), PASSWORD, address="198.51.100.9").status_code == 302
    assert attempt(Client(), "wrong", username="someone-else").status_code == 200


def test_the_lock_ends_after_the_cool_off(editor, frozen_now, monkeypatch):
    client = Client()
    for _ in range(5):
        attempt(client, "wrong")
    freeze(monkeypatch, frozen_now + datetime.timedelta(minutes=16))
    assert attempt(client, PASSWORD).status_code == 302


def test_addresses_come_through_trusted_proxies_only(editor, frozen_now):
    client = Client()
    # Behind the trusted proxy, each forwarded visitor address is counted separately ...
    for number in range(5):
        assert (
            attempt(client, "wrong", address="127.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}").status_code == 200
        )
    # ... and a visitor reaching gunicorn directly cannot dodge the lock with a forged header.
    for number in range(4):
        attempt(client, "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    assert attempt(client, "wrong", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_the_lockout_page_language_is_german_by_default(editor, frozen_now):
    with translation.override("de"):
        client = Client()
        for _ in range(5):
            response = attempt(client, "wrong", language="")
    assert 'lang="de"' in response.content.decode()


def test_sign_in_without_a_request_is_not_blocked(editor):
    """Django's test client and scripts authenticate without a request: axes has no address to lock."""
    assert Client().login(username="redaktion", password=PASSWORD)
    assert not Client().login(username="redaktion", password="wrong")
