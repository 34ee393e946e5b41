import os

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def recaptcha_settings_check(app_configs, **kwargs):
    """Half a reCAPTCHA configuration silently turns the spam check off; say so."""
    errors = []
    if bool(settings.RECAPTCHA_PUBLIC_KEY) != bool(settings.RECAPTCHA_PRIVATE_KEY):
        errors.append(
            checks.Warning(
                "Only one of RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY is set, so reCAPTCHA is off.",
                hint="Set both keys to turn reCAPTCHA on, or neither.",
                id="forms.W001",
            )
        )
    if settings.RECAPTCHA_VERSION not in ("v2", "v3"):
        errors.append(
            checks.Error(
                f"RECAPTCHA_VERSION is {settings.RECAPTCHA_VERSION!r}; it must be 'v2' or 'v3'.",
                id="forms.E001",
            )
        )
    return errors


@checks.register()
def trusted_proxies_check(app_configs, **kwargs):
    """The old proxy count is gone: a count alone let a forged X-Forwarded-For through."""
    if "FORMS_TRUSTED_PROXIES" in os.environ or hasattr(settings, "FORMS_TRUSTED_PROXIES"):
        return [
            checks.Error(
                "FORMS_TRUSTED_PROXIES (a number of proxies) is no longer read.",
                hint="Set TRUSTED_PROXIES to the addresses or networks of your reverse proxies, "
                "e.g. TRUSTED_PROXIES=127.0.0.1 behind nginx on the same machine.",
                id="forms.E002",
            )
        ]
    return []
