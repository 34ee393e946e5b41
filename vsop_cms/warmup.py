"""Warm a gunicorn worker up before it takes its first visitor.

A fresh worker's first request used to take 4–6 times as long as the next ones: the URL
configuration, Wagtail's hooks, the templates (compiled once per process by the cached
loader), the content types, the database connection and the site's root paths are all
loaded on first use. ``warm_up()`` renders the home page of each language once inside
the worker, through the whole middleware stack, so the visitor's first request finds
all of that in place. Nothing is done at import time.

Use it from the gunicorn configuration (``deploy/gunicorn.conf.py``)::

    from vsop_cms.warmup import post_worker_init  # noqa: F401

or on the command line: ``gunicorn -c python:vsop_cms.warmup vsop_cms.wsgi``.
"""

import logging
import time

logger = logging.getLogger(__name__)


def warm_up(paths=None):
    """Request each path once inside this process; returns the milliseconds it took."""
    from django.conf import settings
    from django.test import Client

    started = time.perf_counter()
    hosts = [host for host in settings.ALLOWED_HOSTS if host and "*" not in host and not host.startswith(".")]
    client = Client(HTTP_HOST=hosts[0] if hosts else "localhost", HTTP_X_FORWARDED_PROTO="https")
    if paths is None:
        paths = [f"/{code}/" for code, _name in settings.LANGUAGES]
    for path in paths:
        try:
            client.get(path)
        except Exception:  # a warm-up must never stop a worker from serving
            logger.warning("Warm-up request to %s failed.", path, exc_info=True)
    return (time.perf_counter() - started) * 1000


def post_worker_init(worker):
    """gunicorn hook: runs in each worker after the application is loaded, before it accepts."""
    milliseconds = warm_up()
    worker.log.info("Worker %s warmed up in %.0f ms", worker.pid, milliseconds)
