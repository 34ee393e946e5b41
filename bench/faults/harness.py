"""Throwaway services for the fault scripts: PostgreSQL, Redis, an SMTP sink, the app and its mail worker.

Everything listens on 127.0.0.1 on a free port, lives in a temporary folder and is
stopped again; the system PostgreSQL (5432) and Redis (6379) are never touched.

    with Stack() as stack:            # PostgreSQL + Redis + SMTP sink, a migrated database with the seeded site
        stack.start_app(workers=2)    # gunicorn with the production settings
        stack.start_worker()          # manage.py db_worker for the mail outbox
        visitor = Visitor(stack.app_url, address="10.1.0.7")
        visitor.submit_form(stack.form_path, email="a@example.org")
        stack.redis.stop(); …; stack.redis.start()
        stack.smtp.mode = "hang"

The tools are found on PATH, through ``pg_config --bindir`` or in
``/usr/lib/postgresql/*/bin`` (initdb, pg_ctl) and on PATH (redis-server). As root,
PostgreSQL runs as the ``postgres`` user (initdb refuses root).

The migrated and seeded database is built once per process and copied for every
``Stack`` (``CREATE DATABASE … TEMPLATE``), so a second stack starts in seconds.
"""

import asyncio
import atexit
import contextlib
import glob
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
LOCALHOST = "127.0.0.1"


class HarnessError(RuntimeError):
    pass


# Ports and processes


def free_port():
    """A TCP port nobody listens on right now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOCALHOST, 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=30.0, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise HarnessError(f"process {process.args!r} exited with {process.returncode} before port {port} opened")
        with contextlib.suppress(OSError), socket.create_connection((LOCALHOST, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise HarnessError(f"nothing listens on port {port} after {timeout} s")


def stop_process(process, timeout=10.0, sig=signal.SIGTERM):
    """Stops one process we started (by its own id), politely first."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(sig)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait(5)


# PostgreSQL


def pg_bindir():
    """The folder holding initdb and pg_ctl."""
    candidates = []
    if found := shutil.which("pg_ctl"):
        candidates.append(Path(found).resolve().parent)
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        candidates.append(Path(subprocess.check_output(["pg_config", "--bindir"], text=True).strip()))
    candidates += [Path(path) for path in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    raise HarnessError("initdb/pg_ctl not found (install PostgreSQL's server package, e.g. postgresql-15)")


class Postgres:
    """A PostgreSQL cluster of our own: ``initdb`` into a temporary folder, ``pg_ctl`` on a free port."""

    def __init__(self, root):
        self.root = Path(root)
        self.port = free_port()
        self.datadir = self.root / "pgdata"
        self.sockdir = self.root / "pgsock"
        self.logfile = self.root / "postgres.log"
        self.bindir = pg_bindir()
        self.as_postgres = os.geteuid() == 0

    def _run(self, *args, check=True):
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def init(self):
        for folder in (self.root, self.sockdir):
            folder.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            subprocess.run(["chown", "-R", "postgres", str(self.root)], check=True)
            # mkdtemp makes the stack's folder 0700: the postgres user must be able to pass through it.
            for parent in self.root.parents:
                if parent == Path(tempfile.gettempdir()) or parent == parent.parent:
                    break
                parent.chmod(parent.stat().st_mode | 0o011)
        self._run("initdb", "-D", str(self.datadir), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        return self

    def start(self):
        options = (
            f"-p {self.port} -h {LOCALHOST} -k {self.sockdir} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=100"
        )
        self._run("pg_ctl", "-D", str(self.datadir), "-l", str(self.logfile), "-o", options, "-w", "-t", "60", "start")
        return self

    def stop(self, mode="fast"):
        """``fast`` disconnects everyone and stops; ``immediate`` is a crash."""
        self._run("pg_ctl", "-D", str(self.datadir), "-m", mode, "-w", "-t", "60", "stop", check=False)

    @property
    def running(self):
        return self._run("pg_ctl", "-D", str(self.datadir), "status", check=False).returncode == 0

    def url(self, database="postgres"):
        return f"postgres://postgres@{LOCALHOST}:{self.port}/{database}"

    def execute(self, sql, database="postgres", params=None):
        import psycopg2

        connection = psycopg2.connect(host=LOCALHOST, port=self.port, user="postgres", dbname=database)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else None
        finally:
            connection.close()

    def create_database(self, name, template=None):
        self.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)


# Redis


class Redis:
    """``redis-server`` on a free port, keeping nothing on disk; stop and start it again on the same port."""

    def __init__(self, root):
        self.root = Path(root)
        self.port = free_port()
        self.process = None
        if not shutil.which("redis-server"):
            raise HarnessError("redis-server not found (install Debian's redis-server package)")

    def start(self):
        self.root.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", LOCALHOST, "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.root), "--logfile", str(self.root / "redis.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, process=self.process)
        return self

    def stop(self):
        stop_process(self.process)
        self.process = None

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def url(self, database=0):
        return f"redis://{LOCALHOST}:{self.port}/{database}"


# SMTP sink


class SmtpSink:
    """A small SMTP server (asyncio, in a thread) that records what it receives.

    ``mode`` changes what the next connection meets:
    ``accept``: a working server; ``refuse``: the port is closed (connection refused);
    ``tempfail``: greets with ``421`` (service not available); ``hang``: accepts the
    connection and never says a word; ``hang_after_data``: takes the whole message
    (it counts as received) and never confirms it, as a server that dies mid-send.
    """

    def __init__(self):
        self.port = free_port()
        self.messages = []  # (envelope recipients, raw message bytes)
        self.lock = threading.Lock()
        self._mode = "accept"
        self._loop = asyncio.new_event_loop()
        self._server = None
        self._thread = threading.Thread(target=self._loop.run_forever, name="smtp-sink", daemon=True)
        self._hanging = []

    # Life cycle

    def start(self):
        self._thread.start()
        self._call(self._listen())
        return self

    def close(self):
        self._call(self._close_listener())
        for writer in self._hanging:
            self._loop.call_soon_threadsafe(writer.close)
        self._call(self._cancel_sessions())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    @property
    def mode(self):
        return self._mode

    @mode.setter
    def mode(self, mode):
        assert mode in ("accept", "refuse", "tempfail", "hang", "hang_after_data"), mode
        previous, self._mode = self._mode, mode
        if mode == "refuse" and previous != "refuse":
            self._call(self._close_listener())
        elif mode != "refuse" and previous == "refuse":
            self._call(self._listen())
        if mode not in ("hang", "hang_after_data"):
            for writer in self._hanging:
                self._loop.call_soon_threadsafe(writer.close)
            self._hanging = []

    # What arrived

    def message_ids(self, marker=None):
        """The Message-IDs received, in order; with ``marker``, only of messages containing it (e.g. a domain)."""
        with self.lock:
            raws = [raw for _recipients, raw in self.messages]
        if marker is not None:
            raws = [raw for raw in raws if marker.encode() in raw]
        ids = []
        for raw in raws:
            match = re.search(rb"^Message-ID:\s*(<[^>]+>)", raw, re.IGNORECASE | re.MULTILINE)
            ids.append(match.group(1).decode() if match else None)
        return ids

    def count(self):
        with self.lock:
            return len(self.messages)

    # Internals

    def _call(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(10)

    async def _listen(self):
        self._server = await asyncio.start_server(self._session, LOCALHOST, self.port, reuse_address=True)

    async def _cancel_sessions(self):
        for task in asyncio.all_tasks():
            if task is not asyncio.current_task():
                task.cancel()

    async def _close_listener(self):
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _session(self, reader, writer):
        if self._mode == "hang":
            self._hanging.append(writer)
            return
        if self._mode == "tempfail":
            writer.write(b"421 sink.test Service not available\r\n")
            await writer.drain()
            writer.close()
            return
        try:
            await self._dialogue(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def _dialogue(self, reader, writer):
        async def reply(line):
            writer.write(line.encode() + b"\r\n")
            await writer.drain()

        await reply("220 sink.test ESMTP")
        recipients = []
        while True:
            line = await reader.readline()
            if not line:
                return
            verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                await reply("250-sink.test\r\n250 8BITMIME" if verb == "EHLO" else "250 sink.test")
            elif verb == "MAIL":
                recipients = []
                await reply("250 OK")
            elif verb == "RCPT":
                recipients.append(line.decode().split(":", 1)[1].strip())
                await reply("250 OK")
            elif verb == "DATA":
                await reply("354 End data with <CR><LF>.<CR><LF>")
                data = await reader.readuntil(b"\r\n.\r\n")
                with self.lock:
                    self.messages.append((recipients, data))
                if self._mode == "hang_after_data":
                    self._hanging.append(writer)
                    await asyncio.sleep(3600)
                await reply("250 OK queued")
            elif verb == "RSET":
                recipients = []
                await reply("250 OK")
            elif verb == "NOOP":
                await reply("250 OK")
            elif verb == "QUIT":
                await reply("221 Bye")
                return
            else:
                await reply("502 Command not implemented")


# The app


def app_environment(database_url, cache_url, smtp_port, **extra):
    """The production settings against the throwaway services, plain HTTP on 127.0.0.1."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_", "EMAIL_", "PYTEST"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "vsop_cms.settings.production",
            "SECRET_KEY": "fault-harness-" + uuid.uuid4().hex,
            "ALLOWED_HOSTS": f"{LOCALHOST},localhost",
            "DATABASE_URL": database_url,
            "CONN_MAX_AGE": "0",
            "CACHE_URL": cache_url,
            "EMAIL_URL": f"smtp://{LOCALHOST}:{smtp_port}",
            "EMAIL_TIMEOUT": "2",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "TRUSTED_PROXIES": "127.0.0.1",
            "FORMS_RATE_LIMIT": "5",
            "OUTBOX_RETRY_BASE_SECONDS": "1",
            "OUTBOX_RETRY_MAX_SECONDS": "3",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    environment.update({key: str(value) for key, value in extra.items()})
    return environment


def manage(environment, *args, timeout=600):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=REPO, env=environment, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode:
        raise HarnessError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# What the seeded site needs for the fault scripts: staff address, confirmations on;
# prints the contact form's address and fields as JSON.
SEED_SCRIPT = """
import json
from forms.models import FormPage
from home.models import SiteSettings
SiteSettings.objects.update(contact_email="team@vsop.example")
FormPage.objects.update(send_confirmation=True)
page = FormPage.objects.get(title="Kontakt", locale__language_code="de")
fields = [
    {"name": field.clean_name, "type": field.field_type, "required": field.required, "choices": field.choices}
    for field in page.get_form_fields()
]
print(json.dumps({"path": page.url, "page_id": page.pk, "fields": fields}))
"""


class Stack:
    """PostgreSQL, Redis and the SMTP sink, a migrated and seeded database; the app and worker on demand."""

    _template_lock = threading.Lock()
    _template = {}  # cluster root -> template database name (one per process)

    def __init__(self, root=None, keep=False):
        self._own_root = root is None
        self.root = Path(root or tempfile.mkdtemp(prefix="vsop-faults-"))
        self.keep = keep
        self.postgres = Postgres(self.root / "postgres")
        self.redis = Redis(self.root / "redis")
        self.smtp = SmtpSink()
        self.app = None
        self.app_port = None
        self.workers = []
        self.database_url = None
        self.form_path = None
        self.form_page_id = None
        self.form_fields = []
        self.environment = None
        self.logs = []

    # Services

    def __enter__(self):
        try:
            self.start_services()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info):
        self.close()

    def start_services(self, **settings):
        self.postgres.init().start()
        self.redis.start()
        self.smtp.start()
        self.database_url = self.postgres.create_database("vsop")
        self.environment = app_environment(self.database_url, self.redis.url(1), self.smtp.port, **settings)
        self.environment["STATIC_ROOT"] = self.collected_static(self.environment)
        seeded = self.restore_seeded() or self.seed()
        self.form_path, self.form_page_id, self.form_fields = seeded["path"], seeded["page_id"], seeded["fields"]
        return self

    # The migrated, seeded database is built once and kept as a dump (keyed by the migrations
    # and the content), so the next stack, in this run or the next one, restores it in seconds.

    def seed(self):
        manage(self.environment, "migrate", "--noinput", "-v0")
        manage(self.environment, "load_vsop_content", "-v0")
        seeded = json.loads(manage(self.environment, "shell", "-c", SEED_SCRIPT).strip().splitlines()[-1])
        dump, info = self.seed_cache()
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            partial = dump.with_suffix(".partial")
            subprocess.run(
                [str(self.postgres.bindir / "pg_dump"), "-Fc", "-f", str(partial), self.database_url],
                check=True,
                capture_output=True,
                timeout=300,
            )
            info.write_text(json.dumps(seeded))
            partial.replace(dump)
        return seeded

    def restore_seeded(self):
        dump, info = self.seed_cache()
        if not (dump.exists() and info.exists()):
            return None
        result = subprocess.run(
            [str(self.postgres.bindir / "pg_restore"), "--no-owner", "-d", self.database_url, str(dump)],
            capture_output=True,
            timeout=300,
        )
        if result.returncode:  # a broken cache: build afresh into a clean database
            self.postgres.execute('DROP DATABASE "vsop"')
            self.database_url = self.postgres.create_database("vsop")
            return None
        return json.loads(info.read_text())

    @staticmethod
    def seed_cache():
        digest = hashlib.sha256(SEED_SCRIPT.encode())
        for package in ("django", "wagtail", "wagtail-localize", "django-tasks-db", "django-axes"):
            with contextlib.suppress(importlib.metadata.PackageNotFoundError):
                digest.update(f"{package}={importlib.metadata.version(package)}".encode())
        sources = sorted(REPO.glob("*/migrations/*.py")) + sorted((REPO / "content").rglob("*"))
        for path in sources:
            if path.is_file():
                digest.update(str(path.relative_to(REPO)).encode())
                digest.update(path.read_bytes())
        folder = Path(tempfile.gettempdir()) / "vsop-faults-cache"
        folder.mkdir(exist_ok=True)
        key = digest.hexdigest()[:20]
        return folder / f"seeded-{key}.dump", folder / f"seeded-{key}.json"

    _static_root = None

    @classmethod
    def collected_static(cls, environment):
        """The production settings serve hashed static files: collected once per process."""
        with cls._template_lock:
            if cls._static_root is None:
                root = tempfile.mkdtemp(prefix="vsop-faults-static-")
                atexit.register(shutil.rmtree, root, True)  # ~9 MB per process, gone when it ends
                manage({**environment, "STATIC_ROOT": root}, "collectstatic", "--noinput", "-v0")
                cls._static_root = root
        return cls._static_root

    def settings(self, **settings):
        """Changes the environment of the app and worker started from now on."""
        self.environment.update({key: str(value) for key, value in settings.items()})

    @property
    def app_url(self):
        return f"http://{LOCALHOST}:{self.app_port}"

    def start_app(self, workers=2, threads=1, timeout=30):
        self.app_port = free_port()
        log = open(self.root / "gunicorn.log", "ab")  # noqa: SIM115  (closed in close())
        self.logs.append(log)
        self.app = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "vsop_cms.wsgi:application", "--bind", f"{LOCALHOST}:{self.app_port}"]
            + ["--workers", str(workers), "--threads", str(threads), "--timeout", str(timeout)],
            cwd=REPO,
            env=self.environment,
            stdout=log,
            stderr=log,
        )
        wait_for_port(self.app_port, timeout=60, process=self.app)
        # Workers load the app lazily: one request each so the load starts warm.
        for _ in range(workers * 2):
            with contextlib.suppress(requests.RequestException):
                requests.get(self.app_url + self.form_path, timeout=30)
        return self.app

    def start_worker(self):
        log = open(self.root / f"worker{len(self.workers)}.log", "ab")  # noqa: SIM115  (closed in close())
        self.logs.append(log)
        worker = subprocess.Popen(
            [PYTHON, "manage.py", "outbox_worker", "--interval", "0.2"],
            cwd=REPO,
            env=self.environment,
            stdout=log,
            stderr=log,
        )
        self.workers.append(worker)
        return worker

    def stop_workers(self):
        for worker in self.workers:
            stop_process(worker)
        self.workers = []

    def sql(self, query, params=None):
        return self.postgres.execute(query, database="vsop", params=params)

    def last_submission_id(self):
        return self.sql("SELECT coalesce(max(id), 0) FROM forms_formsubmission")[0][0]

    def close(self):
        stop_process(self.app)
        self.stop_workers()
        with contextlib.suppress(Exception):
            self.smtp.close()
        self.redis.stop()
        with contextlib.suppress(Exception):
            self.postgres.stop("immediate")
        for log in self.logs:
            log.close()
        if self._own_root and not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)


# Visitors


class FormClient:
    """Posts the seeded contact form like many browsers at once.

    One GET gives the CSRF cookie and token (they are not tied to a session), then every
    ``submit`` is one POST. ``address`` goes out as ``X-Forwarded-For``, as the reverse
    proxy on 127.0.0.1 (``TRUSTED_PROXIES``) would send it, so visitors count apart.
    """

    def __init__(self, stack, timeout=30):
        self.stack = stack
        self.timeout = timeout
        page = requests.get(stack.app_url + stack.form_path, timeout=timeout)
        page.raise_for_status()
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.cookie = page.cookies["csrftoken"]

    def data(self, email, text):
        data = {"csrfmiddlewaretoken": self.token, "privacy_consent": "on"}
        for field in self.stack.form_fields:
            kind, name = field["type"], field["name"]
            if kind == "email":
                data[name] = email
            elif kind in ("radio", "dropdown"):
                data[name] = field["choices"].splitlines()[0].strip()
            elif kind == "checkboxes":
                data[name] = [field["choices"].splitlines()[0].strip()]
            elif kind in ("checkbox", "consent"):
                data[name] = "on"
            elif kind == "number":
                data[name] = "1"
            elif kind == "url":
                data[name] = "https://example.org/"
            elif kind == "tel":
                data[name] = "0511 123456"
            elif kind in ("date", "datetime"):
                data[name] = "2026-11-25"
            else:
                data[name] = text
        return data

    def submit(self, email, address, text="Bitte senden Sie uns die Unterlagen."):
        """POSTs one submission; returns (status code or exception name, seconds)."""
        started = time.monotonic()
        headers = {
            "X-Forwarded-For": address,
            "Cookie": f"csrftoken={self.cookie}",  # the secure cookie goes back by hand over plain HTTP
            "Referer": self.stack.app_url + self.stack.form_path,
        }
        try:
            response = requests.post(
                self.stack.app_url + self.stack.form_path,
                data=self.data(email, text),
                headers=headers,
                timeout=self.timeout,
                allow_redirects=False,
            )
            outcome = response.status_code
        except requests.RequestException as error:
            outcome = type(error).__name__
        return outcome, time.monotonic() - started


def get(stack, path, address="198.51.100.1", timeout=30):
    """GETs a page; returns (status code or exception name, seconds)."""
    started = time.monotonic()
    try:
        outcome = requests.get(
            stack.app_url + path, headers={"X-Forwarded-For": address}, timeout=timeout, allow_redirects=False
        ).status_code
    except requests.RequestException as error:
        outcome = type(error).__name__
    return outcome, time.monotonic() - started


def acknowledged(outcome):
    """A submission the visitor was told is stored: the redirect to the thank-you address (or the page)."""
    return outcome in (200, 303)


def wait_until(condition, timeout, interval=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def submissions_after(stack, first_id):
    return stack.sql("SELECT count(*) FROM forms_formsubmission WHERE id > %s", [first_id])[0][0]


def outbox_states(stack, first_id):
    """{state: count} of the e-mails of the submissions after ``first_id``."""
    rows = stack.sql(
        "SELECT m.state, count(*) FROM outbox_outboxmessage m JOIN forms_formsubmission s "
        "ON m.id IN (s.notification_mail_id, s.confirmation_mail_id) "
        "WHERE s.id > %s GROUP BY m.state",
        [first_id],
    )
    return dict(rows)


def duplicates(message_ids):
    seen, twice = set(), 0
    for message_id in message_ids:
        if message_id in seen:
            twice += 1
        seen.add(message_id)
    return twice


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]
