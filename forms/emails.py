"""The e-mails of a stored submission: the notification to staff and the confirmation to the sender.

Both are queued in the outbox (``outbox.enqueue``) inside the transaction that stores
the submission, so either the submission and its mails are stored together or
neither is; the outbox worker sends them, never the visitor's request. Their fate
(waiting, sent, failed, uncertain) is mirrored on the submission, where editors see
it and can queue failed ones again (``deliver_mails(submission, resend=True)``).

The notification carries everything the visitor entered. The confirmation goes to
an address the visitor typed, so it is a fixed text the editors wrote: it never
repeats a field or a link the visitor entered (nobody can use a form to mail their
own text to a stranger), and one address gets at most
``FORMS_CONFIRMATIONS_PER_ADDRESS_PER_DAY`` confirmations a day.
"""

import hashlib
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

import outbox
from home.models import SiteSettings
from outbox.models import OutboxMessage, State
from outbox.signals import state_changed

from .fieldnames import BOOKKEEPING_COLUMNS
from .models import RESENDABLE, ConfirmationTally, FormSubmission, MailStatus
from .signals import submission_stored

logger = logging.getLogger(__name__)

NOTIFICATION = "notification"
CONFIRMATION = "confirmation"

# How an outbox message's state reads on the submission.
STATUS_OF_STATE = {
    State.QUEUED: MailStatus.PENDING,
    State.CLAIMED: MailStatus.PENDING,
    State.SENDING: MailStatus.PENDING,
    State.SENT: MailStatus.SENT,
    State.FAILED: MailStatus.FAILED,
    State.UNCERTAIN: MailStatus.UNCERTAIN,
}


def staff_recipients(page):
    """The form's own addresses, else the contact e-mail of the site settings."""
    addresses = [address.strip() for address in page.to_address.split(",") if address.strip()]
    if addresses:
        return addresses
    site_settings = SiteSettings.for_locale(page.locale)
    return [site_settings.contact_email] if site_settings and site_settings.contact_email else []


def summary_lines(submission):
    """``label: value`` for every field the visitor filled in, in the order of the form."""
    data = submission.get_data()
    lines = []
    for name, label in submission.page.get_data_fields():
        if name in BOOKKEEPING_COLUMNS or name not in data:
            continue
        lines.append((str(label), "" if data[name] is None else str(data[name])))
    return lines


# Queueing


@receiver(submission_stored, dispatch_uid="forms.emails.queue_stored_submission")
def queue_stored_submission(sender, submission, **kwargs):
    deliver_mails(submission)


def mail_key(submission, kind):
    return f"forms:submission:{submission.pk}:{kind}"


def deliver_mails(submission, resend=False):
    """Queues the submission's e-mails in the outbox and records their status; returns the submission.

    ``resend`` queues again only what did not go out: failed mails, and notifications
    that had no address. A mail that was sent, is waiting or whose delivery is
    uncertain is never queued a second time, and a confirmation held back by the
    daily limit stays held back.
    """
    page = submission.page
    with transaction.atomic(), translation.override(page.locale.language_code):
        if not resend or submission.notification_status in RESENDABLE:
            submission.notification_status, submission.notification_mail = queue_one(
                submission, NOTIFICATION, submission.notification_mail
            )
        if not resend or submission.confirmation_status == MailStatus.FAILED:
            submission.confirmation_status, submission.confirmation_mail = queue_one(
                submission, CONFIRMATION, submission.confirmation_mail
            )
        submission.mail_error = mail_errors(submission)
        FormSubmission.objects.filter(pk=submission.pk).update(
            notification_status=submission.notification_status,
            notification_mail=submission.notification_mail,
            confirmation_status=submission.confirmation_status,
            confirmation_mail=submission.confirmation_mail,
            mail_error=submission.mail_error,
        )
    return submission


def queue_one(submission, kind, existing):
    """(status, outbox message) of one of the submission's e-mails after queueing it."""
    if existing is not None:
        if existing.state == State.FAILED:
            outbox.retry([existing])
            existing.refresh_from_db()
        return STATUS_OF_STATE[existing.state], existing
    if kind == NOTIFICATION:
        message = notification_message(submission)
    else:
        if not submission.page.send_confirmation:
            return MailStatus.NOT_REQUIRED, None
        message = confirmation_message(submission)
    if not message.to:
        return MailStatus.NO_RECIPIENT, None
    if kind == CONFIRMATION and not take_confirmation_slot(message.to[0]):
        logger.info(
            "Form %s: confirmation for submission %s held back (daily limit)", submission.page_id, submission.pk
        )
        return MailStatus.LIMITED, None
    stored = outbox.enqueue(message, key=mail_key(submission, kind))
    return STATUS_OF_STATE[stored.state], stored


def take_confirmation_slot(address, today=None):
    """Counts one confirmation to ``address`` today; False when the daily limit is reached.

    Counted in the database with one conditional UPDATE, so concurrent submissions
    cannot slip past the limit. Only a hash of the address is kept.
    """
    limit = settings.FORMS_CONFIRMATIONS_PER_ADDRESS_PER_DAY
    if limit <= 0:
        return False
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()
    today = today or timezone.localdate()
    if not ConfirmationTally.objects.filter(address_hash=digest, day=today).exists():
        try:
            with transaction.atomic():
                ConfirmationTally.objects.create(address_hash=digest, day=today, count=0)
        except IntegrityError:  # created by a concurrent submission meanwhile
            pass
    return bool(
        ConfirmationTally.objects.filter(address_hash=digest, day=today, count__lt=limit).update(count=F("count") + 1)
    )


# Following the outbox


@receiver(state_changed, dispatch_uid="forms.emails.follow_outbox")
def follow_outbox(sender, message, **kwargs):
    """Mirrors a mail's new state on its submission (in the transaction that records it)."""
    status = STATUS_OF_STATE[message.state]
    for field in ("notification", "confirmation"):
        for submission in FormSubmission.objects.filter(**{f"{field}_mail": message}).select_related(
            "notification_mail", "confirmation_mail"
        ):
            setattr(submission, f"{field}_status", status)
            FormSubmission.objects.filter(pk=submission.pk).update(
                **{f"{field}_status": status, "mail_error": mail_errors(submission)}
            )


def mail_errors(submission):
    errors = []
    for mail in (submission.notification_mail, submission.confirmation_mail):
        if mail is not None:
            mail.refresh_from_db(fields=["state", "last_error", "subject"])
            if mail.state != State.SENT and mail.last_error:
                errors.append(f"{mail.subject}: {mail.last_error}")
    return "\n".join(errors)


@receiver(post_delete, sender=FormSubmission, dispatch_uid="forms.emails.forget_mails")
def forget_mails(sender, instance, **kwargs):
    """A deleted submission (retention, a data-subject request) takes its e-mails with it."""
    OutboxMessage.objects.filter(Q(pk=instance.notification_mail_id) | Q(pk=instance.confirmation_mail_id)).delete()


# The messages


def notification_message(submission):
    page = submission.page
    sender = submission.sender_email()
    context = {
        "page": page,
        "submission": submission,
        "lines": summary_lines(submission),
        "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("wagtailforms:list_submissions", args=[page.pk]),
    }
    return EmailMessage(
        subject=page.subject or gettext("New submission: %(title)s") % {"title": page.title},
        body=render_to_string("forms/emails/notification.txt", context),
        from_email=page.from_address or settings.DEFAULT_FROM_EMAIL,
        to=staff_recipients(page),
        reply_to=[sender] if sender else None,
    )


def confirmation_message(submission):
    """The editors' fixed text: nothing the visitor entered, not even their name."""
    page = submission.page
    sender = submission.sender_email()
    site_settings = SiteSettings.for_locale(page.locale)
    context = {
        "page": page,
        "organisation": site_settings.organisation_name if site_settings else settings.WAGTAIL_SITE_NAME,
    }
    return EmailMessage(
        subject=page.confirmation_subject or gettext("Your message: %(title)s") % {"title": page.title},
        body=render_to_string("forms/emails/confirmation.txt", context),
        from_email=page.from_address or settings.DEFAULT_FROM_EMAIL,
        to=[sender] if sender else [],
    )
