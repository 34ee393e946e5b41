"""Per-request memoisation of look-ups every page repeats, and one-query page routing.

A page's header, footer, menu, breadcrumb and language switcher, the page itself and the
blocks in it all ask for the same few things: the active ``Locale`` (Wagtail looks it up
by language code in every ``.localized``, ``Locale.get_active()`` and settings call), the
list of view restrictions (every ``.public()`` queryset and the serve hook query it), and
the route from the URL to the page (Wagtail walks the tree one level — two queries — at a
time). ``RequestMemoMiddleware`` answers each of them once per request:

* ``Locale.objects.get_for_language`` and ``PageQuerySet.private_q`` consult a memo that
  lives exactly as long as one GET or HEAD request (a ``ContextVar``; outside a request,
  in commands and in POSTs, nothing is memoised and Wagtail behaves as it always does);
* ``Page.get_view_restrictions`` costs nothing when the site has no view restriction at
  all (the usual case), and stays Wagtail's own otherwise;
* the page a URL leads to is found with one query on ``url_path`` (``fast_route``) and
  handed to Wagtail's serve view through the attribute Wagtail caches its route in.

``install()`` (called from ``CoreConfig.ready``) puts the three wrappers in place.
"""

import contextvars
import functools

from django.utils import translation

from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.models.i18n import LocaleManager
from wagtail.query import PageQuerySet

_memo = contextvars.ContextVar("vsop_request_memo", default=None)


def memoised(key, compute):
    """``compute()``'s value, once per request under ``key`` (every time outside a request)."""
    memo = _memo.get()
    if memo is None:
        return compute()
    try:
        return memo[key]
    except KeyError:
        value = memo[key] = compute()
        return value


def active():
    return _memo.get() is not None


class RequestMemoMiddleware:
    """Opens the memo for GET and HEAD requests and routes Wagtail pages in one query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve

        if view_func is serve and _memo.get() is not None and not hasattr(request, "_wagtail_route_for_request"):
            path = view_kwargs.get("path", view_args[0] if view_args else "")
            route = fast_route(request, path)
            if route is not None:
                request._wagtail_route_for_request = route


def fast_route(request, path):
    """Wagtail's route for ``path`` with one query for the whole path instead of two per level.

    Returns what ``Page.route_for_request`` would, or None to let Wagtail route itself
    (no site, no live home page in the active language, a 404). Pages between the
    home page and the target are skipped only where they route like any page; the
    first one with its own ``route()`` (a routable page) gets the rest of the path.
    """
    from django.http import Http404

    site = Site.find_for_request(request)
    if site is None:
        return None
    language = translation.get_language()
    root_path = next(
        (
            root.root_path
            for root in Site.get_site_root_paths()
            if root.site_id == site.pk and root.language_code == language
        ),
        None,
    )
    if root_path is None:
        return None
    components = [component for component in path.split("/") if component]
    prefixes = [root_path]
    for component in components:
        prefixes.append(f"{prefixes[-1]}{component}/")
    chain = {
        page.url_path: page
        for page in Page.objects.filter(url_path__in=prefixes, path__startswith=site.root_page.path[:4]).only(
            "id", "path", "depth", "url_path", "content_type", "live", "alias_of", "locale", "translation_key"
        )
    }
    root = chain.get(root_path)
    if root is None or not root.live:
        return None  # Wagtail falls back to the default language's home page
    # Follow the chain as far as it goes; a page with its own route() (a routable page)
    # gets the rest of the path, and a missing level is routed (to a 404) by its parent.
    target, used = root, 0
    for index in range(1, len(prefixes)):
        if target.specific_class is None or not _routes_like_a_page(target, components[used:]):
            break
        page = chain.get(prefixes[index])
        if page is None or page.depth != target.depth + 1 or not page.path.startswith(target.path):
            break
        target, used = page, index
    if target.specific_class is None:
        return None
    page = target.specific
    try:
        return page.route(request, components[used:])
    except Http404:
        return None


def _routes_like_a_page(page, remaining):
    """Whether ``page.route(request, remaining)`` would just look up its child page.

    True for Wagtail's own ``route``, and for a routable page (news index, series) whose
    own sub-routes do not match the rest of the path (it then routes like any page).
    """
    from django.urls import Resolver404

    from wagtail.contrib.routable_page.models import RoutablePageMixin

    cls = page.specific_class
    if cls.route is Page.route:
        return True
    if not issubclass(cls, RoutablePageMixin) or cls.route is not RoutablePageMixin.route:
        return False
    if not page.live:
        return True
    try:
        cls.get_resolver().resolve("/" + "".join(f"{component}/" for component in remaining))
    except Resolver404:
        return True
    return False


def attach_locale(page):
    """Give the page its ``Locale`` from the cache, so ``page.locale`` costs no query."""
    from core.page_cache import chrome

    locales = chrome("locales-by-id", lambda: {locale.pk: locale for locale in Locale.objects.all()})
    if page.locale_id in locales:
        page._state.fields_cache["locale"] = locales[page.locale_id]


def _memoised_get_for_language(original):
    @functools.wraps(original)
    def get_for_language(self, language_code):
        if _memo.get() is None:
            return original(self, language_code)
        from core.page_cache import chrome

        # Shared by all processes per content generation (a Locale change renews it);
        # a language without a Locale raises every time, as Wagtail's own method does.
        found = chrome(f"locale:{language_code}", lambda: _locale_or_none(original, self, language_code))
        if found is None:
            raise self.model.DoesNotExist(f"No locale for {language_code!r}")
        return found

    return get_for_language


def _locale_or_none(original, manager, language_code):
    try:
        return original(manager, language_code)
    except manager.model.DoesNotExist:
        return None


def _restricted_pages():
    return [restriction.page for restriction in PageViewRestriction.objects.select_related("page")]


def _memoised_private_q(original):
    @functools.wraps(original)
    def private_q(self):
        if _memo.get() is None:
            return original(self)
        from django.db.models import Q

        q = Q()
        for page in memoised("restricted_pages", _restricted_pages):
            q |= self.descendant_of_q(page, inclusive=True)
        return q if q else Q(pk__in=[])

    return private_q


def _memoised_view_restrictions(original):
    @functools.wraps(original)
    def get_view_restrictions(self):
        if _memo.get() is not None and not memoised("restricted_pages", _restricted_pages):
            return PageViewRestriction.objects.none()
        return original(self)

    return get_view_restrictions


def install():
    """Wrap Wagtail's look-ups with the per-request memo (idempotent)."""
    if getattr(LocaleManager.get_for_language, "_vsop_memo", False):
        return
    for owner, name, wrapper in (
        (LocaleManager, "get_for_language", _memoised_get_for_language),
        (PageQuerySet, "private_q", _memoised_private_q),
        (Page, "get_view_restrictions", _memoised_view_restrictions),
    ):
        wrapped = wrapper(getattr(owner, name))
        wrapped._vsop_memo = True
        setattr(owner, name, wrapped)
