"""Forms as editors and operators use them: submissions, export, resending, data-subject requests, purge."""

import csv
import datetime
import io

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import openpyxl
import pytest

from forms.models import FormSubmission, MailStatus
from forms.views import XLSX_CUT_MARK
from tests.factories import FormFieldFactory, FormPageFactory
from tests.test_forms import send_queued_mail

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
HOSTILE_NAME = f"{SCRIPT} مرحبا 👩🏽‍💻"
HOSTILE_TEXT = (SCRIPT + " שלום 🎉 \ufffd ") * 3000


@pytest.fixture
def contact_form(home_page):
    page = FormPageFactory(parent=home_page, title="Kontakt", slug="kontakt", to_address="team@example.org")
    FormFieldFactory(page=page, label="Name", field_type="singleline")
    FormFieldFactory(page=page, label="E-Mail", field_type="email")
    FormFieldFactory(page=page, label="Nachricht", field_type="multiline")
    return page


def make_submission(page, age=datetime.timedelta(0), now=None, **data):
    submission = FormSubmission.objects.create(
        page=page,
        form_data={"name": "Erika", "e_mail": "erika@example.org", "nachricht": "Hallo", **data},
        notification_status=MailStatus.SENT,
        confirmation_status=MailStatus.NOT_REQUIRED,
    )
    FormSubmission.objects.filter(pk=submission.pk).update(submit_time=(now or timezone.now()) - age)
    submission.refresh_from_db()
    return submission


# Listing and export


def heading(page, name):
    """The column heading of a data field, as the German admin shows it."""
    with translation.override("de"):
        return str(dict(page.get_data_fields())[name])


def heading_value(text):
    with translation.override("de"):
        return gettext(str(text)) if isinstance(text, str) else str(text)


def test_admin_listing_shows_hostile_input_escaped(admin_client, contact_form):
    make_submission(contact_form, name=HOSTILE_NAME, nachricht=HOSTILE_TEXT)
    response = admin_client.get(reverse("wagtailforms:list_submissions", args=[contact_form.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; مرحبا 👩🏽‍💻" in html
    assert len(html) < len(HOSTILE_TEXT)  # long texts are shortened in the listing, kept whole in the export


def test_csv_export_holds_the_input_as_written_and_defuses_formulas(admin_client, contact_form):
    make_submission(contact_form, name=HOSTILE_NAME, nachricht=HOSTILE_TEXT)
    make_submission(contact_form, name='=HYPERLINK("https://evil.example","klick")', nachricht="+1+1")
    response = admin_client.get(reverse("wagtailforms:list_submissions", args=[contact_form.pk]) + "?export=csv")

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["Name"] for row in rows] == [HOSTILE_NAME, '\'=HYPERLINK("https://evil.example","klick")']
    assert rows[0]["Nachricht"] == HOSTILE_TEXT
    assert rows[1]["Nachricht"] == "'+1+1"
    assert rows[0][heading(contact_form, "notification_status")] == heading_value(MailStatus.SENT.label)


def test_xlsx_export_holds_the_input_as_written(admin_client, contact_form):
    make_submission(contact_form, name=HOSTILE_NAME, nachricht=HOSTILE_TEXT + "\x01")
    response = admin_client.get(reverse("wagtailforms:list_submissions", args=[contact_form.pk]) + "?export=xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = (list(values) for values in sheet.iter_rows(values_only=True))
    assert row[header.index("Name")] == HOSTILE_NAME
    # XLSX cells hold at most 32,767 characters (the CSV export holds any length): a longer
    # text is cut with a visible mark; a control character no cell can hold is replaced.
    assert row[header.index("Nachricht")] == HOSTILE_TEXT[: 32767 - len(XLSX_CUT_MARK)] + XLSX_CUT_MARK
    assert len(HOSTILE_NAME) < 100


def test_xlsx_export_replaces_control_characters(admin_client, contact_form):
    make_submission(contact_form, nachricht="Zeile\x01\x0bEnde\tTab\nZeile")
    response = admin_client.get(reverse("wagtailforms:list_submissions", args=[contact_form.pk]) + "?export=xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = (list(values) for values in sheet.iter_rows(values_only=True))
    assert row[header.index("Nachricht")] == "Zeile\ufffd\ufffdEnde\tTab\nZeile"


def test_export_spells_out_consent_and_mail_outcome(admin_client, contact_form):
    consent = {"accepted": True, "text": "Ich bin einverstanden.", "time": "2026-01-02T10:00:00+00:00"}
    make_submission(contact_form, privacy_consent=consent)
    response = admin_client.get(reverse("wagtailforms:list_submissions", args=[contact_form.pk]) + "?export=csv")

    (row,) = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    assert (
        row[heading(contact_form, "privacy_consent")]
        == f"{heading_value('yes')} (02.01.2026 11:00): „Ich bin einverstanden.“"
    )


# Failed e-mails: visible and resendable


def test_failed_mails_are_shown_to_editors_and_can_be_resent(admin_client, contact_form, settings):
    settings.EMAIL_BACKEND = "tests.test_forms.BrokenMailBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 1
    client_response = admin_client.post(
        contact_form.url,
        {"name": "Erika", "e_mail": "erika@example.org", "nachricht": "Hallo", "privacy_consent": "on"},
    )
    assert client_response.status_code == 303  # on to the thank-you address
    send_queued_mail()
    submission = FormSubmission.objects.get()
    assert submission.notification_status == MailStatus.FAILED

    dashboard = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("vsop_forms:resend", args=[contact_form.pk]) in dashboard
    listing = admin_client.get(reverse("wagtailforms:list_submissions", args=[contact_form.pk])).content.decode()
    assert reverse("vsop_forms:resend", args=[contact_form.pk]) in listing
    confirm = admin_client.get(reverse("vsop_forms:resend", args=[contact_form.pk])).content.decode()
    assert "ConnectionRefusedError" in confirm

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = admin_client.post(reverse("vsop_forms:resend", args=[contact_form.pk]))

    # "Resend" only queues the same message again; the worker sends it.
    assert response.status_code == 302
    assert mail.outbox == []
    submission.refresh_from_db()
    assert submission.notification_status == MailStatus.PENDING
    assert FormSubmission.objects.with_failed_mails().count() == 0
    assert send_queued_mail() == 1
    submission.refresh_from_db()
    assert submission.notification_status == MailStatus.SENT
    assert submission.mail_error == ""
    assert [message.to for message in mail.outbox] == [["team@example.org"]]

    # A second resend (a double click, a second editor) finds nothing to send: never a duplicate.
    admin_client.post(reverse("vsop_forms:resend", args=[contact_form.pk]))
    assert send_queued_mail() == 0
    assert len(mail.outbox) == 1


def test_resend_that_fails_again_keeps_the_error(admin_client, contact_form, settings):
    submission = make_submission(contact_form)
    FormSubmission.objects.filter(pk=submission.pk).update(notification_status=MailStatus.FAILED)
    settings.EMAIL_BACKEND = "tests.test_forms.BrokenMailBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 1

    response = admin_client.post(reverse("vsop_forms:resend", args=[contact_form.pk]))
    send_queued_mail()

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.notification_status == MailStatus.FAILED
    assert ConnectionRefusedError.__name__ in submission.mail_error


def test_editors_without_form_access_cannot_resend_or_search(client, contact_form, django_user_model):
    user = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(user)
    assert client.get(reverse("vsop_forms:resend", args=[contact_form.pk])).status_code in (302, 403)


# Data-subject requests: tests/test_access_personal_data.py


def test_editors_can_delete_single_submissions_with_wagtail(admin_client, contact_form):
    keep, drop = make_submission(contact_form), make_submission(contact_form)
    url = reverse("wagtailforms:delete_submissions", args=[contact_form.pk])
    admin_client.post(f"{url}?selected-submissions={drop.pk}")
    assert list(FormSubmission.objects.all()) == [keep]


# Retention


def test_purge_deletes_exactly_what_is_older_than_the_period(contact_form, home_page):
    contact_form.retention_days = 30
    contact_form.save()
    long_kept = FormPageFactory(parent=home_page, title="Lang", slug="lang")
    assert long_kept.retention_days == 180
    now = timezone.now()
    old = make_submission(contact_form, age=datetime.timedelta(days=30, minutes=1), now=now)
    just_inside = make_submission(contact_form, age=datetime.timedelta(days=29, hours=23), now=now)
    new = make_submission(contact_form, now=now)
    old_long = make_submission(long_kept, age=datetime.timedelta(days=181), now=now)
    young_long = make_submission(long_kept, age=datetime.timedelta(days=100), now=now)

    dry = io.StringIO()
    call_command("purge_form_submissions", "--dry-run", stdout=dry)
    assert f"submission {old.pk} of" in dry.getvalue()
    assert f"submission {old_long.pk} of" in dry.getvalue()
    assert f"submission {new.pk} of" not in dry.getvalue()
    assert "2 submission(s) would be deleted" in dry.getvalue()
    assert FormSubmission.objects.count() == 5

    out = io.StringIO()
    call_command("purge_form_submissions", stdout=out)

    assert set(FormSubmission.objects.values_list("pk", flat=True)) == {just_inside.pk, new.pk, young_long.pk}
    assert "Deleted 2 submission(s)." in out.getvalue()
    assert f"submission {old.pk} of" in out.getvalue()


def test_expired_submissions_boundary(contact_form):
    now = timezone.now()
    contact_form.retention_days = 10
    exactly = make_submission(contact_form, age=datetime.timedelta(days=10), now=now)
    older = make_submission(contact_form, age=datetime.timedelta(days=10, seconds=1), now=now)
    assert list(contact_form.expired_submissions(now)) == [older]
    assert exactly not in contact_form.expired_submissions(now)


# Building forms in the admin


def form_page_post_data(fields, **extra):
    return nested_form_data(
        {
            "title": "Neues Formular",
            "slug": "neues-formular",
            "intro": rich_text(""),
            "thank_you_text": rich_text(""),
            "privacy_notice": "Datenschutz-Hinweis: Ihre Daten werden ausschließlich für diese Anfrage verwendet.",
            "consent_label": "Ich bin einverstanden.",
            "retention_days": 180,
            "to_address": "",
            "from_address": "",
            "subject": "",
            "confirmation_subject": "",
            "confirmation_text": "",
            "form_fields": inline_formset(fields),
            **extra,
        }
    )


def test_editors_build_a_form_with_telephone_and_consent_fields(admin_client, home_page):
    fields = [
        {
            "label": "Telefon",
            "field_type": "tel",
            "required": "on",
            "help_text": "",
            "choices": "",
            "default_value": "",
            "placeholder": "0511 123456",
            "autocomplete": "tel",
        },
        {
            "label": "Ich möchte den Newsletter",
            "field_type": "consent",
            "help_text": "",
            "choices": "",
            "default_value": "",
            "placeholder": "",
            "autocomplete": "",
        },
    ]
    url = reverse("wagtailadmin_pages:add", args=["forms", "formpage", home_page.pk])
    response = admin_client.post(url, form_page_post_data(fields))

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    home_page.refresh_from_db()
    page = home_page.get_children().get(slug="neues-formular").specific
    assert [(f.clean_name, f.field_type, f.locale_id) for f in page.form_fields.all()] == [
        ("telefon", "tel", home_page.locale_id),
        ("ich_mochte_den_newsletter", "consent", home_page.locale_id),
    ]
    assert page.retention_days == 180


def test_a_field_may_not_take_a_name_every_form_uses(admin_client, home_page):
    fields = [
        {
            "label": "Privacy consent",
            "field_type": "singleline",
            "help_text": "",
            "choices": "",
            "default_value": "",
            "placeholder": "",
            "autocomplete": "",
        }
    ]
    url = reverse("wagtailadmin_pages:add", args=["forms", "formpage", home_page.pk])
    response = admin_client.post(url, form_page_post_data(fields))

    assert response.status_code == 200
    assert not home_page.get_children().filter(slug="neues-formular").exists()
    with translation.override("de"):
        expected = gettext("This label is used by every form already; please choose another one.")
    assert expected in response.content.decode()
