"""Redis away: pages are served uncached, forms accepted, the rate limit fails open (issue 9)."""

from django.core.cache import cache

import pytest

from forms.models import FormSubmission
from tests.test_forms import CONTACT, form_page, post, valid_data

pytestmark = pytest.mark.django_db

# What base.py makes of CACHE_URL=redis://…, pointed at a port where nothing listens.
DEAD_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.5},
    }
}


@pytest.fixture
def redis_away(settings):
    settings.CACHES = DEAD_REDIS
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    assert cache.get("anything") is None  # the cache answers "not cached" instead of raising
    yield


def test_pages_are_served_while_redis_is_away(client, vsop_content, redis_away):
    for path in ("/de/", form_page(CONTACT).url, "/en/"):
        response = client.get(path, follow=True)
        assert response.status_code == 200, path


def test_forms_are_accepted_while_redis_is_away(client, vsop_content, redis_away, settings, caplog):
    settings.FORMS_RATE_LIMIT = 1
    page = form_page(CONTACT)
    responses = [post(client, page, valid_data(page)) for _ in range(3)]

    assert [response.status_code for response in responses] == [200] * 3
    assert FormSubmission.objects.count() == 3
    assert "Form rate limit not enforced" in caplog.text
