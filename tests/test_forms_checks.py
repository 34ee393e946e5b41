"""The forms app's system checks: a half reCAPTCHA configuration and the retired proxy count are reported."""

from django.core import checks

import pytest

from forms.checks import recaptcha_settings_check, trusted_proxies_check


def ids(messages):
    return [message.id for message in messages]


def test_a_complete_or_absent_recaptcha_configuration_is_fine(settings):
    settings.RECAPTCHA_PUBLIC_KEY = settings.RECAPTCHA_PRIVATE_KEY = ""
    assert recaptcha_settings_check(None) == []
    settings.RECAPTCHA_PUBLIC_KEY, settings.RECAPTCHA_PRIVATE_KEY = "site-key", "secret-key"
    assert recaptcha_settings_check(None) == []


@pytest.mark.parametrize(("public", "private"), [("site-key", ""), ("", "secret-key")])
def test_one_recaptcha_key_alone_is_a_warning(settings, public, private):
    settings.RECAPTCHA_PUBLIC_KEY, settings.RECAPTCHA_PRIVATE_KEY = public, private
    [message] = recaptcha_settings_check(None)
    assert message.id == "forms.W001"
    assert message.level == checks.WARNING


def test_an_unknown_recaptcha_version_is_an_error(settings):
    settings.RECAPTCHA_VERSION = "v4"
    assert ids(recaptcha_settings_check(None)) == ["forms.E001"]


def test_the_retired_proxy_count_stops_the_start(settings, monkeypatch):
    monkeypatch.delenv("FORMS_TRUSTED_PROXIES", raising=False)
    assert trusted_proxies_check(None) == []
    monkeypatch.setenv("FORMS_TRUSTED_PROXIES", "1")
    [message] = trusted_proxies_check(None)
    assert message.id == "forms.E002"
    assert "TRUSTED_PROXIES" in message.hint


def test_the_checks_run_with_manage_py_check(settings):
    settings.RECAPTCHA_PUBLIC_KEY, settings.RECAPTCHA_PRIVATE_KEY = "site-key", ""
    assert "forms.W001" in ids(checks.run_checks(include_deployment_checks=False))
