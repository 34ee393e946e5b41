"""Form pages built by editors: fields, privacy consent, spam checks, stored submissions, e-mails.

A visitor's submission goes through ``FormPage.serve``: spam checks first
(``forms.spam``), then validation, then one transaction that stores it, and only
then the e-mails (``forms.emails``), whose outcome is recorded on the submission so
editors can see and resend failed ones.
"""

import datetime
import logging
import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import (
    FORM_FIELD_CHOICES,
    AbstractEmailForm,
    AbstractFormField,
    AbstractFormSubmission,
    validate_to_address,
)
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.models import PROMOTE_TRANSLATABLE_FIELDS
from forms import spam
from forms.builder import FormBuilder, FormPageAdminForm

logger = logging.getLogger(__name__)

DEFAULT_PRIVACY_NOTICE = "Datenschutz-Hinweis: Ihre Daten werden ausschließlich für diese Anfrage verwendet."
DEFAULT_CONSENT_LABEL = "Ich bin einverstanden, dass meine Angaben zur Bearbeitung meiner Anfrage gespeichert werden."

# Wagtail's field types plus what Contact Form 7 had: telephone and consent.
FIELD_TYPE_CHOICES = [
    *[choice for choice in FORM_FIELD_CHOICES if choice[0] != "hidden"],
    ("tel", _("Telephone")),
    ("consent", _("Consent (required checkbox; its text is stored)")),
    ("hidden", _("Hidden field")),
]

# WCAG 1.3.5: fields that ask for the visitor's own details say so to the browser.
AUTOCOMPLETE_CHOICES = [
    ("name", _("Full name")),
    ("given-name", _("First name")),
    ("family-name", _("Last name")),
    ("organization", _("Organisation")),
    ("organization-title", _("Job title")),
    ("email", _("E-mail address")),
    ("tel", _("Telephone number")),
    ("street-address", _("Street and number")),
    ("postal-code", _("Postcode")),
    ("address-level2", _("Town")),
]


def default_retention_days():
    return settings.FORMS_DEFAULT_RETENTION_DAYS


class FormField(TranslatableMixin, AbstractFormField):
    """One field of a form; translated with its page, its ``clean_name`` shared by all languages."""

    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField(
        _("field type"),
        max_length=16,
        choices=FIELD_TYPE_CHOICES,
        help_text=_("What the visitor enters. For a consent checkbox, write the consent text as the label."),
    )
    field_type.required_on_save = True
    required = models.BooleanField(
        _("required"), default=True, help_text=_("The form cannot be sent while a required field is empty.")
    )
    help_text = models.CharField(
        _("help text"),
        max_length=255,
        blank=True,
        help_text=_("A hint shown under the label, e.g. the expected format."),
    )
    placeholder = models.CharField(
        _("placeholder"),
        max_length=255,
        blank=True,
        help_text=_("An example shown inside the empty field, e.g. “0511 123456”. Never a replacement for the label."),
    )
    autocomplete = models.CharField(
        _("autofill"),
        max_length=32,
        blank=True,
        choices=AUTOCOMPLETE_CHOICES,
        help_text=_("If the field asks for the visitor's own details, say which, so browsers can fill it in."),
    )

    panels = [
        FieldPanel("label"),
        FieldPanel("help_text"),
        FieldPanel("required"),
        FieldPanel("field_type", classname="formbuilder-type", required_on_save=True),
        FieldPanel("choices", classname="formbuilder-choices"),
        FieldPanel("default_value", classname="formbuilder-default"),
        FieldPanel("placeholder"),
        FieldPanel("autocomplete"),
    ]

    # German and English submissions share their columns: the name is never translated.
    translatable_fields = [
        TranslatableField("label"),
        TranslatableField("help_text"),
        TranslatableField("choices"),
        TranslatableField("default_value"),
        TranslatableField("placeholder"),
        SynchronizedField("clean_name", overridable=False),
        SynchronizedField("field_type"),
        SynchronizedField("required"),
        SynchronizedField("autocomplete"),
    ]

    class Meta(TranslatableMixin.Meta, AbstractFormField.Meta):
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")


class FormPage(AbstractEmailForm):
    base_form_class = FormPageAdminForm
    form_builder = FormBuilder

    intro = RichTextField(
        _("intro"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("Text above the form: what it is for and what happens next."),
    )
    thank_you_text = RichTextField(
        _("thank-you text"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown after the form was sent."),
    )
    privacy_notice = models.TextField(
        _("privacy notice"),
        default=DEFAULT_PRIVACY_NOTICE,
        help_text=_("Shown above the send button of this form. Say what the data is used for."),
    )
    consent_label = models.CharField(
        _("consent checkbox"),
        max_length=500,
        default=DEFAULT_CONSENT_LABEL,
        help_text=_(
            "Text of the checkbox every visitor must tick before sending. "
            "The exact text is stored with each submission as proof of consent."
        ),
    )
    to_address = models.CharField(
        _("to address"),
        max_length=255,
        blank=True,
        validators=[validate_to_address],
        help_text=_(
            "Who is told about each submission; several addresses separated by commas. "
            "Empty: the contact e-mail of the site settings."
        ),
    )
    from_address = models.EmailField(
        _("from address"),
        max_length=255,
        blank=True,
        help_text=_("Sender of this form's e-mails. Empty: the site's sender address."),
    )
    subject = models.CharField(
        _("subject"),
        max_length=255,
        blank=True,
        help_text=_("Subject of the e-mail to staff. Empty: “New submission: <title of this page>”."),
    )
    send_confirmation = models.BooleanField(
        _("send a confirmation to the sender"),
        default=False,
        help_text=_("E-mails the visitor a summary of what they sent, to the address of the first e-mail field."),
    )
    confirmation_subject = models.CharField(
        _("confirmation subject"),
        max_length=255,
        blank=True,
        help_text=_("Subject of the confirmation. Empty: “Your message: <title of this page>”."),
    )
    confirmation_text = models.TextField(
        _("confirmation text"),
        blank=True,
        help_text=_("Opening words of the confirmation, above the summary. Empty: a short thank-you."),
    )
    retention_days = models.PositiveIntegerField(
        _("keep submissions for (days)"),
        default=default_retention_days,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Submissions older than this are deleted automatically (data protection)."),
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        MultiFieldPanel([FieldPanel("privacy_notice"), FieldPanel("consent_label")], heading=_("Data protection")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-mail to staff"),
        ),
        MultiFieldPanel(
            [FieldPanel("send_confirmation"), FieldPanel("confirmation_subject"), FieldPanel("confirmation_text")],
            heading=_("Confirmation to the sender"),
        ),
        FieldPanel("retention_days"),
    ]

    search_fields = [
        *AbstractEmailForm.search_fields,
        index.SearchField("intro"),
        index.FilterField("locale_id"),
    ]

    translatable_fields = [
        # Content tab
        TranslatableField("title"),
        TranslatableField("intro"),
        TranslatableField("form_fields"),
        TranslatableField("privacy_notice"),
        TranslatableField("consent_label"),
        TranslatableField("thank_you_text"),
        SynchronizedField("to_address"),
        SynchronizedField("from_address"),
        TranslatableField("subject"),
        SynchronizedField("send_confirmation"),
        TranslatableField("confirmation_subject"),
        TranslatableField("confirmation_text"),
        SynchronizedField("retention_days"),
        # Promote tab
        *PROMOTE_TRANSLATABLE_FIELDS,
    ]

    subpage_types = []

    class Meta:
        verbose_name = _("form page")
        verbose_name_plural = _("form pages")

    # Building the form

    def get_form_class(self):
        return self.form_builder(self.get_form_fields(), page=self).get_form_class()

    def get_form_parameters(self):
        # Unique ids, also when the form is embedded in another page.
        return {"auto_id": f"form{self.pk or 0}-%s"}

    def get_data_fields(self):
        return [
            *super().get_data_fields(),
            ("privacy_consent", _("Privacy consent")),
            ("notification_status", _("E-mail to staff")),
            ("confirmation_status", _("Confirmation to sender")),
        ]

    def sender_email_field(self):
        """The name of the first e-mail field: where confirmations go and replies are addressed."""
        return next((field.clean_name for field in self.get_form_fields() if field.field_type == "email"), None)

    # Serving

    def serve(self, request, *args, **kwargs):
        if request.method != "POST":
            return super().serve(request, *args, **kwargs)
        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        verdict = spam.check_submission(request, form)
        if verdict.blocked:
            logger.info("Form %s: submission blocked (%s: %s)", self.pk, verdict.reason, verdict.detail)
            response = self.render_form(request, form, blocked_message=verdict.message, status=verdict.status_code)
            if verdict.retry_after:
                response["Retry-After"] = str(verdict.retry_after)
            return response
        if form.is_valid():
            submission = self.process_form_submission(form)
            return self.render_landing_page(request, submission, *args, **kwargs)
        return self.render_form(request, form)

    def render_form(self, request, form, blocked_message="", status=200):
        context = self.get_context(request)
        context["form"] = form
        context["blocked_message"] = blocked_message
        return TemplateResponse(request, self.get_template(request), context, status=status)

    # Storing and sending

    def get_submission_class(self):
        return FormSubmission

    def get_submissions_list_view_class(self):
        from forms.views import SubmissionsListView

        return SubmissionsListView

    def process_form_submission(self, form):
        """Stores the submission in one transaction, then sends the e-mails; a mail failure is recorded."""
        from forms.emails import deliver_mails

        data = {name: value for name, value in form.cleaned_data.items() if name != spam.CAPTCHA_FIELD}
        with transaction.atomic():
            submission = FormSubmission.objects.create(form_data=data, page=self)
        deliver_mails(submission)
        return submission

    def expired_submissions(self, now=None):
        """Submissions older than the retention period, measured from ``now``."""
        cutoff = (now or timezone.now()) - datetime.timedelta(days=self.retention_days)
        return self.get_submissions().filter(submit_time__lt=cutoff)


class MailStatus(models.TextChoices):
    PENDING = "pending", _("not sent yet")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    NO_RECIPIENT = "no_recipient", _("not sent: no address")
    NOT_REQUIRED = "not_required", _("not required")


# Statuses a resend tries again.
RESENDABLE = [MailStatus.PENDING, MailStatus.FAILED, MailStatus.NO_RECIPIENT]


def email_pattern(address):
    """Matches the address as a whole e-mail address inside a text, in any letter case."""
    return re.compile(r"(?<![\w.%+-])" + re.escape(address.strip()) + r"(?![\w-]|\.\w)", re.IGNORECASE)


class FormSubmissionQuerySet(models.QuerySet):
    def with_failed_mails(self):
        return self.filter(
            models.Q(notification_status__in=[MailStatus.FAILED, MailStatus.NO_RECIPIENT])
            | models.Q(confirmation_status=MailStatus.FAILED)
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

    page = models.ForeignKey(FormPage, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("form"))
    notification_status = models.CharField(
        _("e-mail to staff"), max_length=16, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    confirmation_status = models.CharField(
        _("confirmation to sender"), max_length=16, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    mail_error = models.TextField(_("e-mail error"), blank=True, help_text=_("Why the last attempt failed."))

    objects = FormSubmissionQuerySet.as_manager()

    class Meta(AbstractFormSubmission.Meta):
        indexes = [models.Index(fields=["page", "submit_time"])]

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
        data["submit_time"] = self.submit_time
        data["notification_status"] = self.get_notification_status_display()
        data["confirmation_status"] = self.get_confirmation_status_display()
        return data


def format_value(value):
    if isinstance(value, dict) and "accepted" in value:
        return format_consent(value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return value


def format_consent(consent):
    answer = gettext("yes") if consent.get("accepted") else gettext("no")
    try:
        moment = date_format(
            timezone.localtime(datetime.datetime.fromisoformat(consent["time"])), "SHORT_DATETIME_FORMAT"
        )
    except (KeyError, TypeError, ValueError):
        moment = consent.get("time", "")
    return f"{answer} ({moment}): „{consent.get('text', '')}“"
