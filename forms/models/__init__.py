"""Form pages built by editors, their fields and stored submissions.

``pages`` (the form page and how it serves a submission), ``fields`` (the fields
editors define), ``submissions`` (what was sent and the outcome of its e-mails).
Nothing here imports ``forms.emails`` or ``forms.views``: they import the models.
"""

from .fields import AUTOCOMPLETE_CHOICES, FIELD_TYPE_CHOICES, FormField
from .pages import DEFAULT_CONSENT_LABEL, DEFAULT_PRIVACY_NOTICE, FormPage, default_retention_days
from .submissions import (
    RESENDABLE,
    ConfirmationTally,
    FormSubmission,
    FormSubmissionQuerySet,
    MailStatus,
    email_pattern,
)

__all__ = [
    "AUTOCOMPLETE_CHOICES",
    "DEFAULT_CONSENT_LABEL",
    "DEFAULT_PRIVACY_NOTICE",
    "FIELD_TYPE_CHOICES",
    "RESENDABLE",
    "ConfirmationTally",
    "FormField",
    "FormPage",
    "FormSubmission",
    "FormSubmissionQuerySet",
    "MailStatus",
    "default_retention_days",
    "email_pattern",
]
