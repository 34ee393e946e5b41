"""The form rate limit: a sliding window per client address, shared by every app server, failing open."""

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from django.core.cache import cache
from django.test import RequestFactory

import pytest

from bench.faults.harness import Redis
from forms.spam import SpamReason, check_rate_limit, client_address

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.FORMS_RATE_LIMIT = 5
    settings.FORMS_RATE_LIMIT_PERIOD = 60
    settings.TRUSTED_PROXIES = []
    cache.clear()
    yield
    cache.clear()


def request(remote="192.0.2.10", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/kontakt/", **extra)


def attempts(times, **kwargs):
    """Which attempts at these moments (seconds) pass."""
    return [not check_rate_limit(request(**kwargs), now=moment).blocked for moment in times]


def test_the_limit_holds_across_a_window_boundary():
    # Five at the end of one minute, five at the start of the next: a fixed window let all ten through.
    assert attempts([55, 56, 57, 58, 59]) == [True] * 5
    assert attempts([60.5, 61, 62, 63, 64]) == [False] * 5


def test_the_window_slides_and_frees_up_again():
    assert attempts([0, 1, 2, 3, 4]) == [True] * 5
    assert attempts([30]) == [False]  # half a minute later: still 5 in the last minute
    assert attempts([125, 126, 127, 128, 129]) == [True] * 5  # two quiet minutes later: a full allowance


def test_a_blocked_visitor_is_told_when_to_come_back():
    attempts([10, 11, 12, 13, 14])
    result = check_rate_limit(request(), now=15)
    assert result.reason == SpamReason.RATE_LIMITED
    assert 1 <= result.retry_after <= 120


def test_each_address_has_its_own_allowance():
    assert attempts([1, 2, 3, 4, 5]) == [True] * 5
    assert attempts([6], remote="192.0.2.11") == [True]


# Client address and trusted proxies


def test_a_forged_forwarded_header_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address(request(remote="203.0.113.9", forwarded="198.51.100.1")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_rightmost_untrusted_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # visitor (forging a first entry) → load balancer 10.0.0.5 → nginx on 127.0.0.1 → gunicorn
    assert client_address(request(remote="127.0.0.1", forwarded="1.2.3.4, 198.51.100.7, 10.0.0.5")) == "198.51.100.7"
    assert client_address(request(remote="127.0.0.1", forwarded="garbage, 198.51.100.7")) == "198.51.100.7"
    assert client_address(request(remote="127.0.0.1")) == "127.0.0.1"


def test_twenty_visitors_behind_one_proxy_each_get_their_own_allowance(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    accepted = sum(
        not check_rate_limit(request(remote="127.0.0.1", forwarded=f"198.51.100.{n}"), now=100).blocked
        for n in range(20)
    )
    assert accepted == 20  # before: all shared one bucket, 5 of 20


# When the cache fails


def test_the_limit_fails_open_with_a_log_line_when_the_cache_raises():
    with (
        mock.patch("forms.spam.cache.add", side_effect=ConnectionError("redis is away")),
        mock.patch("forms.spam.logger") as logger,
    ):
        assert attempts([1, 2, 3, 4, 5, 6, 7]) == [True] * 7
    assert "not enforced" in logger.warning.call_args.args[0]


def test_the_limit_fails_open_when_django_redis_swallows_the_error():
    # django-redis with IGNORE_EXCEPTIONS answers None instead of raising.
    with (
        mock.patch("forms.spam.cache.add", return_value=None),
        mock.patch("forms.spam.cache.incr", return_value=None),
        mock.patch("forms.spam.logger") as logger,
    ):
        assert attempts([1, 2, 3, 4, 5, 6, 7]) == [True] * 7
    assert logger.warning.called


# Two app servers sharing one Redis

COUNTER_SCRIPT = """
import json, os, sys
import django
django.setup()
from django.test import RequestFactory
from forms.spam import check_rate_limit
request = RequestFactory().post("/kontakt/", REMOTE_ADDR="192.0.2.44")
print(json.dumps([not check_rate_limit(request, now=float(sys.argv[1])).blocked for _ in range(15)]))
"""


@pytest.mark.slow_subprocess
def test_two_processes_sharing_redis_count_together(tmp_path):
    redis = Redis(tmp_path / "redis").start()
    try:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "vsop_cms.settings.dev",
            "CACHE_URL": redis.url(3),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            "FORMS_RATE_LIMIT": "5",
            "FORMS_RATE_LIMIT_PERIOD": "60",
        }
        workers = [
            subprocess.Popen(  # noqa: S603 (our own script, fixed arguments)
                [sys.executable, "-c", COUNTER_SCRIPT, "1000.0"],
                cwd=ROOT,
                env=environment,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        results = []
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err
            results += json.loads(out.strip().splitlines()[-1])
    finally:
        redis.stop()
    assert len(results) == 30
    assert sum(results) == 5  # before, with each process counting alone: 10 of 30
