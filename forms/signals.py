"""Signals of the forms app.

``submission_stored`` is sent by ``FormPage.process_form_submission`` with
``submission=<FormSubmission>`` once the submission is stored. ``forms.emails``
connects its receiver (the e-mails) in ``FormsConfig.ready``, so the models never
import the modules that use them.
"""

from django.dispatch import Signal

submission_stored = Signal()
