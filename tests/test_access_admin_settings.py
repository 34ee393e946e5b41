"""The German admin's settings: no gravatar, autosave off, SQLite for concurrent writers, the site's address."""

import sqlite3

from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from wagtail.models import Site

import pytest

from core.content_loader import public_address


def test_no_third_party_avatars_and_no_autosave():
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert settings.WAGTAIL_AUTOSAVE_INTERVAL == 0
    assert settings.WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE is False


def test_sqlite_is_configured_for_concurrent_writers():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite options only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_wal_mode_lets_a_reader_in_while_a_writer_holds_the_lock(tmp_path):
    """What the settings buy, on a file database: a reader is not blocked by an open write."""
    path = tmp_path / "db.sqlite3"
    writer = sqlite3.connect(path, timeout=5, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE t (x)")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO t VALUES (1)")
    reader = sqlite3.connect(path, timeout=0.1)
    assert reader.execute("SELECT count(*) FROM t").fetchone() == (0,)
    writer.execute("COMMIT")
    assert reader.execute("SELECT count(*) FROM t").fetchone() == (1,)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.vsop.de", ("www.vsop.de", 443)),
        ("http://127.0.0.1:8000", ("127.0.0.1", 8000)),
        ("http://example.org/", ("example.org", 80)),
    ],
)
def test_public_address_from_the_base_url(url, expected):
    with override_settings(WAGTAILADMIN_BASE_URL=url):
        assert public_address() == expected


@pytest.mark.django_db
def test_the_loaded_site_carries_the_public_address(vsop_content):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == public_address() == ("testserver", 80)


def test_german_for_strings_wagtail_leaves_english():
    with translation.override("de"):
        assert gettext("Locales") == "Sprachen"
        assert gettext("Locale") == "Sprache"
        assert gettext("Submit to %(workflow_name)s") % {"workflow_name": "Freigabe"} == "Zur Freigabe einreichen"


@pytest.mark.django_db
def test_the_admin_loads_the_german_fix_for_the_translation_editor(admin_client):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "access/admin-de.js" in html
    assert "gravatar.com" not in html
