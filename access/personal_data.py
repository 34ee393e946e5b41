"""Personal data by e-mail address: a registry of the apps that hold some.

An app that stores data about people registers a provider once, e.g. in its
``wagtail_hooks.py`` or ``AppConfig.ready()``::

    from access import personal_data

    class RegistrationProvider(personal_data.Provider):
        key = "event_registrations"
        label = _("Event registrations")

        def find(self, email):
            return [personal_data.Record(...), ...]

        def delete(self, email, ids):
            ...  # returns the number deleted

    personal_data.register(RegistrationProvider())

The Datenschutz views (``access/views.py``) ask every provider for the records of an
address, export them (JSON, CSV) for a request for access (GDPR Art. 15) and delete the
ones confirmed for erasure (Art. 17).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _


@dataclass
class Record:
    """One thing stored about the person: where, when, and its fields as label → text."""

    provider: str
    id: str
    title: str
    created: datetime | None
    fields: dict = field(default_factory=dict)

    def summary(self, limit=200):
        return {label: Truncator(str(value)).chars(limit) for label, value in self.fields.items()}


class Provider:
    key = ""
    label = ""

    def find(self, email):
        """The records that mention ``email`` (whole address, any letter case)."""
        raise NotImplementedError

    def delete(self, email, ids):
        """Deletes those of ``ids`` that still belong to ``email``; returns how many went."""
        raise NotImplementedError


_providers = {}


def register(provider):
    """Adds a provider (once per key; registering a key again replaces it)."""
    if not provider.key:
        raise ValueError("A personal-data provider needs a key.")
    _providers[provider.key] = provider
    return provider


def providers():
    return list(_providers.values())


def find_all(email):
    """{provider: [records]} for every provider, records newest first."""
    email = (email or "").strip()
    found = {}
    for provider in providers():
        records = provider.find(email) if email else []
        found[provider] = sorted(records, key=lambda record: record.created or datetime.min, reverse=True)
    return found


class FormSubmissionProvider(Provider):
    key = "form_submissions"
    label = _("Form submissions")

    def matches(self, email):
        from forms.models import FormSubmission

        return FormSubmission.objects.select_related("page", "page__locale").mentioning_email(email)

    def find(self, email):
        records = []
        for submission in self.matches(email):
            page = submission.page
            data = submission.get_data()
            fields = {
                str(label): data.get(name, "")
                for name, label in page.specific.get_data_fields()
                if name in submission.form_data
            }
            records.append(
                Record(
                    provider=self.key,
                    id=str(submission.pk),
                    title=f"{page.title} ({page.locale.language_code})",
                    created=submission.submit_time,
                    fields=fields,
                )
            )
        return records

    def delete(self, email, ids):
        wanted = {str(pk) for pk in ids}
        doomed = [submission.pk for submission in self.matches(email) if str(submission.pk) in wanted]
        from forms.models import FormSubmission

        FormSubmission.objects.filter(pk__in=doomed).delete()
        return len(doomed)


register(FormSubmissionProvider())
