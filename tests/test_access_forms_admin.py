"""Forms admin for editors: the CSV export (BOM, local time), view restrictions mirrored to translations."""

import csv
import datetime
import io
import zoneinfo

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import PageViewRestriction

import pytest

from forms.models import FormSubmission
from tests.factories import FormFieldFactory, FormPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact_form(home_page):
    page = FormPageFactory(parent=home_page, title="Kontakt", slug="kontakt", to_address="team@example.org")
    FormFieldFactory(page=page, label="Name", field_type="singleline")
    return page


def test_csv_export_has_a_bom_and_local_time_to_the_second(admin_client, contact_form):
    submission = FormSubmission.objects.create(page=contact_form, form_data={"name": "Jürgen Größe"})
    utc = datetime.datetime(2026, 7, 1, 10, 15, 30, 123456, tzinfo=datetime.UTC)
    FormSubmission.objects.filter(pk=submission.pk).update(submit_time=utc)

    response = admin_client.get(reverse("wagtailforms:list_submissions", args=[contact_form.pk]) + "?export=csv")

    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    assert "charset=utf-8" in response["Content-Type"]
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert "Jürgen Größe" in rows[1]
    berlin = utc.astimezone(zoneinfo.ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%d %H:%M:%S")
    assert berlin == "2026-07-01 12:15:30"
    assert berlin in rows[1]


def test_xlsx_export_has_local_time_too(admin_client, contact_form):
    import openpyxl

    submission = FormSubmission.objects.create(page=contact_form, form_data={"name": "Anna"})
    utc = datetime.datetime(2026, 1, 10, 9, 0, 5, 999, tzinfo=datetime.UTC)
    FormSubmission.objects.filter(pk=submission.pk).update(submit_time=utc)
    response = admin_client.get(reverse("wagtailforms:list_submissions", args=[contact_form.pk]) + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [cell.value for cell in list(sheet.rows)[1]]
    assert datetime.datetime(2026, 1, 10, 10, 0, 5) in values


# View restrictions follow the German page into its translations


@pytest.fixture
def pages(home_page, locale_en, django_capture_on_commit_callbacks):
    german = StandardPageFactory(parent=home_page, title="Intern", slug="intern")
    english_home = home_page.copy_for_translation(locale_en)
    english_home.save_revision().publish()
    english = german.copy_for_translation(locale_en)
    return german, english


def restriction(page):
    return PageViewRestriction.objects.filter(page=page).first()


def test_a_password_on_the_german_page_protects_the_english_one(pages, django_capture_on_commit_callbacks):
    german, english = pages
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=german, restriction_type="password", password="geheim")
    mirrored = restriction(english)
    assert (mirrored.restriction_type, mirrored.password) == ("password", "geheim")

    with django_capture_on_commit_callbacks(execute=True):
        german_restriction = restriction(german)
        german_restriction.password = "neu"
        german_restriction.save()
    assert restriction(english).password == "neu"

    with django_capture_on_commit_callbacks(execute=True):
        restriction(german).delete()
    assert restriction(english) is None


def test_group_and_login_restrictions_are_mirrored(pages, django_capture_on_commit_callbacks):
    german, english = pages
    group = Group.objects.create(name="Mitglieder")
    with django_capture_on_commit_callbacks(execute=True):
        german_restriction = PageViewRestriction.objects.create(page=german, restriction_type="groups")
        german_restriction.groups.add(group)
    assert list(restriction(english).groups.all()) == [group]
    with django_capture_on_commit_callbacks(execute=True):
        german_restriction.restriction_type = "login"
        german_restriction.save()
    assert restriction(english).restriction_type == "login"


def test_the_english_page_answers_with_the_password_form(client, pages, django_capture_on_commit_callbacks):
    german, english = pages
    english.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=german, restriction_type="password", password="geheim")
    english.refresh_from_db()
    response = client.get(english.url)
    assert response.status_code == 200
    assert english.title not in response.content.decode() or "password" in response.content.decode().lower()
    assert 'name="password"' in response.content.decode()


def test_a_new_translation_starts_restricted(home_page, locale_en, django_capture_on_commit_callbacks):
    german = StandardPageFactory(parent=home_page, title="Intern", slug="intern")
    PageViewRestriction.objects.create(page=german, restriction_type="login")
    english_home = home_page.copy_for_translation(locale_en)
    with django_capture_on_commit_callbacks(execute=True):
        english = german.copy_for_translation(locale_en)
    assert restriction(english).restriction_type == "login"
    assert english_home is not None


# Translating a page translates the forms it shows


def test_translating_a_page_starts_drafts_of_its_embedded_forms(
    admin_client, home_page, locale_en, django_capture_on_commit_callbacks
):
    english_home = home_page.copy_for_translation(locale_en)
    english_home.save_revision().publish()
    form = FormPageFactory(parent=home_page, title="Anmeldung", slug="anmeldung")
    page = StandardPageFactory(
        parent=home_page, title="Tagung", slug="tagung", body=[("form", {"form_page": form, "display": "embed"})]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtail_localize:submit_page_translation", args=[page.pk]), {"locales": [locale_en.pk]}
        )
    assert response.status_code == 302
    english_form = form.get_translations().get(locale=locale_en)
    assert not english_form.live  # a draft until a translator publishes it
    assert page.get_translations().get(locale=locale_en).specific.body[0].value["form_page"].pk == form.pk
    # The English page's block shows the English form once it is live (until then Wagtail's
    # .localized falls back to the live German form).
    from forms.blocks import FormBlock

    english_page = page.get_translations().get(locale=locale_en).specific
    block = english_page.body[0]
    from django.utils import translation as django_translation

    with django_translation.override("en"):
        assert FormBlock().get_context(block.value)["form_page"].pk == form.pk
        english_form.save_revision().publish()
        fresh = english_page.__class__.objects.get(pk=english_page.pk).body[0]
        assert FormBlock().get_context(fresh.value)["form_page"].pk == english_form.pk


# The consent field type never repeats the built-in consent


def consent_field(label):
    return {
        "label": label,
        "field_type": "consent",
        "help_text": "",
        "choices": "",
        "default_value": "",
        "placeholder": "",
        "autocomplete": "",
    }


@pytest.mark.parametrize("label", ["Ich bin einverstanden.", "  ich bin   EINVERSTANDEN "])
def test_a_second_copy_of_the_built_in_consent_is_refused_in_german(admin_client, home_page, label):
    from tests.test_forms_admin import form_page_post_data

    url = reverse("wagtailadmin_pages:add", args=["forms", "formpage", home_page.pk])
    response = admin_client.post(url, form_page_post_data([consent_field(label)]))
    assert response.status_code == 200
    assert not home_page.get_children().filter(slug="neues-formular").exists()
    assert "Jedes Formular fragt diese Einwilligung bereits ab" in response.content.decode()


def test_a_further_different_consent_is_accepted(admin_client, home_page):
    from tests.test_forms_admin import form_page_post_data

    url = reverse("wagtailadmin_pages:add", args=["forms", "formpage", home_page.pk])
    response = admin_client.post(url, form_page_post_data([consent_field("Ich möchte den Newsletter.")]))
    assert response.status_code == 302
