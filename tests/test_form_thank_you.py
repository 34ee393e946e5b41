"""POST → redirect → thank-you address: reloading never posts again; the title says when there are errors."""

import pytest

from forms.models import FormPage, FormSubmission

pytestmark = pytest.mark.django_db


def valid_data(page):
    data = {"privacy_consent": "on"}
    for field in page.form_fields.all():
        data[field.clean_name] = "erika@example.org" if field.field_type == "email" else "Erika Beispiel"
    return data


def test_a_submission_redirects_to_a_thank_you_address_that_reloads_without_posting(client, vsop_content):
    page = FormPage.objects.get(slug="kontakt")
    response = client.post(page.url, valid_data(page))
    assert response.status_code == 303
    thank_you = response["Location"]
    assert thank_you.startswith(page.url + "?sent=")
    assert FormSubmission.objects.filter(page=page).count() == 1
    for _reload in range(2):
        landing = client.get(thank_you)
        assert landing.status_code == 200
        assert "Vielen Dank" in landing.content.decode() or "Danke" in landing.content.decode()
        assert "private" in landing["Cache-Control"] and "noindex" in landing["X-Robots-Tag"]
    assert FormSubmission.objects.filter(page=page).count() == 1
    # A forged or foreign token shows the form again.
    other = FormPage.objects.exclude(pk=page.pk).first()
    assert client.get(f"{other.url}?sent={thank_you.split('sent=')[1]}")["Location"] == other.url
    assert client.get(f"{page.url}?sent=forged").status_code == 302


def test_the_title_starts_with_error_when_the_form_shows_errors(client, vsop_content):
    for slug, prefix in (("kontakt", "<title>Fehler: Kontakt"), ("contact", "<title>Error: Contact")):
        page = FormPage.objects.get(slug=slug)
        html = client.post(page.url, {}).content.decode()
        assert prefix in html
        assert "<title>Fehler" not in client.get(page.url).content.decode()
