"""100 simultaneous registrations for 20 places: exactly 20 places, 80 waiting, on SQLite and PostgreSQL.

Each registration runs in its own thread with its own database connection, so the
lock in ``registrations.services`` is what keeps the count right. On PostgreSQL the
threads use the test database; on SQLite the committed test database is copied to a
file (the in-memory test database cannot be shared between connections that write),
and the run is repeated with SQLite's default deferred transactions to show that the
lock row alone serialises the counting.
"""

import datetime
import sqlite3
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, connections
from django.utils import timezone

import pytest

from outbox.models import OutboxMessage
from registrations import services
from registrations.models import Registration
from tests.factories import EventPageFactory, EventSeriesPageFactory

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 100
PLACES = 20
EXPECTED = {
    "registered": PLACES,
    "waiting": PEOPLE - PLACES,
    "total": PEOPLE,
    "emails": PEOPLE,
    "queued mails": PEOPLE,
}


def register_all(page, workers):
    start = threading.Barrier(workers)
    errors = []

    def one(n):
        try:
            if n < workers:
                start.wait(timeout=30)  # the first wave starts at the same moment
            services.register(page, name=f"Person {n}", email=f"person{n}@example.org", language="de")
        except Exception:  # collected and reported below
            errors.append(traceback.format_exc()[-1500:])
        finally:
            connections["default"].close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, range(PEOPLE)))
    return errors


def counts(page):
    """Read in a fresh thread, so it sees what the threads committed (also in the SQLite file)."""
    result = {}

    def read():
        try:
            registrations = Registration.objects.for_event(page)
            result["registered"] = registrations.holding_places().count()
            result["waiting"] = registrations.waiting().count()
            result["total"] = registrations.count()
            result["emails"] = len(set(registrations.values_list("email", flat=True)))
            result["queued mails"] = OutboxMessage.objects.filter(key__startswith="registration:").count()
        finally:
            connections["default"].close()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    return result


@pytest.fixture
def event(home_page):
    series = EventSeriesPageFactory(parent=home_page)
    return EventPageFactory(
        parent=series,
        start=timezone.now() + datetime.timedelta(days=7),
        registration_enabled=True,
        registration_capacity=PLACES,
        registration_double_opt_in=False,
    )


@pytest.fixture
def sqlite_file_database(tmp_path):
    """Points new connections at a file copy of the (committed) in-memory test database."""
    settings_dict = connections.settings["default"]
    saved = settings_dict["NAME"], dict(settings_dict.get("OPTIONS", {}))

    def copy(transaction_mode):
        path = tmp_path / f"{transaction_mode}.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        # As on a server: the file is in WAL mode before the connections open it.
        target.execute("PRAGMA journal_mode=WAL")
        target.close()
        settings_dict["NAME"] = str(path)
        options = {**saved[1], "timeout": 30}
        if transaction_mode == "DEFERRED":
            options.pop("transaction_mode", None)
        else:
            options["transaction_mode"] = transaction_mode
        settings_dict["OPTIONS"] = options

    yield copy
    settings_dict["NAME"], settings_dict["OPTIONS"] = saved


def test_100_simultaneous_registrations_for_20_places(event, request):
    if connection.vendor == "sqlite":
        copy = request.getfixturevalue("sqlite_file_database")
        for mode in ("DEFERRED", "IMMEDIATE"):
            copy(mode)
            errors = register_all(event, workers=PEOPLE)
            assert errors == []
            assert counts(event) == EXPECTED
    else:
        # A pool of connections well below max_connections, all writing at once.
        errors = register_all(event, workers=20)
        assert errors == []
        assert counts(event) == EXPECTED
