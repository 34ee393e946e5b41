"""make backup / make restore round trip on throwaway PostgreSQL databases and a media folder.

The databases are our own (``vsop_ops_backup_*`` on the server at BACKUP_TEST_SERVER, default
the local one at 127.0.0.1:5432) and are dropped afterwards; without a reachable server a
throwaway cluster is started (bench/faults/harness.py).
"""

import contextlib
import hashlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench" / "faults"))

pytestmark = pytest.mark.slow_subprocess

SERVER = os.environ.get("BACKUP_TEST_SERVER", "postgres://postgres@127.0.0.1:5432")


def connect(url):
    import psycopg2

    connection = psycopg2.connect(url, connect_timeout=3)
    connection.autocommit = True
    return connection


def sql(url, query, *params):
    connection = connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall() if cursor.description else None
    finally:
        connection.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A PostgreSQL server URL (without database) where we may create our own databases."""
    try:
        connect(SERVER + "/postgres").close()
        yield SERVER
        return
    except Exception:
        from harness import Postgres

        postgres = Postgres(tmp_path_factory.mktemp("backup-pg")).init().start()
        try:
            yield f"postgres://postgres@127.0.0.1:{postgres.port}"
        finally:
            postgres.stop("immediate")


@pytest.fixture
def databases(server):
    names = [f"vsop_ops_backup_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    for name in names:
        sql(server + "/postgres", f'CREATE DATABASE "{name}"')
    yield [f"{server}/{name}" for name in names]
    for name in names:
        with contextlib.suppress(Exception):
            sql(server + "/postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make(target, **env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("MAKE", "MFLAGS"))}
    environment.update(env)
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own Makefile
        ["make", "-s", target, *(f"{key}={value}" for key, value in env.items() if key in ("BACKUP", "BACKUP_DIR"))],  # noqa: S607
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def tree(folder):
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file()
    }


def rows(url):
    return sql(url, "SELECT id, title, body FROM site_page ORDER BY id")


def test_backup_and_restore_round_trip(databases, tmp_path):
    live, fresh = databases
    sql(live, "CREATE TABLE site_page (id serial PRIMARY KEY, title text NOT NULL, body jsonb)")
    sql(
        live,
        "INSERT INTO site_page (title, body) VALUES (%s, %s), (%s, %s)",
        "Familienarmut – Übersicht",
        '{"blocks": ["Größe", "€"]}',
        "Fachgruppe Alter und Pflege",
        "{}",
    )
    media = tmp_path / "media"
    (media / "original_images").mkdir(parents=True)
    (media / "original_images" / "logo-vsop.png").write_bytes(os.urandom(50_000))
    (media / "documents").mkdir()
    (media / "documents" / "Programm 2026 – Übersicht.pdf").write_bytes(b"%PDF-1.4 " + os.urandom(10_000))
    before_rows, before_media = rows(live), tree(media)
    backups = tmp_path / "backups"

    prefix = make("backup", DATABASE_URL=live, MEDIA_ROOT=str(media), BACKUP_DIR=str(backups)).strip().splitlines()[-1]
    assert Path(prefix + ".dump").stat().st_size > 0
    assert Path(prefix + "-media.tar.gz").stat().st_size > 0
    assert oct(Path(prefix + ".dump").stat().st_mode & 0o777) == "0o600"  # personal data: owner only
    assert Path(prefix).name.startswith("vsop-20")

    # Things go wrong after the backup: rows changed and deleted, files lost and added.
    sql(live, "UPDATE site_page SET title = 'kaputt' WHERE id = 1")
    sql(live, "DELETE FROM site_page WHERE id = 2")
    sql(live, "CREATE TABLE stray (id int)")
    (media / "original_images" / "logo-vsop.png").unlink()
    (media / "spam.txt").write_text("added later")

    make("restore", DATABASE_URL=live, MEDIA_ROOT=str(media), BACKUP=prefix)
    assert rows(live) == before_rows
    assert tree(media) == before_media
    asides = list(tmp_path.glob("media.before-restore-*"))
    assert len(asides) == 1 and (asides[0] / "spam.txt").exists()  # nothing thrown away

    # Disaster recovery: the same backup into an empty database on a new server.
    make("restore", DATABASE_URL=fresh, MEDIA_ROOT=str(tmp_path / "new-media"), BACKUP=prefix + ".dump")
    assert rows(fresh) == before_rows
    assert tree(tmp_path / "new-media") == before_media


def test_restore_refuses_a_missing_backup(tmp_path):
    result = subprocess.run(  # noqa: S603
        ["make", "-s", "restore", f"BACKUP={tmp_path}/vsop-nothing"],  # noqa: S607
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/none"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "no database dump" in result.stderr
