"""The full-page cache: what is served from it, what never is, and what invalidates it.

The cache is a throwaway ``redis-server`` on a free port (never the system's Redis),
shared by this test process and, for the cross-process tests, a second Python process
that runs the page cache middleware against the same Redis.
"""

import datetime
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Locale, Page

import pytest

from core import page_cache
from home.models import SiteSettings
from tests.factories import EventPageFactory, PersonFactory, TopicIndexPageFactory, TopicPageFactory
from topics.models import PageAuthor

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is needed for the page cache tests (apt-get install redis-server)")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(  # noqa: S603 - a fixed local binary
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def shared_cache(settings, redis_url):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    settings.PAGE_CACHE_ENABLED = True
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response


def cached(client, url):
    """Request the page until it comes from the cache; returns the cached response."""
    get(client, url)
    response = get(client, url)
    assert response.get("X-Page-Cache") == "hit", url
    return response


@pytest.fixture
def site(vsop_content, shared_cache):
    return vsop_content


def german(title):
    return Page.objects.get(title=title, locale__language_code="de").specific


def english_of(page):
    return page.get_translation(Locale.objects.get(language_code="en")).specific


# What is served from the cache


def test_anonymous_pages_come_from_the_cache_without_a_query(site):
    client = Client()
    first = get(client, "/de/themen/")
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = get(client, "/de/themen/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert len(queries.captured_queries) == 0
    assert "Set-Cookie" not in second


def test_search_results_are_never_cached(site):
    client = Client()
    for _ in range(2):
        response = get(client, "/de/suche/?q=Familie")
        assert "X-Page-Cache" not in response


def test_pages_with_a_form_are_never_cached(site):
    client = Client()
    for url in ("/de/kontakt/", "/de/fachgruppen/alter-und-pflege/"):  # a form page, a page embedding a form
        for _ in range(2):
            response = get(client, url)
            assert "X-Page-Cache" not in response, url
            assert b"csrfmiddlewaretoken" in response.content


def test_a_csrf_token_still_validates_after_cache_hits_elsewhere(site):
    visitor = Client(enforce_csrf_checks=True)
    other = Client(enforce_csrf_checks=True)
    form = german("Kontakt")
    page = visitor.get(form.url)
    token = page.context["csrf_token"]
    cookie = visitor.cookies["csrftoken"].value
    # Cached pages are served to both, neither gets (or loses) a token cookie.
    cached(other, "/de/themen/")
    hit = get(visitor, "/de/themen/")
    assert hit["X-Page-Cache"] == "hit"
    assert "csrftoken" not in hit.cookies
    assert visitor.cookies["csrftoken"].value == cookie
    data = {field.clean_name: "Erika Mustermann" for field in form.form_fields.all()}
    data.update({f.clean_name: "erika@example.org" for f in form.form_fields.all() if f.field_type == "email"})
    data.update({"privacy_consent": "on", "csrfmiddlewaretoken": str(token)})
    response = visitor.post(form.url, data)
    # Accepted (the thank-you page or its redirect), not refused with 403 "CSRF verification failed".
    assert response.status_code in (200, 302, 303), response.status_code


def test_a_logged_in_editor_never_gets_a_cached_page_and_never_fills_the_cache(site):
    editor = Client()
    editor.force_login(User.objects.create_superuser("redakteur", "r@example.org", "pw"))
    anonymous = Client()
    cached(anonymous, "/de/")
    # The editor gets a fresh page (with the user bar) although an anonymous copy is cached.
    response = get(editor, "/de/")
    assert "X-Page-Cache" not in response
    # The editor's own page is not stored for anyone.
    get(editor, "/de/themen/")
    response = get(Client(), "/de/themen/")
    assert response["X-Page-Cache"] == "miss"
    assert b"wagtail-userbar" not in response.content


def test_messages_and_sessions_bypass_the_cache(site):
    client = Client()
    cached(client, "/de/themen/")
    client.cookies["messages"] = "x"
    assert "X-Page-Cache" not in get(client, "/de/themen/")


# Invalidation: every event makes the pages that show the change render again


def test_publishing_in_german_invalidates_the_english_home_teaser(site):
    client = Client()
    series = Page.objects.get(url_path__endswith="/programmreihe-2021/", locale__language_code="de").specific
    event = EventPageFactory(
        parent=series, title="Symposium", slug="symposium", start=timezone.now() + datetime.timedelta(days=3)
    )
    english_event = event.copy_for_translation(Locale.objects.get(language_code="en"))
    english_event.title = "Symposium EN"
    english_event.save_revision().publish()
    before = cached(client, "/en/")
    assert b"Symposium EN" in before.content
    # German publish with a new date; the English translation is synchronised and published.
    english_event.start = timezone.now() + datetime.timedelta(days=40)
    english_event.end = english_event.start + datetime.timedelta(hours=2)
    english_event.title = "Symposium in spring"
    english_event.save_revision().publish()
    event.save_revision().publish()
    after = get(client, "/en/")
    assert after["X-Page-Cache"] == "miss"
    assert b"Symposium in spring" in after.content


def test_publish_updates_the_index_the_menu_and_the_other_language(site):
    client = Client()
    topic = german("Familienarmut und Sozialplanung")
    cached(client, "/de/themen/")
    cached(client, "/en/topics/family-poverty/")
    topic.title = "Familienarmut neu"
    topic.save_revision().publish()
    assert b"Familienarmut neu" in get(client, "/de/themen/").content
    assert get(client, "/en/topics/family-poverty/")["X-Page-Cache"] == "miss"


def test_unpublish_removes_the_page_from_its_index_and_the_menu(site):
    client = Client()
    index = german("Themen")
    assert b'href="/de/themen/"' in cached(client, "/de/").content
    cached(client, "/de/themen/")
    index.unpublish()
    assert b'href="/de/themen/"' not in get(client, "/de/").content
    assert client.get("/de/themen/").status_code == 404


def test_move_updates_the_old_and_the_new_parent(site):
    client = Client()
    index = german("Themen")
    other = TopicIndexPageFactory(parent=index.get_parent(), title="Archiv", slug="archiv")
    extra = TopicPageFactory(parent=index, title="Wohnungslosigkeit", slug="wohnungslosigkeit")
    assert b"Wohnungslosigkeit" in cached(client, "/de/themen/").content
    cached(client, other.url)
    extra.move(other, pos="last-child")
    assert b"Wohnungslosigkeit" not in get(client, "/de/themen/").content
    assert b"Wohnungslosigkeit" in get(client, other.url).content


def test_delete_removes_the_page_from_its_index(site):
    client = Client()
    index = german("Themen")
    extra = TopicPageFactory(parent=index, title="Kinderarmut", slug="kinderarmut")
    assert b"Kinderarmut" in cached(client, "/de/themen/").content
    extra.delete()
    assert b"Kinderarmut" not in get(client, "/de/themen/").content


def test_translation_publish_updates_the_language_switcher(site):
    client = Client()
    index = german("Themen")
    page = TopicPageFactory(parent=index, title="Pflege", slug="pflege")
    german_page = cached(client, page.url)
    assert b"/en/topics/pflege/" not in german_page.content
    english = page.copy_for_translation(Locale.objects.get(language_code="en"))
    english.save_revision().publish()
    assert english.url.encode() in get(client, page.url).content


def test_snippet_change_updates_the_pages_that_show_it(site):
    client = Client()
    topic = german("Familienarmut und Sozialplanung")
    person = PersonFactory(name="Hanna Beispiel")
    PageAuthor.objects.create(page=topic, person=person)
    assert b"Hanna Beispiel" in get(client, topic.url).content
    cached(client, topic.url)
    person.name = "Hanna Neu"
    person.save()
    assert b"Hanna Neu" in get(client, topic.url).content


def test_site_settings_change_updates_every_footer(site):
    client = Client()
    cached(client, "/de/")
    cached(client, "/de/themen/")
    settings_obj = SiteSettings.objects.get(locale__language_code="de")
    settings_obj.tagline = "Neue Zeile im Kopf"
    settings_obj.save()
    for url in ("/de/", "/de/themen/"):
        assert b"Neue Zeile im Kopf" in get(client, url).content, url


# Two app processes sharing one Redis

SECOND_PROCESS = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, os.environ["ROOT"])
    os.environ["DJANGO_SETTINGS_MODULE"] = "vsop_cms.settings.test"
    import django
    from django.conf import settings
    django.setup()
    backend = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": os.environ["REDIS"]}}
    settings.PAGE_CACHE_ENABLED = True
    from django.http import HttpResponse
    from django.test import RequestFactory
    from core import memo, page_cache
    action, path = sys.argv[1], sys.argv[2]
    if action == "bump":
        page_cache.bump_generation()
        print("bumped")
    else:
        # This process has no database: a miss answers "rendered here", a hit replays the other's page.
        inner = page_cache.PageCacheMiddleware(lambda request: HttpResponse("rendered here"))
        middleware = memo.RequestMemoMiddleware(inner)
        response = middleware(RequestFactory().get(path, HTTP_HOST="testserver"))
        print(response.get("X-Page-Cache", "none"), response.content.decode()[:20000].count("Familienarmut") > 0)
    """
)


def second_process(redis_url, action, path="/"):
    env = {**os.environ, "ROOT": str(ROOT), "REDIS": redis_url}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SECOND_PROCESS, action, path], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


def test_a_page_cached_here_is_served_there_and_a_publish_here_invalidates_it_there(site, redis_url):
    client = Client()
    cached(client, "/de/themen/")
    assert second_process(redis_url, "get", "/de/themen/") == "hit True"
    topic = german("Familienarmut und Sozialplanung")
    topic.save_revision().publish()
    assert second_process(redis_url, "get", "/de/themen/") == "none False"


def test_a_change_there_invalidates_the_pages_cached_here(site, redis_url):
    client = Client()
    cached(client, "/de/themen/")
    assert second_process(redis_url, "bump") == "bumped"
    assert get(client, "/de/themen/")["X-Page-Cache"] == "miss"


# A cache that fails


class BrokenCache:
    """Every call fails, like a Redis that went away."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_a_failing_cache_serves_pages_uncached(site, monkeypatch):
    monkeypatch.setattr(page_cache, "_cache", BrokenCache)
    client = Client()
    for url in ("/de/", "/de/themen/", "/en/topics/family-poverty/", "/de/kontakt/"):
        for _ in range(2):
            response = get(client, url)
            assert "X-Page-Cache" not in response
    assert b"Familienarmut" in get(client, "/de/themen/").content
    page_cache.bump_generation()  # a publish while the cache is down does not fail
