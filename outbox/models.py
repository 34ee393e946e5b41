"""One stored e-mail and where it is on its way out (``outbox.delivery`` moves it)."""

import base64

from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    QUEUED = "queued", _("waiting to be sent")
    CLAIMED = "claimed", _("taken by a worker")
    SENDING = "sending", _("handed to the mail server")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    UNCERTAIN = "uncertain", _("uncertain: the mail server did not confirm")


class OutboxMessage(models.Model):
    key = models.CharField(
        _("key"), max_length=255, unique=True, help_text=_("Names the message; the same key is never sent twice.")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    # The whole message as JSON (see ``payload_from_message``); emptied once sent (data minimisation).
    payload = models.JSONField(_("message"), default=dict, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self):
        return f"{self.key} ({self.get_state_display()})"

    def to_email(self):
        return message_from_payload(self.payload)


# Serialising a message: everything Django's EmailMessage carries, as JSON.


def _encode(content):
    if isinstance(content, bytes):
        return {"base64": base64.b64encode(content).decode("ascii")}
    return {"text": content}


def _decode(value):
    return base64.b64decode(value["base64"]) if "base64" in value else value["text"]


def payload_from_message(message):
    attachments = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):  # a ready-made MIME part cannot be stored as JSON
            raise ValueError("outbox: attach files as (filename, content, mimetype), not as MIME objects")
        filename, content, mimetype = attachment
        attachments.append({"filename": filename, "content": _encode(content), "mimetype": mimetype})
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {name: str(value) for name, value in message.extra_headers.items()},
        "content_subtype": message.content_subtype,
        "alternatives": [
            {"content": _encode(content), "mimetype": mimetype}
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": attachments,
    }


def message_from_payload(payload):
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload["cc"],
        bcc=payload["bcc"],
        reply_to=payload["reply_to"],
        headers=payload["headers"],
    )
    message.content_subtype = payload.get("content_subtype", "plain")
    for alternative in payload["alternatives"]:
        message.attach_alternative(_decode(alternative["content"]), alternative["mimetype"])
    for attachment in payload["attachments"]:
        message.attach(attachment["filename"], _decode(attachment["content"]), attachment["mimetype"])
    return message
