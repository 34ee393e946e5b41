"""Real-browser tests: Playwright drives Debian's Chromium, axe-core checks WCAG 2.2 A/AA.

Never downloads a browser. Without Chromium the tests skip with the install hint,
except in CI (``CI`` set), where a missing browser is an error.
"""

import os
import shutil
from contextlib import ExitStack
from pathlib import Path

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread
from django.test.utils import modify_settings

import pytest

# Playwright's sync API runs an event loop in this thread; the Django ORM calls made by
# the test itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SCREENSHOT_DIR = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "screenshots"


class _SerialWSGIServer(WSGIServer):
    """One request at a time on the test's own database connection, never closing it."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


class _SharedTransactionServerThread(LiveServerThread):
    server_class = _SerialWSGIServer


class SharedTransactionLiveServer:
    """A live server that sees the test's uncommitted data and whose writes are rolled back.

    pytest-django's own ``live_server`` needs a transactional test: every test commits and
    the database is flushed afterwards, which would throw away the session's seeded site.
    This one hands the test's connection to the server thread (as Django does for
    in-memory SQLite, here for PostgreSQL too) and serves requests one by one, so the
    browser reads and writes inside the test's transaction.
    """

    def __init__(self):
        self._stack = ExitStack()
        shared = {alias: connections[alias] for alias in connections}
        for conn in shared.values():
            conn.ensure_connection()
            conn.inc_thread_sharing()
            # Django closes "obsolete" connections at the start and end of each request;
            # inside the test's transaction that would break it, so the server keeps it.
            self._stack.callback(conn.dec_thread_sharing)
            for name in ("close", "close_if_unusable_or_obsolete"):
                setattr(conn, name, _keep_open)
                self._stack.callback(delattr, conn, name)
        self.thread = _SharedTransactionServerThread("localhost", StaticFilesHandler, connections_override=shared)
        self.thread.daemon = True
        self._allowed_hosts = modify_settings(ALLOWED_HOSTS={"append": "localhost"})
        self._allowed_hosts.enable()
        self._stack.callback(self._allowed_hosts.disable)
        self.thread.start()
        self.thread.is_ready.wait()
        if self.thread.error:
            self.stop()
            raise self.thread.error

    def stop(self):
        self.thread.terminate()
        self._stack.close()

    @property
    def url(self):
        return f"http://{self.thread.host}:{self.thread.port}"

    def __str__(self):
        return self.url


def _keep_open(*args, **kwargs):
    return None


@pytest.fixture
def live_site(db):
    """The site served over HTTP to the browser, inside the test's transaction.

    Named apart from pytest-django's ``live_server``, which pytest-django always makes
    transactional (and so flushes the seeded site after each test).
    """
    server = SharedTransactionLiveServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "Chromium is not installed; install it with `sudo apt-get install chromium` to run browser tests."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def axe():
    """Runs axe-core on the page and fails with a readable list of violations."""
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def check(page, context_name=""):
        results = checker.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = results.response["violations"]
        details = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in violations
        )
        assert not violations, f"axe-core found WCAG violations on {context_name or page.url}:\n{details}"
        return results

    return check
