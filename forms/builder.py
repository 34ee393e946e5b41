"""Turns the fields editors defined into a Django form, with the parts every form has.

Besides Wagtail's field types: telephone (``type="tel"``) and consent (a checkbox
whose exact text and time are stored). Every form gets the privacy consent checkbox
of its page and, when keys are configured, the reCAPTCHA widget.
"""

import django.forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.forms.forms import BaseForm, WagtailAdminFormPageForm
from wagtail.contrib.forms.forms import FormBuilder as WagtailFormBuilder
from wagtail.contrib.forms.utils import get_field_clean_name

from forms import spam
from forms.fieldnames import CONSENT_FIELD, RESERVED_NAMES

SINGLELINE_MAX_LENGTH = 255
MULTILINE_MAX_LENGTH = 200_000
TEL_MAX_LENGTH = 40

validate_tel = RegexValidator(
    r"^\+?[0-9][0-9 ()/.\-]{2,}$",
    _("Enter a telephone number with digits only, e.g. 0511 123456 or +49 511 123456."),
)


class ConsentField(django.forms.BooleanField):
    """A checkbox whose cleaned value records what was agreed to and when."""

    def __init__(self, *, consent_text, notice="", **kwargs):
        self.consent_text = consent_text
        self.notice = notice
        kwargs.setdefault(
            "error_messages",
            {"required": _("Please tick the consent box. Without your consent we cannot process your request.")},
        )
        super().__init__(**kwargs)

    def clean(self, value):
        accepted = super().clean(value)
        consent = {"accepted": accepted, "text": self.consent_text, "time": timezone.now().isoformat()}
        if self.notice:
            consent["notice"] = self.notice
        return consent


class SubmissionForm(BaseForm):
    """The visitor's form. NUL characters, which no database text column can hold, become U+FFFD."""

    def __init__(self, data=None, *args, **kwargs):
        if hasattr(data, "lists") and any("\x00" in value for _key, values in data.lists() for value in values):
            data = data.copy()
            for key, values in list(data.lists()):
                data.setlist(key, [value.replace("\x00", "\ufffd") for value in values])
        super().__init__(data, *args, **kwargs)

    def editor_fields(self):
        return [field for field in self if field.name not in (CONSENT_FIELD, spam.CAPTCHA_FIELD)]

    def consent_field(self):
        return self[CONSENT_FIELD] if CONSENT_FIELD in self.fields else None

    def captcha_field(self):
        return self[spam.CAPTCHA_FIELD] if spam.CAPTCHA_FIELD in self.fields else None


class FormBuilder(WagtailFormBuilder):
    def __init__(self, fields, page=None):
        super().__init__(list(fields))
        self.page = page

    def create_singleline_field(self, field, options):
        options["max_length"] = SINGLELINE_MAX_LENGTH
        return django.forms.CharField(**options)

    def create_multiline_field(self, field, options):
        options["max_length"] = MULTILINE_MAX_LENGTH
        options.setdefault("widget", django.forms.Textarea(attrs={"rows": 8}))
        return django.forms.CharField(**options)

    def create_email_field(self, field, options):
        field = super().create_email_field(field, options)
        field.widget.attrs.setdefault("autocomplete", "email")
        return field

    def create_tel_field(self, field, options):
        options["max_length"] = TEL_MAX_LENGTH
        options["validators"] = [validate_tel]
        options.setdefault("widget", django.forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        return django.forms.CharField(**options)

    def create_consent_field(self, field, options):
        options.pop("initial", None)
        return ConsentField(consent_text=field.label, **options)

    @property
    def formfields(self):
        formfields = super().formfields
        for field in self.fields:
            formfield = formfields[field.clean_name or field.get_field_clean_name()]
            if field.placeholder and not formfield.widget.is_hidden:
                formfield.widget.attrs["placeholder"] = field.placeholder
            if field.autocomplete:
                formfield.widget.attrs["autocomplete"] = field.autocomplete
        if self.page is not None:
            formfields[CONSENT_FIELD] = ConsentField(
                label=self.page.consent_label, consent_text=self.page.consent_label, notice=self.page.privacy_notice
            )
            if captcha := spam.captcha_field():
                formfields[spam.CAPTCHA_FIELD] = captcha
        return formfields

    def get_form_class(self):
        return type("WagtailForm", (SubmissionForm,), self.formfields)


class FormPageAdminForm(WagtailAdminFormPageForm):
    """The editor's form for a form page: field labels may not take the names the form uses itself."""

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("form_fields")
        for form in formset.forms if formset else []:
            if form.cleaned_data.get("DELETE"):
                continue
            name = form.instance.clean_name or get_field_clean_name(form.cleaned_data.get("label") or "")
            if name in RESERVED_NAMES:
                form.add_error("label", _("This label is used by every form already; please choose another one."))
            if form.cleaned_data.get("field_type") == "consent" and same_text(
                form.cleaned_data.get("label"), cleaned_data.get("consent_label")
            ):
                form.add_error(
                    "label",
                    _(
                        "Every form already asks for this consent (section “Data protection”). Use the consent "
                        "field type only for a further, different consent, e.g. to a newsletter."
                    ),
                )
        return cleaned_data


def same_text(first, second):
    """Whether two labels say the same, ignoring letter case, spaces and a trailing full stop."""

    def normal(text):
        return " ".join((text or "").split()).rstrip(".").casefold()

    return bool(normal(first)) and normal(first) == normal(second)
