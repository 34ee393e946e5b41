"""Resending many failed mails only queues them: one quick request, then each mail sent once (issue 9: 206)."""

import time

from django.core import mail
from django.urls import reverse

import pytest

from forms.emails import deliver_mails
from forms.models import FormSubmission, MailStatus
from outbox.models import OutboxMessage, State
from tests.factories import FormFieldFactory, FormPageFactory
from tests.test_forms import send_queued_mail

pytestmark = pytest.mark.django_db

FAILED = 206


def test_resending_206_failed_mails_queues_them_in_one_request_and_sends_each_once(admin_client, home_page, settings):
    page = FormPageFactory(parent=home_page, title="Kontakt", slug="kontakt", to_address="team@example.org")
    FormFieldFactory(page=page, label="Name", field_type="singleline")
    FormFieldFactory(page=page, label="E-Mail", field_type="email")
    settings.EMAIL_BACKEND = "tests.test_forms.BrokenMailBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 1
    for number in range(FAILED):
        submission = FormSubmission.objects.create(
            page=page, form_data={"name": f"Person {number}", "e_mail": f"p{number}@example.org"}
        )
        deliver_mails(submission)
    while send_queued_mail() == 0 and OutboxMessage.objects.filter(state=State.QUEUED).exists():
        pass
    assert page.get_submissions().with_failed_mails().count() == FAILED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    started = time.monotonic()
    response = admin_client.post(reverse("vsop_forms:resend", args=[page.pk]))
    seconds = time.monotonic() - started
    print(f"resend of {FAILED} failed mails: {seconds:.2f} s")

    assert response.status_code == 302
    assert mail.outbox == []  # nothing sent inside the editor's request
    assert OutboxMessage.objects.filter(state=State.QUEUED).count() == FAILED
    admin_client.post(reverse("vsop_forms:resend", args=[page.pk]))  # a second try: nothing more queued
    assert send_queued_mail() == FAILED
    assert send_queued_mail() == 0
    assert len(mail.outbox) == FAILED
    assert len({message.extra_headers["Message-ID"] for message in mail.outbox}) == FAILED
    assert set(FormSubmission.objects.values_list("notification_status", flat=True)) == {MailStatus.SENT}
