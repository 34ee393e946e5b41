"""gunicorn settings for vsop-cms, all from the environment (``gunicorn -c deploy/gunicorn.conf.py``).

    GUNICORN_BIND=127.0.0.1:8000 GUNICORN_WORKERS=3 gunicorn -c deploy/gunicorn.conf.py

Behind the reverse proxy (deploy/nginx.conf), which buffers slow clients, so the sync
workers here are busy only while Django works. Threads let a worker answer a second
request while the first waits on PostgreSQL or Redis.
"""

import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


# Where to listen: the proxy connects here. Never expose this port to the internet:
# gunicorn does not buffer slow clients, and only the proxy may set X-Forwarded-For.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:" + os.environ.get("PORT", "8000")).split(",")
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = _int("GUNICORN_THREADS", 2)
worker_class = "gthread" if threads > 1 else "sync"
# A request taking longer than this is killed (the proxy answers 502/504 with its own page).
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Request line and headers: generous for cookies, bounded against abuse.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# The proxy on this host (or TRUSTED_PROXIES) is the only one allowed to say "https".
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Load the app once in the master: faster worker restarts, shared memory pages.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in ("1", "true", "yes")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "vsop-cms"
# Workers' temporary heartbeat files in memory, not on a possibly slow disk.
_shm = "/dev/shm"  # noqa: S108 - gunicorn's documented heartbeat location, not a temp file
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", _shm if os.path.isdir(_shm) else None)


def post_worker_init(worker):
    """Each worker renders the home pages once before it takes requests (vsop_cms/warmup.py),
    so the first visitor after a (re)start is served as fast as the next ones."""
    from vsop_cms.warmup import post_worker_init as warm_up

    warm_up(worker)
