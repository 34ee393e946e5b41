"""Serving limits measured under gunicorn (2 sync workers), directly and behind deploy/nginx.conf.

    .venv/bin/python bench/faults/serving_limits.py

Prints, as JSON:
- ``admin_login``: 50 wrong passwords for one user from one address (django-axes): statuses
  and the time each took;
- ``slow_clients``: 4 connections that send their request headers one byte a second, then a
  normal GET of a page: how long it took (or that it timed out after 40 s), directly to
  gunicorn and through nginx (when Debian's nginx is installed);
- ``large_post``: a 20 MB file posted to the contact form (which has no file field).

nginx runs from a copy of deploy/nginx.conf with TLS and the port-80 server left out, the
upstream pointed at the throwaway gunicorn and the static root at collected files.
"""

import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import LOCALHOST, REPO, Stack, free_port, manage, stop_process, wait_for_port


def admin_login(stack, attempts=50):
    manage(
        stack.environment,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.create_superuser('redaktion', 'r@example.org', 'the-right-one')",
    )
    session = requests.Session()
    page = session.get(stack.app_url + "/admin/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    cookie = page.cookies.get("csrftoken")
    statuses, seconds = [], []
    for _ in range(attempts):
        started = time.monotonic()
        response = session.post(
            stack.app_url + "/admin/login/",
            data={"csrfmiddlewaretoken": token, "username": "redaktion", "password": "wrong"},
            headers={
                "Cookie": f"csrftoken={cookie}",
                "Referer": stack.app_url + "/admin/login/",
                "X-Forwarded-For": "203.0.113.50",
            },
            timeout=30,
            allow_redirects=False,
        )
        seconds.append(time.monotonic() - started)
        statuses.append(response.status_code)
    last = response.text
    when = re.search(r"bis (\d{1,2}:\d{2})|until (\d{1,2}:\d{2})", last)
    return {
        "statuses": {str(status): statuses.count(status) for status in sorted(set(statuses))},
        "first_429_at_attempt": statuses.index(429) + 1 if 429 in statuses else None,
        "retry_after": response.headers.get("Retry-After"),
        "message_says_until": when.group(0) if when else None,
        "seconds_per_attempt_max": round(max(seconds), 3),
        "seconds_total": round(sum(seconds), 2),
    }


def slow_clients(port, path, count=4, hold=45.0):
    """Opens ``count`` connections that dribble their headers, then times one normal GET."""
    stop = threading.Event()
    sockets = []

    def dribble(sock):
        request = f"GET {path} HTTP/1.1\r\nHost: {LOCALHOST}\r\nX-Slow: ".encode()
        for byte in request:
            if stop.is_set():
                return
            try:
                sock.send(bytes([byte]))
            except OSError:
                return
            time.sleep(1.0)

    threads = []
    for _ in range(count):
        sock = socket.create_connection((LOCALHOST, port), timeout=hold + 10)
        sockets.append(sock)
        thread = threading.Thread(target=dribble, args=(sock,), daemon=True)
        thread.start()
        threads.append(thread)
    time.sleep(2.0)
    started = time.monotonic()
    try:
        response = requests.get(f"http://{LOCALHOST}:{port}{path}", timeout=40)
        result = {"status": response.status_code, "seconds": round(time.monotonic() - started, 2)}
    except requests.RequestException as error:
        result = {"status": f"error: {type(error).__name__}", "seconds": round(time.monotonic() - started, 2)}
    stop.set()
    for sock in sockets:
        sock.close()
    return result


def large_post(port, form_path, size=20 * 1024 * 1024):
    started = time.monotonic()
    try:
        response = requests.post(
            f"http://{LOCALHOST}:{port}{form_path}",
            files={"anhang": ("big.bin", b"x" * size, "application/octet-stream")},
            data={"name": "Erika"},
            timeout=60,
        )
        return {
            "status": response.status_code,
            "seconds": round(time.monotonic() - started, 2),
            "body": response.text[:120],
        }
    except requests.RequestException as error:
        return {"status": f"error: {type(error).__name__}", "seconds": round(time.monotonic() - started, 2)}


def nginx_config(root, port, app_port, static_root):
    site = (REPO / "deploy" / "nginx.conf").read_text()
    # Keep the HTTPS server block only, served as plain HTTP on a free port.
    site = site[site.index("upstream vsop_app {") :]
    start = site.index("server {\n    listen 80;")
    end = site.index("server {", start + 10)
    site = site[:start] + site[end:]
    site = re.sub(r"\n\s*(listen|ssl_\w+|# nginx 1\.22)[^\n]*", "", site)
    site = site.replace("server_name www.vsop.de;", f"listen {LOCALHOST}:{port};\n    server_name {LOCALHOST};")
    site = site.replace("server 127.0.0.1:8000", f"server {LOCALHOST}:{app_port}")
    site = site.replace("/srv/vsop/static/", f"{static_root}/").replace("/srv/vsop/media/", f"{root}/media/")
    temp = root / "nginx-temp"
    temp.mkdir(parents=True, exist_ok=True)
    return f"""
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{site}
}}
"""


def main():
    result = {}
    with Stack() as stack:
        stack.start_app(workers=2, threads=1, timeout=30)
        result["admin_login"] = admin_login(stack)
        print(json.dumps({"admin_login": result["admin_login"]}), flush=True)
        result["slow_clients_direct"] = slow_clients(stack.app_port, "/de/")
        result["large_post_direct"] = large_post(stack.app_port, stack.form_path)
        print(json.dumps({key: result[key] for key in ("slow_clients_direct", "large_post_direct")}), flush=True)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if Path(nginx).exists():
            root = Path(tempfile.mkdtemp(prefix="vsop-nginx-"))
            port = free_port()
            config = root / "nginx.conf"
            # nginx's workers run as an unprivileged user: let them read the collected files.
            for folder in (Path(stack.environment["STATIC_ROOT"]), root):
                folder.chmod(0o755)
            config.write_text(nginx_config(root, port, stack.app_port, stack.environment["STATIC_ROOT"]))
            process = subprocess.Popen([nginx, "-c", str(config), "-g", "daemon off;"], stderr=subprocess.PIPE)
            try:
                wait_for_port(port, process=process)
                result["slow_clients_nginx"] = slow_clients(port, "/de/")
                result["large_post_nginx"] = large_post(port, stack.form_path)
                static = requests.get(f"http://{LOCALHOST}:{port}/static/css/site.css", timeout=10)
                result["static_via_nginx"] = {
                    "status": static.status_code,
                    "cache": static.headers.get("Cache-Control"),
                }
            finally:
                stop_process(process)
                shutil.rmtree(root, ignore_errors=True)
        else:
            result["nginx"] = "not installed (apt-get install nginx)"
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
