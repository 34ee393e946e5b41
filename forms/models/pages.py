"""The form page: its texts, e-mail settings and retention, and how it serves a submission.

A visitor's submission goes through ``FormPage.serve``: spam checks first
(``forms.spam``), then validation, then one transaction that stores it. The
e-mails are not sent from here: ``process_form_submission`` sends the
``submission_stored`` signal inside that transaction, and ``forms.emails`` queues
them in the outbox, which a worker sends.
"""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, validate_to_address
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.models import PROMOTE_TRANSLATABLE_FIELDS
from forms import spam
from forms.builder import FormBuilder, FormPageAdminForm
from forms.fieldnames import CONFIRMATION_STATUS, CONSENT_FIELD, NOT_STORED, NOTIFICATION_STATUS
from forms.signals import submission_stored

from .submissions import FormSubmission

logger = logging.getLogger(__name__)

# After a submission the visitor is redirected (POST → redirect → GET) to the form page with
# this parameter: a signed, short-lived token naming the page and the submission. Reloading
# the thank-you page never posts again; an old or forged token shows the form.
THANK_YOU_PARAMETER = "sent"
THANK_YOU_SALT = "forms.thank-you"
THANK_YOU_MAX_AGE = 60 * 60

DEFAULT_PRIVACY_NOTICE = "Datenschutz-Hinweis: Ihre Daten werden ausschließlich für diese Anfrage verwendet."
DEFAULT_CONSENT_LABEL = "Ich bin einverstanden, dass meine Angaben zur Bearbeitung meiner Anfrage gespeichert werden."


def default_retention_days():
    return settings.FORMS_DEFAULT_RETENTION_DAYS


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
        help_text=_(
            "E-mails the visitor the confirmation text below, to the address of the first e-mail field. "
            "It never repeats what they entered, and one address gets at most a few a day."
        ),
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
        help_text=_(
            "The whole text of the confirmation: what you write here is all the sender gets. Empty: a short thank-you."
        ),
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
            (CONSENT_FIELD, _("Privacy consent")),
            (NOTIFICATION_STATUS, _("E-mail to staff")),
            (CONFIRMATION_STATUS, _("Confirmation to sender")),
        ]

    def sender_email_field(self):
        """The name of the first e-mail field: where confirmations go and replies are addressed."""
        return next((field.clean_name for field in self.get_form_fields() if field.field_type == "email"), None)

    # Serving

    def serve(self, request, *args, **kwargs):
        if request.method != "POST":
            if THANK_YOU_PARAMETER in request.GET:
                return self.serve_thank_you(request, *args, **kwargs)
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
            return HttpResponseRedirect(self.thank_you_url(request, submission), status=303)
        return self.render_form(request, form)

    def thank_you_url(self, request, submission):
        token = signing.dumps([self.pk, submission.pk], salt=THANK_YOU_SALT, compress=True)
        return f"{self.get_url(request)}?{THANK_YOU_PARAMETER}={token}"

    def serve_thank_you(self, request, *args, **kwargs):
        try:
            page_pk, _submission_pk = signing.loads(
                request.GET[THANK_YOU_PARAMETER], salt=THANK_YOU_SALT, max_age=THANK_YOU_MAX_AGE
            )
        except (signing.BadSignature, ValueError, TypeError):
            page_pk = None
        if page_pk != self.pk:
            return HttpResponseRedirect(self.get_url(request))
        response = self.render_landing_page(request, None, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    def render_form(self, request, form, blocked_message="", status=200):
        context = self.get_context(request)
        context["form"] = form
        context["blocked_message"] = blocked_message
        return TemplateResponse(request, self.get_template(request), context, status=status)

    # Storing and sending

    def get_submission_class(self):
        return FormSubmission

    # ``submissions_list_view_class`` is set to ``forms.views.SubmissionsListView`` in ``FormsConfig.ready``.

    def process_form_submission(self, form):
        """Stores the submission and queues its e-mails (``submission_stored``) in one transaction."""
        data = {name: value for name, value in form.cleaned_data.items() if name not in NOT_STORED}
        with transaction.atomic():
            submission = FormSubmission.objects.create(form_data=data, page=self)
            submission_stored.send(sender=type(self), submission=submission)
        return submission

    def expired_submissions(self, now=None):
        """Submissions older than the retention period, measured from ``now``."""
        cutoff = (now or timezone.now()) - datetime.timedelta(days=self.retention_days)
        return self.get_submissions().filter(submit_time__lt=cutoff)
