"""Fault (b): PostgreSQL stopped mid-load under gunicorn (2 workers), then started again.

    .venv/bin/python bench/faults/postgres_outage.py            # 20 s outage, as issue 9 asks
    .venv/bin/python bench/faults/postgres_outage.py --down 25  # the issue's measured 25 s

Visitors (each with an address of its own, sent through the trusted proxy header) read
pages and send the contact form, each post with a unique marker, all the time. After a
warm-up PostgreSQL is stopped (``pg_ctl stop -m fast``: connections cut, new ones
refused), left down for ``--down`` seconds and started again; the app is never restarted.

Printed and returned: what visitors got while the database was down (503 with Retry-After
expected, never 500), how long after the restart the first page and the first stored
submission came, and, from the database afterwards: every acknowledged submission (303 to
the thank-you page) must be stored — ``missing`` must be 0. Posts answered with 503 were
not stored and the visitor was told so (``stored_after_503`` counts the opposite).
"""

import argparse
import json
import re
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Stack


class Visitor:
    """One browser: a cookie jar and its own address (sent as the trusted proxy would)."""

    def __init__(self, base_url, address, timeout=30):
        self.base_url = base_url
        self.address = address
        self.timeout = timeout
        self.session = requests.Session()

    def headers(self):
        return {"X-Forwarded-For": self.address}

    def get(self, path):
        return self.session.get(self.base_url + path, headers=self.headers(), timeout=self.timeout)


class Load:
    """Visitors posting the form and readers fetching pages, until ``stop``."""

    def __init__(self, stack, posters=3, readers=1, pause=0.05):
        self.stack = stack
        self.posters = posters
        self.readers = readers
        self.pause = pause
        self.phase = "before"
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.records = []  # (phase, kind, status, retry_after, marker, seconds, at)
        self.threads = []

    def record(self, kind, status, retry_after=None, marker=None, seconds=0.0):
        with self.lock:
            self.records.append((self.phase, kind, status, retry_after, marker, seconds, time.monotonic()))

    def start(self):
        for number in range(self.posters):
            self.threads.append(threading.Thread(target=self._poster, args=(number,), daemon=True))
        for number in range(self.readers):
            self.threads.append(threading.Thread(target=self._reader, args=(number,), daemon=True))
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(60)

    def _request(self, kind, call, marker=None):
        started = time.monotonic()
        try:
            response = call()
        except requests.RequestException as error:
            self.record(kind, f"error:{type(error).__name__}", marker=marker, seconds=time.monotonic() - started)
            return None
        self.record(
            kind, response.status_code, response.headers.get("Retry-After"), marker, time.monotonic() - started
        )
        return response

    def _form(self, visitor):
        """Reads the form once: CSRF token and field names (posted many times afterwards)."""
        while not self.stopping.is_set():
            page = self._request("form-get", lambda: visitor.get(self.stack.form_path))
            if page is not None and page.status_code == 200:
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
                fields = re.findall(r'<(?:input|textarea)[^>]*?name="([^"]+)"[^>]*?(?:type="([^"]+)")?', page.text)
                cookie = page.cookies.get("csrftoken") or visitor.session.cookies.get("csrftoken")
                return token, fields, cookie
            time.sleep(0.5)
        return None

    def _poster(self, number):
        visitor = Visitor(self.stack.app_url, address=f"10.2.{number}.1", timeout=30)
        form = self._form(visitor)
        if form is None:
            return
        token, fields, cookie = form
        sequence = 0
        while not self.stopping.is_set():
            sequence += 1
            # A new address for every post keeps the rate limit (5 a minute) out of the count.
            visitor.address = f"10.{2 + number}.{sequence // 250 % 250}.{sequence % 250 + 1}"
            marker = f"outage-{number}-{sequence}-{uuid.uuid4().hex[:8]}"
            data = {"csrfmiddlewaretoken": token, "privacy_consent": "on"}
            for name, kind in fields:
                if name in data or name == "homepage_url" or kind in ("checkbox", "radio", "hidden", "submit"):
                    continue
                data[name] = f"{marker}@example.org" if (kind == "email" or "mail" in name) else marker
            headers = {**visitor.headers(), "Cookie": f"csrftoken={cookie}", "Referer": self.stack.app_url}
            self._request(
                "post",
                lambda data=data, headers=headers: visitor.session.post(
                    self.stack.app_url + self.stack.form_path,
                    data=data,
                    headers=headers,
                    timeout=visitor.timeout,
                    allow_redirects=False,
                ),
                marker=marker,
            )
            time.sleep(self.pause)

    def _reader(self, number):
        visitor = Visitor(self.stack.app_url, address=f"10.4.{number}.1", timeout=30)
        paths = ["/de/", "/en/", "/de/themen/", "/healthz"]
        index = 0
        while not self.stopping.is_set():
            path = paths[index % len(paths)]
            index += 1
            self._request(f"get {path}", lambda path=path: visitor.get(path))
            time.sleep(self.pause)


def summarise(load, stored_markers, restarted_at):
    records = load.records
    by_phase = {phase: Counter() for phase in ("before", "down", "after")}
    retry_after_missing = 0
    for phase, kind, status, retry_after, _marker, _seconds, _at in records:
        group = "post" if kind == "post" else "get"
        by_phase[phase][f"{group} {status}"] += 1
        if status == 503 and not retry_after:
            retry_after_missing += 1
    acknowledged = {marker for _p, kind, status, _r, marker, _s, _a in records if kind == "post" and status == 303}
    refused = {marker for _p, kind, status, _r, marker, _s, _a in records if kind == "post" and status == 503}
    first_ok_after = [at for phase, kind, status, *_rest, at in records if phase == "after" and status in (200, 303)]
    first_stored_after = [
        at for phase, kind, status, _r, _m, _s, at in records if phase == "after" and kind == "post" and status == 303
    ]
    return {
        "requests": {phase: dict(sorted(counter.items())) for phase, counter in by_phase.items()},
        "errors_500": sum(1 for record in records if record[2] == 500),
        "503_without_retry_after": retry_after_missing,
        "acknowledged": len(acknowledged),
        "stored": len(stored_markers & acknowledged),
        "missing": len(acknowledged - stored_markers),
        "refused_503": len(refused),
        "stored_after_503": len(refused & stored_markers),
        "recovery_first_success_s": round(min(first_ok_after) - restarted_at, 2) if first_ok_after else None,
        "recovery_first_submission_s": round(min(first_stored_after) - restarted_at, 2)
        if first_stored_after
        else None,
        "slowest_request_s": round(max((record[5] for record in records), default=0.0), 2),
    }


def run(down=20.0, before=5.0, after=8.0, posters=3, readers=1, stack=None):
    """Runs the outage against ``stack`` (or a new one) and returns the counts."""
    own = stack is None
    stack = stack or Stack().__enter__()
    try:
        if stack.app is None:
            stack.start_app(workers=2)
        load = Load(stack, posters=posters, readers=readers)
        load.start()
        time.sleep(before)
        load.phase = "down"
        stack.postgres.stop("fast")
        stopped_at = time.monotonic()
        time.sleep(max(0.0, down - (time.monotonic() - stopped_at)))
        stack.postgres.start()
        load.phase = "after"
        restarted_at = time.monotonic()
        time.sleep(after)
        load.stop()
        rows = stack.sql("SELECT form_data::text FROM forms_formsubmission")
        stored = set()
        for (text,) in rows:
            stored.update(re.findall(r"outage-\d+-\d+-[0-9a-f]{8}", text))
        result = summarise(load, stored, restarted_at)
        result["down_s"] = round(restarted_at - stopped_at, 1)
        return result
    finally:
        if own:
            stack.__exit__(None, None, None)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--down", type=float, default=20.0, help="seconds PostgreSQL stays stopped (default 20)")
    parser.add_argument("--before", type=float, default=5.0, help="seconds of load before the stop")
    parser.add_argument("--after", type=float, default=8.0, help="seconds of load after the restart")
    parser.add_argument("--posters", type=int, default=3, help="visitors posting the form at once")
    arguments = parser.parse_args()
    result = run(down=arguments.down, before=arguments.before, after=arguments.after, posters=arguments.posters)
    print(json.dumps(result, indent=2))
    ok = result["missing"] == 0 and result["errors_500"] == 0 and result["recovery_first_submission_s"] is not None
    print("OK: no acknowledged submission lost, no 500" if ok else "FAILED", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
