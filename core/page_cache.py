"""Full-page cache for anonymous visitors, and the content generation that invalidates it.

**One generation for the whole site.** Every cached page and every cached piece of site
chrome (menu, settings, legal links) is stored under a key that contains the current
*content generation*, a random token kept in the shared cache (``CACHE_URL``: Redis when
several app servers run). Any change that can alter what a visitor sees — a page saved,
published, unpublished, moved or deleted in any language, a snippet, the site settings,
an image, a document, a site or a locale changed — replaces the token
(``bump_generation``). From then on no process finds an old key: the page, its other
language version, every index, series, home teaser and menu that lists or links it are
rebuilt on their next request, on every server. Old entries expire after their timeout.
This trades a few extra renders after each edit for invalidation that cannot miss a
dependent page. The bump runs at once and again when the transaction commits, so a
request that read the old content between the two cannot leave it cached.

**What is cached.** Only pages Wagtail serves (``wagtail.views.serve``), to GET/HEAD
requests without a session or messages cookie, answered with 200, no cookies, no
session write and nothing private (``Cache-Control``). A page that renders a form
uses a CSRF token (the token cookie would be set), so form pages and pages with an
embedded form are never stored; neither is a page that wrote to the session. Search
results are another view and never stored; previews are admin views; logged-in editors
carry a session cookie and bypass the cache both ways. Time-dependent lists (upcoming
events) are at most ``PAGE_CACHE_SECONDS`` old.

**Fail-open.** When the cache is unreachable, every call here degrades to "not cached":
pages are rendered as without a cache, nothing is raised.

``wagtail.contrib.frontend_cache`` (a proxy or CDN in front, configured by
``FRONTEND_CACHE_URL``/``FRONTEND_CACHE_BACKEND``) is purged with the changed page, its
translations, their parents and the home pages on every publish, unpublish, move and delete.
"""

import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import cc_delim_re

from core.memo import memoised

logger = logging.getLogger(__name__)

GENERATION_KEY = "vsop:content-generation"
_MISSING = object()
# Headers a cached response must not replay to another visitor.
_PRIVATE_HEADERS = {"set-cookie", "x-page-cache"}


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _read_generation():
    cache = _cache()
    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            # First use, or evicted: a fresh token, so entries of any earlier token stay unreachable.
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            value = cache.get(GENERATION_KEY)
    except Exception:  # a cache outage degrades to "not cached"
        logger.warning("Page cache unavailable; serving uncached.", exc_info=True)
        return None
    return value


def generation():
    """The current content generation (once per request), or None when the cache is down."""
    return memoised("content_generation", _read_generation)


def _set_new_generation():
    try:
        _cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("Could not renew the content generation; cached pages expire by timeout.", exc_info=True)


def bump_generation():
    """Make every cached page and chrome entry unreachable, now and when the transaction commits."""
    _set_new_generation()
    transaction.on_commit(_set_new_generation)


def chrome(name, build, timeout=None):
    """``build()``'s value for this content generation, shared by all processes through the cache.

    ``name`` must hold everything the value depends on besides the content (site, language).
    Values must pickle: plain dicts, lists and strings.
    """
    current = generation()
    if current is None:
        return memoised(("chrome", name), build)
    key = f"vsop:chrome:{current}:{name}"

    def load():
        cache = _cache()
        try:
            value = cache.get(key, _MISSING)
        except Exception:
            return build()
        if value is _MISSING:
            value = build()
            try:
                cache.set(key, value, timeout if timeout is not None else settings.PAGE_CACHE_CHROME_SECONDS)
            except Exception:
                logger.warning("Could not store %s in the cache.", name, exc_info=True)
        return value

    return memoised(key, load)


def _may_use_cache(request):
    if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _page_key(request):
    current = generation()
    if current is None:
        return None
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: let the normal handling answer
        return None
    scheme = "https" if request.is_secure() else "http"
    return f"vsop:page:{current}:{scheme}://{host}{request.get_full_path()}"


def _may_store(request, response):
    if not getattr(request, "_vsop_page_view", False) or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    if getattr(request, "is_preview", False):
        return False
    # "Vary: Cookie" alone is fine: the request had no session cookie (else it would not
    # get here) and the session was not written (no cookie set), so the page cannot differ.
    vary = {value.strip().lower() for value in cc_delim_re.split(response.get("Vary", ""))}
    if "*" in vary:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and getattr(user, "is_authenticated", False))


class PageCacheMiddleware:
    """Answers anonymous page requests from the shared cache (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_cache(request):
            return self.get_response(request)
        key = _page_key(request)
        if key is not None:
            try:
                cached = _cache().get(key)
            except Exception:
                cached = None
            if cached is not None:
                content, headers = cached
                response = HttpResponse(content)
                for name, value in headers:
                    response[name] = value
                response["X-Page-Cache"] = "hit"
                return response
        response = self.get_response(request)
        if key is not None and _may_store(request, response):
            headers = [(name, value) for name, value in response.items() if name.lower() not in _PRIVATE_HEADERS]
            try:
                _cache().set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("Could not store a page in the cache.", exc_info=True)
            else:
                response["X-Page-Cache"] = "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve

        request._vsop_page_view = view_func is serve


# --- Invalidation -------------------------------------------------------------------

# Models whose rows never change what a visitor's cached page shows: submissions and
# visitor activity (a visitor must not be able to empty the cache), editors' drafts and
# logs, renditions (made while a page renders), search statistics, sessions.
_IGNORED_MODELS = {
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.pagesubscription",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailcore.referenceindex",
    "wagtailcore.uploadedfile",
    "wagtailcore.pagelock",
    "wagtailimages.rendition",
    "wagtailsearch.indexentry",
    "wagtailsearch_promotions.query",
    "wagtailsearch_promotions.querydailyhits",
    "wagtailforms.formsubmission",
    "wagtail_localize.stringtranslation",
    "wagtail_localize.translationlog",
    "wagtail_localize.overridablesegment",
    "wagtail_localize.segmentoverride",
    "wagtail_localize.relatedobjectsegment",
    "wagtail_localize.templatesegment",
    "wagtail_localize.stringsegment",
    "wagtail_localize.string",
    "wagtail_localize.template",
    "wagtail_localize.translationcontext",
    "wagtail_localize.translationsource",
    "wagtail_localize.translation",
    "wagtail_localize.pagelogentry",
}
# Apps whose saves and deletes change pages: the content apps and Wagtail's content models.
_CONTENT_APPS = {
    "core",
    "home",
    "topics",
    "forms",
    "news",
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "wagtailembeds",
    "taggit",
    "wagtailsearch_promotions",
}
# Visitor data in the content apps (by name, so apps added later need no change here).
_VISITOR_MODEL_WORDS = ("submission", "outbox", "mail", "registration", "ratelimit", "attempt", "task")


def _changes_pages(sender):
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in _CONTENT_APPS or meta.label_lower in _IGNORED_MODELS:
        return False
    return not any(word in meta.model_name for word in _VISITOR_MODEL_WORDS)


def _on_model_change(sender, **kwargs):
    if kwargs.get("raw"):
        return  # fixtures loading
    if _changes_pages(sender):
        bump_generation()


def _on_page_event(sender, instance=None, **kwargs):
    bump_generation()
    purge_frontend_cache(instance)


def purge_frontend_cache(page):
    """Purge the page, its translations, their parents and the home pages from a proxy/CDN."""
    if page is None or not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch
    from wagtail.models import Page, Site

    try:
        pages = list(Page.objects.filter(translation_key=page.translation_key).live())
        parents = [p.get_parent() for p in pages if p.depth > 2]
        homes = [site.root_page for site in Site.objects.select_related("root_page")]
        homes += [translated for home in homes for translated in home.get_translations()]
        batch = PurgeBatch()
        batch.add_pages([p.specific for p in {*pages, *parents, *homes} if p is not None])
        batch.purge()
    except Exception:  # a proxy that does not answer must not stop a publish
        logger.warning("Front-end cache purge failed.", exc_info=True)


def connect_signals():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(_on_model_change, dispatch_uid="vsop_page_cache_save")
    post_delete.connect(_on_model_change, dispatch_uid="vsop_page_cache_delete")
    m2m_changed.connect(_on_model_change, dispatch_uid="vsop_page_cache_m2m")
    page_published.connect(_on_page_event, dispatch_uid="vsop_page_cache_published")
    page_unpublished.connect(_on_page_event, dispatch_uid="vsop_page_cache_unpublished")
    post_page_move.connect(_on_page_event, dispatch_uid="vsop_page_cache_moved")
