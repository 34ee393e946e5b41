"""The names a submission's data and columns use besides the fields editors define.

One place for them: the form builder reserves them, the spam checks read them from
the POST data, the submission model lists them as columns, the e-mails leave the
bookkeeping ones out. This module imports nothing, so every other one may use it.
"""

# Parts of every form (see ``forms.builder`` and ``forms.spam``).
CONSENT_FIELD = "privacy_consent"
CAPTCHA_FIELD = "captcha"
HONEYPOT_FIELD = "homepage_url"

# Columns of the submission list that are not form data.
SUBMIT_TIME = "submit_time"
NOTIFICATION_STATUS = "notification_status"
CONFIRMATION_STATUS = "confirmation_status"
BOOKKEEPING_COLUMNS = (SUBMIT_TIME, NOTIFICATION_STATUS, CONFIRMATION_STATUS)

# An editor's field may not take a name the form uses itself.
RESERVED_NAMES = frozenset({CONSENT_FIELD, CAPTCHA_FIELD, HONEYPOT_FIELD, *BOOKKEEPING_COLUMNS})

# Never stored with a submission: the reCAPTCHA token is checked and dropped.
NOT_STORED = frozenset({CAPTCHA_FIELD})
