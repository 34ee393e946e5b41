"""``/healthz`` for load balancers: is the database reachable, does the shared cache answer?

Cheap (one ``SELECT 1`` and one cache round trip), no session, no user, no secrets in the
answer. The database is required: without it the answer is 503 and the balancer takes this
server out of rotation. The cache is reported but not required: pages and forms keep working
without it (only slower), and since every app server shares the same cache, failing all of
them on a cache outage would take the whole site down for nothing.
"""

import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("healthz: database unavailable: %s", error)
        return False
    return True


def check_cache():
    token = secrets.token_hex(8)
    try:
        cache.set("healthz:probe", token, 10)
        return cache.get("healthz:probe") == token
    except Exception as error:  # any backend's connection error; reported, never raised
        logger.warning("healthz: cache unavailable: %r", error)
        return False


@never_cache
@require_safe
def healthz(request):
    database = check_database()
    cache_ok = check_cache()
    status = "ok" if database and cache_ok else ("degraded" if database else "unavailable")
    body = {
        "status": status,
        "database": "ok" if database else "unavailable",
        "cache": "ok" if cache_ok else "unavailable",
    }
    response = JsonResponse(body, status=200 if database else 503)
    if not database:
        response["Retry-After"] = str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER)
    return response
