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
