"""Keeps e-mail addresses out of the HTML that harvesters read.

An address becomes a link to ``/e/<token>/`` whose visible text reads
``name (at) domain``; the token is signed and the address inside it is masked with
a key derived from ``SECRET_KEY``, so neither the text nor the link contains it.
The view behind the link answers with a redirect to ``mailto:``, so a visitor
still writes with one click and without JavaScript.
"""

import hashlib
import re

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

EMAIL_SALT = "core.email_protection"
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MAILTO_LINK_RE = re.compile(
    r"<a\b[^>]*?href=[\"']mailto:([^\"'?]+)[^\"']*[\"'][^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL
)
TAG_RE = re.compile(r"(<[^>]+>)")


def _mask(data: bytes) -> bytes:
    key = hashlib.sha256((settings.SECRET_KEY + EMAIL_SALT).encode()).digest()
    return bytes(byte ^ key[index % len(key)] for index, byte in enumerate(data))


def make_token(address):
    return signing.dumps(_mask(address.encode()).hex(), salt=EMAIL_SALT, compress=False)


def read_token(token):
    """The address in a token; raises ``signing.BadSignature`` for a forged one."""
    masked = signing.loads(token, salt=EMAIL_SALT)
    try:
        return _mask(bytes.fromhex(masked)).decode()
    except (ValueError, UnicodeDecodeError) as error:
        raise signing.BadSignature("Malformed address token") from error


def obfuscated_text(address):
    local, _, domain = address.partition("@")
    return f"{local} (at) {domain}"


def protected_link(address, text=None):
    """A link that leads to ``address`` without containing it."""
    return format_html(
        '<a class="protected-email" href="{}" rel="nofollow">{}</a>',
        reverse("email_redirect", args=[make_token(address)]),
        text or obfuscated_text(address),
    )


def protect_emails(html):
    """Replaces every address in an HTML fragment, in ``mailto:`` links and in text."""

    def replace_link(match):
        address, inner = match.group(1), match.group(2)
        text = EMAIL_RE.sub(lambda m: obfuscated_text(m.group(0)), inner)
        return protected_link(address, mark_safe(text))  # noqa: S308 - inner HTML comes from rich text

    html = MAILTO_LINK_RE.sub(replace_link, str(html))
    parts = TAG_RE.split(html)
    for index, part in enumerate(parts):
        if part.startswith("<"):
            continue
        parts[index] = EMAIL_RE.sub(lambda m: protected_link(m.group(0)), part)
    return mark_safe("".join(parts))  # noqa: S308 - input was safe HTML, output only adds escaped links


__all__ = ["make_token", "protect_emails", "protected_link", "read_token"]
