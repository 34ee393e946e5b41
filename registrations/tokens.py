"""Personal links in registration mails, signed with ``SECRET_KEY``: one salt per purpose.

A token names one registration (by its random ``public_id``, never its row id) and one
purpose; a cancel token cannot confirm an address or show a status, and vice versa.
"""

import enum

from django.core import signing


class Purpose(enum.StrEnum):
    CONFIRM = "confirm"  # confirm the e-mail address (double opt-in)
    CANCEL = "cancel"  # cancel the registration
    STATUS = "status"  # the page shown right after registering


SALT_PREFIX = "vsop.registrations."


def make_token(registration, purpose):
    purpose = Purpose(purpose)
    return signing.dumps({"r": str(registration.public_id), "p": str(purpose)}, salt=SALT_PREFIX + purpose)


def read_token(token, purpose, max_age=None):
    """The registration a token names for ``purpose``, or None if it is forged, expired, or for another purpose."""
    from .models import Registration

    purpose = Purpose(purpose)
    try:
        data = signing.loads(token, salt=SALT_PREFIX + purpose, max_age=max_age)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("p") != purpose:
        return None
    return Registration.objects.select_related("event", "event__locale").filter(public_id=data.get("r")).first()
