"""Settings shared by every environment.

Every value that differs between machines comes from the environment, declared
once in the ``env`` schema below with a safe default. Security values that must
never fall back to a default (``SECRET_KEY``, ``ALLOWED_HOSTS`` in production) are
read in ``production.py`` without one, so a misconfigured server fails to start.
A ``.env`` file in the project root is read when present (see ``.env.example``).
"""

from email.utils import parseaddr
from pathlib import Path

from django.utils.translation import gettext_lazy as _

import environ

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

env = environ.Env(
    DEBUG=(bool, False),
    DATABASE_URL=(str, f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    CONN_MAX_AGE=(int, 60),
    CACHE_URL=(str, "locmemcache://vsop"),
    WAGTAILADMIN_BASE_URL=(str, "http://127.0.0.1:8000"),
    MEDIA_ROOT=(str, str(BASE_DIR / "media")),
    STATIC_ROOT=(str, str(BASE_DIR / "static")),
    DEFAULT_FROM_EMAIL=(str, "VSOP e.V. <noreply@localhost>"),
    SERVER_EMAIL=(str, "noreply@localhost"),
    EMAIL_URL=(str, "consolemail://"),
    LOG_LEVEL=(str, "INFO"),
    WAGTAIL_LOG_LEVEL=(str, "WARNING"),
)
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env("DEBUG")

# Application definition

INSTALLED_APPS = [
    # Project apps ("access" first: its German catalogue completes wagtail-localize's and wins)
    "access",
    "core",
    "home",
    "topics",
    "forms",
    "outbox",
    "search",
    "news",
    "registrations",
    "wordpress_import",
    # Translation
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.locale.LocaleMiddleware",  # Django's, never redirecting /admin/… into a language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Old WordPress addresses on "/" (?p=123, ?page_id=45, ?lang=en) that "/" itself would answer.
    "wordpress_import.middleware.RootQueryRedirectMiddleware",
]

ROOT_URLCONF = "vsop_cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "vsop_cms.wsgi.application"

# Database: PostgreSQL in production, the embedded SQLite file for a first run.
DATABASES = {
    "default": env.db("DATABASE_URL"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env("CONN_MAX_AGE")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers at once (two editors, a form submission during a publish): WAL lets
    # readers go on while one writes, IMMEDIATE takes the write lock at BEGIN so a
    # transaction never fails half-way with "database is locked", and a writer waits up
    # to 20 s for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory for one process, Redis (CACHE_URL=redis://…) when several
# app servers share the rate limits and sessions.
CACHES = {"default": env.cache("CACHE_URL")}
if "redis" in CACHES["default"]["BACKEND"].lower():
    # A cache that is away never takes the site down: django-redis answers "not cached"
    # and logs the error (IGNORE_EXCEPTIONS; Django's own Redis backend would raise, and
    # Wagtail's site-root-paths lookup with it), and gives up on a dead server quickly.
    CACHES["default"]["BACKEND"] = "django_redis.cache.RedisCache"
    CACHES["default"]["OPTIONS"] = {
        **CACHES["default"].get("OPTIONS", {}),
        "IGNORE_EXCEPTIONS": True,
        "SOCKET_CONNECT_TIMEOUT": env.float("CACHE_CONNECT_TIMEOUT", default=0.25),
        "SOCKET_TIMEOUT": env.float("CACHE_TIMEOUT", default=0.5),
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: German is the default and the source of translations.
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", _("German")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static and media files

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT")
STATIC_URL = "/static/"
MEDIA_ROOT = env("MEDIA_ROOT")
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Complex page models can exceed Django's default of 1000 form fields in the editor.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail: the console by default, SMTP via EMAIL_URL=smtp+tls://user:pass@host:587
vars().update(env.email("EMAIL_URL"))
# Seconds to wait for the mail server; only the outbox worker waits, never a visitor.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = env("SERVER_EMAIL")

# Wagtail

WAGTAIL_SITE_NAME = "VSOP e.V."
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: the admin makes no request to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Autosave off: Wagtail 8's autosave raced the editors' own "Save"/"Publish" (false
# "saved in another window" conflicts, a second page created before the first save,
# 400s for every half-filled block). Editors save explicitly; leaving with unsaved
# changes still asks first, and the editing-session ping still shows who else edits.
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAIL_ALLOW_UNICODE_SLUGS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL")},
    "loggers": {
        "django": {"handlers": ["console"], "level": env("LOG_LEVEL"), "propagate": False},
        # Background tasks (search indexing) log every run at INFO; only problems matter.
        "django_tasks": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Wagtail logs every page action at INFO; the admin's history keeps them anyway.
        "wagtail": {"handlers": ["console"], "level": env("WAGTAIL_LOG_LEVEL"), "propagate": False},
    },
}

# Error reporting. ADMINS ("Name <address>,…") get a mail for every server error
# (Django's mail_admins handler, sent only when DEBUG is off); SENTRY_DSN, when set,
# sends errors with their stack traces to Sentry (or a compatible service such as
# GlitchTip) — without request bodies or user data (send_default_pii off).
ADMINS = [parseaddr(admin) for admin in env.list("ADMINS", default=[]) if admin.strip()]  # [(name, address)]
if ADMINS:
    LOGGING["handlers"]["mail_admins"] = {
        "class": "django.utils.log.AdminEmailHandler",
        "level": "ERROR",
        "filters": ["require_debug_false"],
    }
    LOGGING["filters"] = {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}}
    LOGGING["loggers"]["django"]["handlers"] = ["console", "mail_admins"]
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        send_default_pii=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# --- Forms (forms/): spam protection, retention, e-mails ---

# reCAPTCHA through django-recaptcha, on only when both keys are set (so the site
# works offline without them). RECAPTCHA_VERSION "v2" shows the checkbox, "v3" scores
# invisibly and blocks below RECAPTCHA_REQUIRED_SCORE. The verification call times out.
RECAPTCHA_PUBLIC_KEY = env.str("RECAPTCHA_PUBLIC_KEY", default="")
RECAPTCHA_PRIVATE_KEY = env.str("RECAPTCHA_PRIVATE_KEY", default="")
RECAPTCHA_VERSION = env.str("RECAPTCHA_VERSION", default="v2")
RECAPTCHA_REQUIRED_SCORE = env.float("RECAPTCHA_REQUIRED_SCORE", default=0.5)
RECAPTCHA_VERIFY_REQUEST_TIMEOUT = env.int("RECAPTCHA_VERIFY_REQUEST_TIMEOUT", default=5)
# Submissions per client address and period (seconds), counted in the cache; 0 turns it off.
FORMS_RATE_LIMIT = env.int("FORMS_RATE_LIMIT", default=5)
FORMS_RATE_LIMIT_PERIOD = env.int("FORMS_RATE_LIMIT_PERIOD", default=60)
# The client address comes from X-Forwarded-For only through TRUSTED_PROXIES (below,
# core/client_ip.py). The old count FORMS_TRUSTED_PROXIES is refused (forms.E002).
# Confirmation mails one recipient address gets per day, counted in the database.
FORMS_CONFIRMATIONS_PER_ADDRESS_PER_DAY = env.int("FORMS_CONFIRMATIONS_PER_ADDRESS_PER_DAY", default=3)
# Retention period new forms start with; each form can change it.
FORMS_DEFAULT_RETENTION_DAYS = env.int("FORMS_DEFAULT_RETENTION_DAYS", default=180)

# --- Mail outbox (outbox/): mail is stored with what caused it and sent by a worker ---

# Background tasks (django-tasks, Django's tasks API). "default" runs Wagtail's own tasks
# (reference index, search index) at once, as Wagtail does without this setting; "outbox"
# keeps the mail tasks in the database for the worker: `manage.py outbox_worker`.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "outbox": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["mail"]},
}
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
# Retries after a failure the mail server reported: 30 s, 1 min, 2 min, … at most 1 h apart.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
OUTBOX_RETRY_BASE_SECONDS = env.float("OUTBOX_RETRY_BASE_SECONDS", default=30)
OUTBOX_RETRY_MAX_SECONDS = env.float("OUTBOX_RETRY_MAX_SECONDS", default=3600)
# Sent messages are forgotten after this many days.
OUTBOX_KEEP_SENT_DAYS = env.int("OUTBOX_KEEP_SENT_DAYS", default=30)

# --- Event registration (registrations/) ---

# Double opt-in: an unconfirmed registration holds its place this long, then
# `release_unconfirmed_registrations` releases it to the waiting list.
REGISTRATIONS_CONFIRM_HOURS = env.int("REGISTRATIONS_CONFIRM_HOURS", default=48)
# `send_event_reminders` mails participants this many hours before the start.
REGISTRATIONS_REMINDER_HOURS = env.int("REGISTRATIONS_REMINDER_HOURS", default=24)

# --- Languages and translation (wagtail-localize) ---

# German is the source; an English translation follows its German page ("synced"): the
# translation editor shows the German text segment by segment, "Sync translated pages"
# brings changes over. A new translation starts as a draft and goes live only when a
# translator publishes it (never German text on the English site); a sync keeps the
# translation's own live state.
WAGTAIL_LOCALIZE_DEFAULT_TRANSLATION_MODE = "synced"
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Machine translation in the translation editor: DeepL when DEEPL_API_KEY is set (a key
# ending in ":fx" uses DeepL's free API), none otherwise, so nothing is sent anywhere
# without a key. DEEPL_TIMEOUT (seconds) bounds each call.
_deepl_api_key = env.str("DEEPL_API_KEY", default="")
if _deepl_api_key:
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": _deepl_api_key, "TIMEOUT": env.int("DEEPL_TIMEOUT", default=10)},
    }

# --- Search (search/) ---

# PostgreSQL full-text search stemmed per language, at index and at query time
# (search/backend.py explains how); on SQLite the same code runs without stemming.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "search.backend",
        "SEARCH_CONFIGS": {"de": "german", "en": "english"},
        "SEARCH_CONFIG": "simple",
    }
}
# Editors' promoted results for chosen queries (Settings → Promoted search results).
INSTALLED_APPS += ["wagtail.contrib.search_promotions"]
# Longer queries are refused with 400 Bad Request.
SEARCH_MAX_QUERY_LENGTH = 255

# --- Production hardening (core/, deploy/): proxies, headers, login protection ---

# Reverse proxies whose X-Forwarded-For is believed, by address or CIDR network
# (e.g. "127.0.0.1,10.0.0.0/8"); core/client_ip.py explains the rule. Empty: the
# connection's own address is the client's.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Content-Security-Policy (django-csp 4; core.middleware picks the policy per request).
# Public pages: only our own scripts and styles, no inline code, no plugins, framed only
# by ourselves (Wagtail's preview shows pages in a same-origin frame). Video embeds and
# reCAPTCHA (when its keys are set) add their hosts; CSP_EXTRA_FRAME_SRC adds more.
_EMBED_FRAME_HOSTS = [
    "https://www.youtube-nocookie.com",
    "https://www.youtube.com",
    "https://player.vimeo.com",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *env.list("CSP_EXTRA_IMG_SRC", default=[])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *_EMBED_FRAME_HOSTS, *env.list("CSP_EXTRA_FRAME_SRC", default=[])],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
# The Wagtail admin runs inline scripts of its own (page data, editor set-up, vendor.js),
# sets style attributes and shows blob: images; it gets this looser policy, still without
# any foreign script, plugin or framing by other sites. Only signed-in editors see it.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": [*CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"], "blob:"],
    },
}
CSP_ADMIN_PATH_PREFIXES = ["/admin/", "/django-admin/"]
# Browser features nobody on this site needs are switched off for every frame.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "fullscreen": ["self", *_EMBED_FRAME_HOSTS],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail's live preview shows the page in a same-origin frame inside the editor.
X_FRAME_OPTIONS = "SAMEORIGIN"

_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
MIDDLEWARE[_security + 1 : _security + 1] = [
    "core.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Database down: a 503 page in the visitor's language, rendered without the database.
    "core.middleware.DatabaseUnavailableMiddleware",
    # Public pages: small posts, no file parts (before anything reads the body).
    "core.middleware.UploadLimitMiddleware",
]
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as django-axes requires

# Admin login protection (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# user name from one address, that pair is locked for AXES_COOLOFF_MINUTES; the page says
# until when. Addresses come through TRUSTED_PROXIES like the form rate limit's.
AUTHENTICATION_BACKENDS = [
    "core.axes_backend.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.client_ip.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
AXES_VERBOSE = False
# No log of every successful sign-in (address and browser of each editor, kept forever):
# only the failures needed for the lock are stored, and removed once they expire.
AXES_DISABLE_ACCESS_LOG = True
# django-axes logs every failed login at INFO; its warnings (a new lockout) are enough.
LOGGING["loggers"]["axes"] = {"handlers": ["console"], "level": "WARNING", "propagate": False}

# 503 while the database is unreachable: browsers and proxies are told to retry after this.
DATABASE_UNAVAILABLE_RETRY_AFTER = env.int("DATABASE_UNAVAILABLE_RETRY_AFTER", default=30)
# Request size: public pages take at most PUBLIC_MAX_REQUEST_SIZE bytes and no files (413/400,
# core.middleware.UploadLimitMiddleware); the admin's page editor posts large forms, so fields
# may add up to 10 MB there, and uploads above 2.5 MB go to a temporary file, not memory.
PUBLIC_MAX_REQUEST_SIZE = env.int("PUBLIC_MAX_REQUEST_SIZE", default=1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Performance (core/memo.py, core/page_cache.py): memo, page cache, front-end cache ---

# Outermost after the security headers: a cached page is answered before sessions, CSRF,
# authentication and the database are touched. The memo wraps the cache (one generation
# read per request) and routes Wagtail pages in one query.
_sessions = MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
MIDDLEWARE[_sessions:_sessions] = ["core.memo.RequestMemoMiddleware", "core.page_cache.PageCacheMiddleware"]
# Anonymous visitors' pages come from the shared cache (CACHE_URL) for at most this many
# seconds; any publish, move, delete or snippet/settings change invalidates them at once.
# The limit only bounds lists that change with time (upcoming events). 0 turns it off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_CACHE_ENABLED = PAGE_CACHE_SECONDS > 0
# Menu, settings and legal links, per content generation (invalidated the same way).
PAGE_CACHE_CHROME_SECONDS = env.int("PAGE_CACHE_CHROME_SECONDS", default=24 * 60 * 60)
# A caching proxy or CDN in front: FRONTEND_CACHE_URL (e.g. http://127.0.0.1:8080 of
# Varnish or nginx, which accept PURGE requests), or Cloudflare with
# FRONTEND_CACHE_CLOUDFLARE_TOKEN and FRONTEND_CACHE_CLOUDFLARE_ZONE. A publish purges the
# page, its translations, their parents and the home pages.
if env.str("FRONTEND_CACHE_URL", default=""):
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env.str("FRONTEND_CACHE_URL"),
        }
    }
elif env.str("FRONTEND_CACHE_CLOUDFLARE_TOKEN", default=""):
    WAGTAILFRONTENDCACHE = {
        "cloudflare": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "BEARER_TOKEN": env.str("FRONTEND_CACHE_CLOUDFLARE_TOKEN"),
            "ZONEID": env.str("FRONTEND_CACHE_CLOUDFLARE_ZONE"),
        }
    }
if "WAGTAILFRONTENDCACHE" in vars():
    INSTALLED_APPS += ["wagtail.contrib.frontend_cache"]
# make bench only: serve a bare view at /bench/bare/ to measure the ceiling of the stack.
BENCH_BARE_VIEW = env.bool("BENCH_BARE_VIEW", default=False)
