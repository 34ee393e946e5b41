"""The e-mails of a stored submission: the notification to staff and the confirmation to the sender.

Called only after the submission is committed. A failing mail server never reaches
the visitor: the failure is logged and recorded on the submission, where editors
see it and can send the e-mails again (``resend=True``).
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from home.models import SiteSettings

from .fieldnames import BOOKKEEPING_COLUMNS
from .models import RESENDABLE, FormSubmission, MailStatus
from .signals import submission_stored

logger = logging.getLogger(__name__)


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


@receiver(submission_stored, dispatch_uid="forms.emails.deliver_mails")
def mail_stored_submission(sender, submission, **kwargs):
    deliver_mails(submission)


def deliver_mails(submission, resend=False):
    """Sends what is due and records the outcome; returns the submission.

    ``resend`` sends again only what did not go out before (failed, pending, no address).
    """
    page = submission.page
    errors = []
    with translation.override(page.locale.language_code):
        if not resend or submission.notification_status in RESENDABLE:
            submission.notification_status = send_one(submission, notification_message, errors)
        if not resend or submission.confirmation_status in RESENDABLE:
            submission.confirmation_status = send_one(submission, confirmation_message, errors)
    submission.mail_error = "\n".join(errors)
    FormSubmission.objects.filter(pk=submission.pk).update(
        notification_status=submission.notification_status,
        confirmation_status=submission.confirmation_status,
        mail_error=submission.mail_error,
    )
    return submission


def send_one(submission, build, errors):
    message = build(submission)
    if message is None:
        return MailStatus.NOT_REQUIRED
    if not message.to:
        return MailStatus.NO_RECIPIENT
    try:
        message.send(fail_silently=False)
    except Exception as error:  # any transport error; the submission is safe already
        logger.exception(
            "Form %s: e-mail for submission %s failed (%s)", submission.page_id, submission.pk, type(error).__name__
        )
        errors.append(f"{message.subject}: {type(error).__name__}: {error}")
        return MailStatus.FAILED
    return MailStatus.SENT


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
    page = submission.page
    if not page.send_confirmation:
        return None
    sender = submission.sender_email()
    site_settings = SiteSettings.for_locale(page.locale)
    context = {
        "page": page,
        "submission": submission,
        "lines": summary_lines(submission),
        "organisation": site_settings.organisation_name if site_settings else settings.WAGTAIL_SITE_NAME,
    }
    return EmailMessage(
        subject=page.confirmation_subject or gettext("Your message: %(title)s") % {"title": page.title},
        body=render_to_string("forms/emails/confirmation.txt", context),
        from_email=page.from_address or settings.DEFAULT_FROM_EMAIL,
        to=[sender] if sender else [],
    )
