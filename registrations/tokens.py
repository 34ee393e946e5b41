"""Personal links in registration mails, signed with ``SECRET_KEY``: one salt per purpose.

A token names one registration (by its random ``public_id``, never its row id) and one
purpose; a cancel token cannot confirm an address or show a status, and vice versa.
The signed value is base64url-encoded once more, because Wagtail serves only path
segments of letters, digits, ``-`` and ``_`` (the signature's ``:`` would not route).
"""

import base64
import binascii
import enum

from django.core import signing


class Purpose(enum.StrEnum):
    CONFIRM = "confirm"  # confirm the e-mail address (double opt-in)
    CANCEL = "cancel"  # cancel the registration
    STATUS = "status"  # the page shown right after registering


SALT_PREFIX = "vsop.registrations."


def make_token(registration, purpose):
    purpose = Purpose(purpose)
    signed = signing.dumps({"r": str(registration.public_id), "p": str(purpose)}, salt=SALT_PREFIX + purpose)
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def read_token(token, purpose, max_age=None):
    """The registration a token names for ``purpose``, or None if it is forged, expired, or for another purpose."""
    from .models import Registration

    purpose = Purpose(purpose)
    try:
        signed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        data = signing.loads(signed, salt=SALT_PREFIX + purpose, max_age=max_age)
    except (binascii.Error, UnicodeDecodeError, ValueError, signing.BadSignature):  # incl. SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("p") != purpose:
        return None
    return Registration.objects.select_related("event", "event__locale").filter(public_id=data.get("r")).first()
