"""Stored submissions and the outcome of their e-mails."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.forms.models import AbstractFormSubmission

from forms.fieldnames import CONFIRMATION_STATUS, NOTIFICATION_STATUS, SUBMIT_TIME
from forms.formatting import format_value


class MailStatus(models.TextChoices):
    PENDING = "pending", _("not sent yet")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    NO_RECIPIENT = "no_recipient", _("not sent: no address")
    NOT_REQUIRED = "not_required", _("not required")
    UNCERTAIN = "uncertain", _("uncertain: the mail server did not confirm")
    LIMITED = "limited", _("not sent: daily limit for this address")


# Statuses a resend tries again.
RESENDABLE = [MailStatus.PENDING, MailStatus.FAILED, MailStatus.NO_RECIPIENT]


def email_pattern(address):
    """Matches the address as a whole e-mail address inside a text, in any letter case."""
    return re.compile(r"(?<![\w.%+-])" + re.escape(address.strip()) + r"(?![\w-]|\.\w)", re.IGNORECASE)


# Notifications that need an editor: failed, or never sent for lack of an address.
FAILED_NOTIFICATION = [MailStatus.FAILED, MailStatus.NO_RECIPIENT]


class FormSubmissionQuerySet(models.QuerySet):
    def with_failed_mails(self):
        return self.filter(
            models.Q(notification_status__in=FAILED_NOTIFICATION) | models.Q(confirmation_status=MailStatus.FAILED)
        )

    def mentioning_email(self, address):
        """Submissions holding this e-mail address in any field (a data-subject request).

        The database narrows the candidates; the exact match (whole address, any case)
        is checked here, so ``anna@example.org`` never finds ``hanna@example.org``.
        """
        address = (address or "").strip()
        if not address:
            return []
        pattern = email_pattern(address)
        return [
            submission
            for submission in self.filter(form_data__icontains=address).select_related("page")
            if any(pattern.search(text) for text in submission.texts())
        ]


class FormSubmission(AbstractFormSubmission):
    """A stored submission with the outcome of its e-mails."""

    page = models.ForeignKey(
        "forms.FormPage", on_delete=models.CASCADE, related_name="submissions", verbose_name=_("form")
    )
    notification_status = models.CharField(
        _("e-mail to staff"), max_length=16, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    confirmation_status = models.CharField(
        _("confirmation to sender"), max_length=16, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    mail_error = models.TextField(_("e-mail error"), blank=True, help_text=_("Why the last attempt failed."))
    # The queued e-mails (outbox); their state is mirrored in the two statuses above.
    notification_mail = models.ForeignKey(
        "outbox.OutboxMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    confirmation_mail = models.ForeignKey(
        "outbox.OutboxMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = FormSubmissionQuerySet.as_manager()

    class Meta(AbstractFormSubmission.Meta):
        indexes = [models.Index(fields=["page", "submit_time"])]

    def has_failed_mails(self):
        """The same test as ``FormSubmissionQuerySet.with_failed_mails``, for one submission."""
        return self.notification_status in FAILED_NOTIFICATION or self.confirmation_status == MailStatus.FAILED

    def texts(self):
        """Every text the visitor entered, one string per value."""
        for value in self.form_data.values():
            if isinstance(value, str):
                yield value
            elif isinstance(value, list):
                yield from (item for item in value if isinstance(item, str))

    def sender_email(self):
        name = self.page.sender_email_field()
        return (self.form_data.get(name) or "").strip() if name else ""

    def get_data(self):
        """The values as editors read them: consents spelled out, e-mail outcomes by name."""
        data = {name: format_value(value) for name, value in self.form_data.items()}
        data[SUBMIT_TIME] = self.submit_time
        data[NOTIFICATION_STATUS] = self.get_notification_status_display()
        data[CONFIRMATION_STATUS] = self.get_confirmation_status_display()
        return data


class ConfirmationTally(models.Model):
    """How many confirmations one address (a hash of it) got on one day; see ``forms.emails``."""

    # Bookkeeping only, never shown in a form (hence not editable).
    address_hash = models.CharField(max_length=64, editable=False)
    day = models.DateField(editable=False)
    count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["address_hash", "day"], name="forms_confirmation_tally_once")]

    def __str__(self):
        return f"{self.day}: {self.count}"
