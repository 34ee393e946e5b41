"""The fields of a form: what editors define, translated with their page."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.forms.models import FORM_FIELD_CHOICES, AbstractFormField
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField

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


class BuilderField(TranslatableMixin, AbstractFormField):
    """What every form-builder field has (forms, event registration questions): its help text,
    placeholder and autofill, the admin panels, and what is translated. ``clean_name`` is shared
    by all languages, so German and English answers land in the same column."""

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
        abstract = True


class FormField(BuilderField):
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

    class Meta(BuilderField.Meta):
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
