"""The registration form: name, e-mail address, the event's extra questions, consent and spam checks."""

import django.forms
from django.utils.translation import gettext_lazy as _

from forms import spam
from forms.builder import CONSENT_FIELD, ConsentField, FormBuilder, SubmissionForm

QUESTION_PREFIX = "q_"


class RegistrationForm(SubmissionForm):
    name = django.forms.CharField(
        label=_("Name"), max_length=200, widget=django.forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = django.forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("Your confirmation and your personal link to cancel are sent here."),
        widget=django.forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def answers(self):
        """The extra questions' answers by their internal name (shared by all languages)."""
        return {
            name.removeprefix(QUESTION_PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(QUESTION_PREFIX)
        }

    def consent(self):
        return self.cleaned_data.get(CONSENT_FIELD) or {}


def registration_form_class(page):
    """The form for ``page``: its questions after name and e-mail, then consent and (if on) reCAPTCHA."""
    questions = FormBuilder(page.registration_fields.all()).formfields
    fields = {f"{QUESTION_PREFIX}{name}": field for name, field in questions.items()}
    fields[CONSENT_FIELD] = ConsentField(
        label=page.registration_consent_label,
        consent_text=page.registration_consent_label,
        notice=page.registration_privacy_notice,
    )
    if captcha := spam.captcha_field():
        fields[spam.CAPTCHA_FIELD] = captcha
    return type("EventRegistrationForm", (RegistrationForm,), fields)


def registration_form(page, data=None):
    return registration_form_class(page)(data, auto_id=f"registration{page.pk}-%s")
