"""How stored form values read for people: in the submission list, exports and e-mails."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext


def format_value(value):
    """A stored value as text: consents spelled out, several choices joined by commas."""
    if isinstance(value, dict) and "accepted" in value:
        return format_consent(value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return value


def format_consent(consent):
    """``yes (25.11.2026 15:30): „<the text agreed to>“``."""
    answer = gettext("yes") if consent.get("accepted") else gettext("no")
    try:
        moment = date_format(
            timezone.localtime(datetime.datetime.fromisoformat(consent["time"])), "SHORT_DATETIME_FORMAT"
        )
    except (KeyError, TypeError, ValueError):
        moment = consent.get("time", "")
    return f"{answer} ({moment}): „{consent.get('text', '')}“"
