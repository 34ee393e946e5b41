"""/healthz for load balancers: 200 when the database answers, 503 when not; JSON, no secrets."""

from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

import pytest

client = Client(raise_request_exception=False)


@pytest.mark.django_db
def test_healthy(django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert "Set-Cookie" not in response  # no session, no CSRF cookie


def test_database_down_is_503(monkeypatch):
    def refuse(self):
        raise OperationalError("password authentication failed for user vsop_secret_user")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
    assert b"vsop_secret_user" not in response.content  # the error stays in the log
    assert response["Retry-After"] == "30"


@pytest.mark.django_db
def test_cache_down_is_reported_but_not_fatal(settings):
    # A Redis nobody listens on: the pages keep working uncached, so the server stays in rotation.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


@pytest.mark.django_db
def test_only_get_and_head():
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200
