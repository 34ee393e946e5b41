from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import translation

from wagtail.models import Locale, Page, Site

import pytest

from core.content_loader import ContentLoader
from home.models import HomePage
from outbox.delivery import Circuit, deliver_due
from tests.factories import HomePageFactory


@pytest.fixture(autouse=True)
def _fast_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language (German), whatever the one before activated."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a rolled-back test must not leave its pages,
    menu or content generation (core/page_cache.py) to the next one."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def locale_de(db):
    return Locale.objects.get_or_create(language_code="de")[0]


@pytest.fixture
def locale_en(db):
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def home_page(locale_de, locale_en):
    """A German HomePage as the root of the default site (the Wagtail welcome page removed)."""
    return make_empty_site(locale_de)


def make_empty_site(locale_de=None):
    """Removes the seeded tree and makes a bare German HomePage the default site's root."""
    locale_de = locale_de or Locale.objects.get_or_create(language_code="de")[0]
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    for child in root.get_children():
        Site.objects.filter(root_page=child).delete()
        child.delete()
    root.refresh_from_db()
    home = HomePageFactory(parent=root, locale=locale_de)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return home


def module_data(django_db_blocker, build):
    """Data a whole test module reads, built once in a transaction that is rolled back after it.

    Each test's own transaction nests inside as a savepoint, as with Django's
    ``setUpTestData``. In a module-scoped fixture: ``yield from module_data(django_db_blocker, build)``.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            data = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def ensure_tree_root():
    """Wagtail's migrations create the tree root; a transactional test's flush removes it."""
    if Page.get_first_root_node() is None:
        locale = Locale.objects.get_or_create(language_code="de")[0]
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


def load_seeded_site():
    ensure_tree_root()
    return ContentLoader().load()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the seeded site loaded once for the whole session.

    Every test runs inside a transaction that is rolled back, so each one starts from
    this state: the site `make run` loads (``vsop_content``). Tests that want an empty
    site use ``home_page``, which removes the seeded tree inside their transaction.
    """
    with django_db_blocker.unblock():
        load_seeded_site()


@pytest.fixture
def vsop_content(db):
    """The whole site as `make run` loads it from content/*.json (loaded once per session).

    A transactional test's flush empties the database; the site is then loaded again
    for that test.
    """
    if not HomePage.objects.exists():
        return load_seeded_site()
    return None


class DeliveredMail:
    """``mail.outbox`` after the outbox worker's run: what the registration mails look like once sent."""

    def _sent(self):
        Circuit.reset()
        deliver_due()
        return mail.outbox

    def __iter__(self):
        return iter(self._sent())

    def __len__(self):
        return len(self._sent())

    def __getitem__(self, index):
        return self._sent()[index]

    def __eq__(self, other):
        return list(self._sent()) == other

    __hash__ = None

    def clear(self):
        self._sent().clear()


@pytest.fixture
def sent_mail(mailoutbox):
    return DeliveredMail()
