"""Production settings: secure by default, fail loudly when a secret is missing."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for this process; a server must not inherit it.
    ignored = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in ignored}
    environment["CACHE_URL"] = "redis://127.0.0.1:9/0"  # a shared cache, as production requires
    environment.update(env, DJANGO_SETTINGS_MODULE="vsop_cms.settings.production")
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow_subprocess
def test_check_deploy_reports_nothing_with_a_complete_environment():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-long-random-production-key-" + "x" * 40,
        ALLOWED_HOSTS="www.vsop.de",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow_subprocess
def test_production_refuses_to_start_without_secret_key():
    result = manage("check", ALLOWED_HOSTS="www.vsop.de")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


@pytest.mark.slow_subprocess
def test_production_refuses_a_cache_of_its_own_per_process():
    secrets = {"SECRET_KEY": "a-long-random-production-key-" + "x" * 40, "ALLOWED_HOSTS": "www.vsop.de"}
    result = manage("check", CACHE_URL="locmemcache://vsop", **secrets)
    assert result.returncode != 0
    assert "CACHE_URL must name a cache all app servers share" in result.stderr
    assert manage("check", CACHE_URL="dbcache://vsop_cache", **secrets).returncode == 0


@pytest.mark.slow_subprocess
def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", SECRET_KEY="a-long-random-production-key-" + "x" * 40)
    assert result.returncode != 0
    assert "Set the ALLOWED_HOSTS environment variable" in result.stderr


REPORTING_PROBE = (
    "import django, json, sentry_sdk; django.setup(); from django.conf import settings; "
    "print(json.dumps({'admins': settings.ADMINS, 'handlers': settings.LOGGING['loggers']['django']['handlers'], "
    "'dsn': str(sentry_sdk.get_client().dsn or ''), 'pii': sentry_sdk.get_client().options['send_default_pii']}))"
)


@pytest.mark.slow_subprocess
def test_errors_are_reported_to_admins_and_sentry_when_configured():
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment.update(
        DJANGO_SETTINGS_MODULE="vsop_cms.settings.dev",
        ADMINS="Technik <technik@vsop.example>",
        SENTRY_DSN="https://public@127.0.0.1:9/1",  # never contacted: nothing is reported here
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", REPORTING_PROBE], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    reported = json.loads(result.stdout.strip().splitlines()[-1])
    assert reported["admins"] == [["Technik", "technik@vsop.example"]]
    assert "mail_admins" in reported["handlers"]
    assert reported["dsn"] == "https://public@127.0.0.1:9/1"
    assert reported["pii"] is False
