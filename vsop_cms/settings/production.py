"""Production: PostgreSQL, a shared cache, HTTPS behind a reverse proxy (deploy/).

``SECRET_KEY`` and ``ALLOWED_HOSTS`` have no default on purpose: a server started
without them fails at once instead of running with a guessable key.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_ADMIN, DATABASES, STORAGES, env

DEBUG = False

SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# PostgreSQL: give up connecting after a few seconds (the visitor gets the 503 page
# instead of waiting for gunicorn's timeout when the database host is unreachable).
# (New dicts throughout: base.py's objects stay as they are for the other settings modules.)
DATABASES = {**DATABASES, "default": {**DATABASES["default"]}}
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": env.int("DATABASE_CONNECT_TIMEOUT", 5),
        **DATABASES["default"].get("OPTIONS", {}),
    }

# A cache every app server shares (rate limits, page cache): Redis or the database cache,
# never one per process. A server started with local memory stops at once with this message.
if env.cache("CACHE_URL")["BACKEND"].rsplit(".", 1)[-1] in ("LocMemCache", "DummyCache", "FileBasedCache"):
    raise ImproperlyConfigured(
        "CACHE_URL must name a cache all app servers share in production: "
        "redis://host:6379/1 (recommended) or dbcache://vsop_cache (then run manage.py createcachetable)."
    )

# HTTPS: the reverse proxy terminates TLS and sets X-Forwarded-Proto (deploy/nginx.conf).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Cookies only over HTTPS, out of reach of scripts, not sent on cross-site posts. The admin
# reads its CSRF token from the page, never from the cookie, so it can be HttpOnly too.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# X-Frame-Options SAMEORIGIN (base.py) is what Wagtail's preview needs; check --deploy
# would like DENY.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
# Browsers upgrade any stray http:// reference to https://.
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "upgrade-insecure-requests": True}}
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {**CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"], "upgrade-insecure-requests": True}
}

# Hashed file names so browsers never keep a stale stylesheet after a deploy.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}

# Media (images, documents) on storage every app server shares, chosen by MEDIA_STORAGE:
# "local" (default): MEDIA_ROOT, a shared file system (NFS, a mounted volume), served by the
# reverse proxy under /media/; "s3": an S3-compatible bucket through django-storages.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE == "s3":
    _s3_domain = env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "custom_domain": _s3_domain,
            "location": env.str("AWS_LOCATION", default="media"),
            # Public images keep stable addresses (cached pages never point at an expired
            # signature); documents go through Wagtail's view, which checks privacy.
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
    WAGTAILDOCS_SERVE_METHOD = "serve_view"
    _media_origin = f"https://{_s3_domain}" if _s3_domain else env.str("AWS_S3_ENDPOINT_URL", default="")
    if _media_origin:
        for _policy in (CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_ADMIN):
            _policy["DIRECTIVES"]["img-src"] = [*_policy["DIRECTIVES"]["img-src"], _media_origin]  # our own dicts
elif MEDIA_STORAGE != "local":
    raise ValueError(f"MEDIA_STORAGE must be 'local' or 's3', not {MEDIA_STORAGE!r}")
