"""German for interface strings that Wagtail's and wagtail-localize's catalogues leave English.

The strings are listed here so ``makemessages`` keeps them in ``access/locale/de``; the
access app comes first in INSTALLED_APPS, so its catalogue wins over theirs.
"""

from django.utils.translation import gettext_noop

OVERRIDES = [
    gettext_noop("Locale"),  # Wagtail: "Locale"
    gettext_noop("Locales"),  # wagtail-localize: "Locale"
    gettext_noop("Submit to %(workflow_name)s"),  # "In Freigabe einreichen" → "Zur Freigabe einreichen"
]
