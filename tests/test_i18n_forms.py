"""Form pages in two languages: translated labels and choices, one set of columns for both.

Each form field's ``clean_name`` is a non-overridable synchronised field, so the English
form posts and stores under the German field names (wagtail-localize #395, Wagtail #6254).
"""

from wagtail.models import Locale

import pytest

from forms.models import FormPage

pytestmark = pytest.mark.django_db

GERMAN_URL = "/de/fachgruppen/alter-und-pflege/mitmachen-oder-nachfragen/"
ENGLISH_URL = "/en/working-groups/ageing-and-care/join-or-ask/"
GERMAN_CHOICES = ["Ich möchte in der Fachgruppe mitmachen", "Ich melde mich zum nächsten Treffen an"]
ENGLISH_CHOICES = [
    "I would like to join the working group",
    "I would like to come to the next meeting",
    "I have a question",
]


@pytest.fixture
def forms(vsop_content):
    german = FormPage.objects.get(url_path__endswith="/mitmachen-oder-nachfragen/")
    english = german.get_translation(Locale.objects.get(language_code="en"))
    return german, english


def submit(client, url, concern, message):
    data = {
        "name": "Alex Beispiel",
        "organisation": "Landkreis Beispiel",
        "e_mail": "alex@example.org",
        "ihr_anliegen": concern,
        "nachricht": message,
        "privacy_consent": "on",
    }
    response = client.post(url, data, follow=True)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def test_english_form_shows_english_labels_and_choices(forms, client):
    html = client.get(ENGLISH_URL).content.decode()
    for choice in ENGLISH_CHOICES:
        assert choice in html
    for label in ("Your request", "Message", "For example your municipality or county."):
        assert label in html
    for german in [*GERMAN_CHOICES, "Ihr Anliegen", "Nachricht"]:
        assert german not in html
    assert "Privacy notice: your data will be used solely for this request." in html
    german_html = client.get(GERMAN_URL).content.decode()
    assert all(choice in german_html for choice in GERMAN_CHOICES)


def test_form_fields_are_translations_sharing_clean_names(forms):
    german, english = forms
    german_fields = list(german.form_fields.all())
    english_fields = list(english.form_fields.all())
    assert [f.clean_name for f in english_fields] == [f.clean_name for f in german_fields]
    assert [f.translation_key for f in english_fields] == [f.translation_key for f in german_fields]
    assert {f.locale.language_code for f in english_fields} == {"en"}
    assert [f.label for f in english_fields] != [f.label for f in german_fields]
    assert [name for name, _label in english.get_data_fields()] == [name for name, _label in german.get_data_fields()]


def test_english_submission_lands_in_the_same_columns_as_a_german_one(forms, client, mailoutbox):
    german, english = forms
    submit(client, GERMAN_URL, GERMAN_CHOICES[1], "Ich komme gern.")
    submit(client, ENGLISH_URL, ENGLISH_CHOICES[1], "Happy to come.")
    german_data = german.get_submission_class().objects.get(page=german).get_data()
    english_data = english.get_submission_class().objects.get(page=english).get_data()
    columns = [name for name, _label in german.get_data_fields()]
    assert set(german_data) - {"submit_time"} <= set(columns)
    assert set(english_data) == set(german_data)
    assert german_data["ihr_anliegen"] == GERMAN_CHOICES[1]
    assert english_data["ihr_anliegen"] == ENGLISH_CHOICES[1]
    assert english_data["nachricht"] == "Happy to come."


def test_english_form_refuses_a_german_choice(forms, client):
    response = client.post(
        ENGLISH_URL,
        {
            "name": "Alex",
            "e_mail": "alex@example.org",
            "ihr_anliegen": GERMAN_CHOICES[0],
            "privacy_consent": "on",
        },
    )
    assert response.status_code == 200
    _german, english = forms
    assert not english.get_submission_class().objects.filter(page=english).exists()
