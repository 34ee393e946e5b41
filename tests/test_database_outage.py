"""PostgreSQL away: a styled 503 with Retry-After in the visitor's language, made without the database."""

from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

import pytest

from forms.models import FormPage, FormSubmission
from tests.test_forms import valid_data

client = Client(raise_request_exception=False)


@pytest.fixture
def database_down(monkeypatch):
    """Every attempt to use the database fails as it does when PostgreSQL is stopped."""
    calls = []

    def refuse(self):
        calls.append(self.alias)
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    return calls


def test_a_page_answers_503_in_german_without_the_database(database_down):
    response = client.get("/de/themen/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "Vorübergehend nicht erreichbar" in html
    assert "Bitte versuchen Sie es in 30 Sekunden erneut." in html
    assert "/static/css/site.css" in html  # styled like the site
    assert database_down  # the database was really tried, and failed


def test_the_language_follows_the_url_prefix(database_down):
    html = client.get("/en/topics/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="en">' in html
    assert "Temporarily unavailable" in html


def test_without_a_prefix_accept_language_decides(database_down, settings):
    settings.DATABASE_UNAVAILABLE_RETRY_AFTER = 60
    response = client.get("/sitemap.xml", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Please try again in 60 seconds." in response.content.decode()


def test_the_admin_login_gets_the_503_too(database_down):
    response = client.post("/admin/login/", {"username": "a", "password": "b"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 503


def test_a_form_post_that_could_not_be_stored_says_so(database_down):
    response = client.post("/de/kontakt/", {"name": "Erika", "nachricht": "Hallo"})
    assert response.status_code == 503
    html = response.content.decode()
    assert "Ihre Angaben wurden nicht gesendet" in html
    assert "Ihr Formular ist NICHT angekommen" in html
    assert "Ihre Eingaben bleiben in diesem Browser-Tab erhalten" in html


@pytest.mark.django_db
def test_a_form_post_failing_on_the_database_in_the_view_gets_the_503(vsop_content, monkeypatch):
    """The database fails while the submission is stored (PostgreSQL stopped mid-request)."""
    page = FormPage.objects.get(title="Kontakt", locale__language_code="de")

    def fail(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(FormPage, "process_form_submission", fail)
    response = client.post(page.url, valid_data(page), REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 503
    assert "Ihre Angaben wurden nicht gesendet" in response.content.decode()
    assert not FormSubmission.objects.exists()


def test_the_form_page_carries_what_restores_typed_text(vsop_content):
    page = FormPage.objects.get(title="Kontakt", locale__language_code="de")
    html = Client().get(page.url).content.decode()
    assert f'data-form-key="{page.url}"' in html
    assert "/static/forms/form.js" in html
