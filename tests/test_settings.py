"""Production settings: secure by default, fail loudly when a secret is missing."""

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
def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", SECRET_KEY="a-long-random-production-key-" + "x" * 40)
    assert result.returncode != 0
    assert "Set the ALLOWED_HOSTS environment variable" in result.stderr
