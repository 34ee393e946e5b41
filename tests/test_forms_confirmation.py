"""Confirmation mails: the editors' fixed text, after the spam checks, a few per address and day (issue 9)."""

import datetime

from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

import pytest

from forms.emails import take_confirmation_slot
from forms.models import ConfirmationTally, FormSubmission, MailStatus
from forms.spam import HONEYPOT_FIELD
from tests.factories import FormFieldFactory, FormPageFactory
from tests.test_forms import send_queued_mail

pytestmark = pytest.mark.django_db

CONFIRMATION_TEXT = "Danke! Wir melden uns innerhalb einer Woche.\nIhr VSOP-Team"
SPAM = "Billige Uhren: https://spam.example/kaufen <a href='https://spam.example'>hier</a>"


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.FORMS_RATE_LIMIT = 0
    settings.FORMS_CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3
    cache.clear()


@pytest.fixture
def contact_form(home_page):
    page = FormPageFactory(
        parent=home_page,
        title="Kontakt",
        slug="kontakt",
        send_confirmation=True,
        confirmation_subject="Ihre Nachricht an den VSOP",
        confirmation_text=CONFIRMATION_TEXT,
    )
    FormFieldFactory(page=page, label="Name", field_type="singleline")
    FormFieldFactory(page=page, label="E-Mail", field_type="email")
    FormFieldFactory(page=page, label="Nachricht", field_type="multiline")
    FormFieldFactory(page=page, label="Webseite", field_type="url", required=False)
    return page


def submit(client, page, email="victim@example.org", **extra):
    data = {
        "name": SPAM,
        "e_mail": email,
        "nachricht": SPAM,
        "webseite": "https://spam.example/",
        "privacy_consent": "on",
        **extra,
    }
    return client.post(page.url, data)


def test_the_confirmation_is_the_editors_text_and_nothing_the_visitor_typed(client, contact_form):
    assert submit(client, contact_form).status_code in (200, 303)
    send_queued_mail()

    notification, confirmation = mail.outbox
    assert confirmation.to == ["victim@example.org"]
    assert confirmation.subject == "Ihre Nachricht an den VSOP"
    assert CONFIRMATION_TEXT in confirmation.body
    for echoed in ("spam.example", "Billige Uhren", "href"):
        assert echoed not in confirmation.body
        assert echoed not in confirmation.subject
    # Staff still get everything.
    assert notification.to == ["team@example.org"]
    assert "https://spam.example/kaufen" in notification.body
    assert notification.reply_to == ["victim@example.org"]


def test_confirmations_are_limited_per_address_and_day(client, contact_form):
    for _ in range(5):
        assert submit(client, contact_form, email="Victim@Example.org ").status_code in (200, 303)
    submit(client, contact_form, email="someone.else@example.org")
    send_queued_mail()

    statuses = list(FormSubmission.objects.order_by("pk").values_list("confirmation_status", flat=True))
    assert statuses == [MailStatus.SENT] * 3 + [MailStatus.LIMITED] * 2 + [MailStatus.SENT]
    confirmations = [message for message in mail.outbox if message.to != ["team@example.org"]]
    assert len(confirmations) == 4
    # Staff hear of every submission; editors see why a confirmation was held back.
    assert len(mail.outbox) - len(confirmations) == 6
    assert not FormSubmission.objects.with_failed_mails().exists()


def test_the_daily_count_is_kept_in_the_database_as_a_hash(contact_form):
    today = datetime.date(2026, 11, 25)
    assert [take_confirmation_slot("anna@example.org", today=today) for _ in range(4)] == [True, True, True, False]
    assert take_confirmation_slot("anna@example.org", today=today + datetime.timedelta(days=1))
    tally = ConfirmationTally.objects.get(day=today)
    assert tally.count == 3
    assert "anna" not in tally.address_hash


def test_the_count_is_one_conditional_update(contact_form):
    take_confirmation_slot("anna@example.org")
    with CaptureQueriesContext(connection) as queries:
        take_confirmation_slot("anna@example.org")
    update = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("UPDATE")]
    assert len(update) == 1
    assert '"count" < ' in update[0] or "count` <" in update[0]


def test_no_confirmation_for_a_submission_the_spam_checks_stopped(client, contact_form):
    response = submit(client, contact_form, **{HONEYPOT_FIELD: "https://spam.example"})
    assert response.status_code == 200
    send_queued_mail()
    assert mail.outbox == []
    assert not FormSubmission.objects.exists()
    assert not ConfirmationTally.objects.exists()


def test_editors_can_turn_confirmations_off(client, contact_form):
    contact_form.send_confirmation = False
    contact_form.save()
    submit(client, contact_form)
    send_queued_mail()

    assert [message.to for message in mail.outbox] == [["team@example.org"]]
    assert FormSubmission.objects.get().confirmation_status == MailStatus.NOT_REQUIRED


def test_the_confirmation_fields_explain_themselves_to_editors(contact_form):
    fields = {field.name: field for field in type(contact_form)._meta.get_fields() if hasattr(field, "help_text")}
    with translation.override("en"):
        assert "never repeats what they entered" in str(fields["send_confirmation"].help_text)
        assert "all the sender gets" in str(fields["confirmation_text"].help_text)
    with translation.override("de"):
        assert "wiederholt nie" in str(fields["send_confirmation"].help_text)
        assert "alles, was die absendende Person bekommt" in str(fields["confirmation_text"].help_text)
