"""Queries for the site chrome: the language's home page, main menu, breadcrumb, translations.

Each helper runs a fixed number of queries, whatever the size of the tree, and at most
once per request (``core.memo``). What every page shows alike — the menu, the settings
with their legal links, the locales — is built once per content generation and shared
by all processes through the cache (``core.page_cache.chrome``): after the first visitor
it costs no query until the next change. Cached values are plain dicts of titles and
URLs, so templates read ``item.url`` and ``item.title`` instead of calling ``pageurl``.
"""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from wagtail.models import Locale, Page, Site
from wagtail.rich_text import expand_db_html

from core.email_protection import protect_emails
from core.memo import memoised
from core.page_cache import chrome


def locale_home(request):
    """The home page of the active language (the site root's translation), or None."""
    return memoised(
        ("locale_home", translation.get_language()),
        lambda: chrome(f"home:{_site_key(request)}", lambda: _locale_home(request)),
    )


def _locale_home(request):
    site = Site.find_for_request(request)
    return site.root_page.localized if site is not None else None


def _site_key(request):
    site = Site.find_for_request(request)
    return f"{site.pk if site else 0}:{translation.get_language()}"


def main_menu(request, current_page=None):
    """Live, public children of the language's home page that are marked for menus.

    Each item is ``{"pk", "path", "title", "url", "is_active", "is_current"}``; ``title`` is
    the menu title where the editor gave one.
    """
    items = chrome(f"menu:{_site_key(request)}", lambda: _menu_items(request))
    current_path = current_page.path if current_page else ""
    current_pk = current_page.pk if current_page is not None else None
    return [
        {
            **item,
            "is_active": bool(current_path) and current_path.startswith(item["path"]),
            "is_current": item["pk"] == current_pk,
        }
        for item in items
    ]


def _menu_items(request):
    home = locale_home(request)
    if home is None:
        return []
    pages = home.get_children().live().public().in_menu().specific().defer_streamfields()
    return [
        {
            "pk": page.pk,
            "path": page.path,
            "title": getattr(page, "menu_title", "") or page.title,
            "url": page.get_url(request),
        }
        for page in pages
    ]


def absolute_url(request, page):
    """The page's address with scheme and host as the visitor reached the site (no query).

    Wagtail's ``get_full_url`` would use the host name stored in the Site record instead,
    which on a first run (``localhost``) is not where the site is served.
    """
    url = page.get_url(request)
    return request.build_absolute_uri(url) if url else ""


def breadcrumbs(page, request=None):
    """Ancestors of the page below the tree root (the language's home first), as ``{"title", "url"}``."""
    if page is None or page.pk is None:
        return []

    def build():
        return [{"title": ancestor.title, "url": ancestor.get_url(request)} for ancestor in _ancestors(page)]

    if request is None:
        return build()
    return chrome(f"crumbs:{_site_key(request)}:{page.pk}:{page.path}", build)


def _ancestors(page):
    return list(page.get_ancestors().filter(depth__gt=1).live().public())


class SiteChrome:
    """The site settings of the active language as every page shows them (see ``site_settings``).

    Plain values, so it can be cached: ``organisation_name``, ``tagline``, ``footer_text``
    (the stored rich text) and ``footer_html`` (expanded, e-mail addresses protected),
    ``contact_email``, ``social_links`` (``link.value.label``/``link.value.url``), and the
    legal pages in this language if they are live: ``imprint``/``privacy`` as
    ``{"title", "url"}`` or None. ``imprint_page``/``privacy_page`` load the stored pages
    (queries; for code that needs the page objects).
    """

    def __init__(self, settings_obj, request=None):
        self.pk = settings_obj.pk
        self.organisation_name = settings_obj.organisation_name
        self.tagline = settings_obj.tagline
        self.footer_text = settings_obj.footer_text
        self.footer_html = protect_emails(expand_db_html(settings_obj.footer_text)) if settings_obj.footer_text else ""
        self.contact_email = settings_obj.contact_email
        self.social_links = [
            {"value": {"label": link.value["label"], "url": link.value["url"]}} for link in settings_obj.social_links
        ]
        self.imprint_page_id = settings_obj.imprint_page_id
        self.privacy_page_id = settings_obj.privacy_page_id
        legal = _localized_live_pages([self.imprint_page_id, self.privacy_page_id])
        self.imprint = _link(legal.get(self.imprint_page_id), request)
        self.privacy = _link(legal.get(self.privacy_page_id), request)

    def __bool__(self):
        return True

    @property
    def imprint_page(self):
        return Page.objects.filter(pk=self.imprint_page_id).first() if self.imprint_page_id else None

    @property
    def privacy_page(self):
        return Page.objects.filter(pk=self.privacy_page_id).first() if self.privacy_page_id else None


def _link(page, request):
    return {"title": page.title, "url": page.get_url(request)} if page is not None else None


def _localized_live_pages(page_ids):
    """For each page id, what ``page.localized`` gives if it is live and public, in one query.

    That is the page's translation in the active language when it is live, else the page itself.
    """
    page_ids = [pk for pk in page_ids if pk]
    if not page_ids:
        return {}
    locale = Locale.get_active()
    keys = Page.objects.filter(pk__in=page_ids).values("translation_key")
    family = list(Page.objects.filter(translation_key__in=keys).select_related(None))
    visible = (
        {page.pk for page in Page.objects.filter(pk__in=[p.pk for p in family]).live().public()} if family else set()
    )
    result = {}
    for pk in page_ids:
        own = next((p for p in family if p.pk == pk), None)
        if own is None:
            continue
        translated = next(
            (p for p in family if p.translation_key == own.translation_key and p.locale_id == locale.pk), None
        )
        chosen = translated if translated is not None and translated.live else own
        if chosen.pk in visible:
            result[pk] = chosen
    return result


def site_settings(request=None):
    """The ``SiteChrome`` of the active language (falling back to German), or None."""
    from home.models import SiteSettings

    def build():
        try:
            locale = Locale.get_active()
        except Locale.DoesNotExist:
            return None
        found = SiteSettings.for_locale(locale)
        return SiteChrome(found, request) if found is not None else None

    key = _site_key(request) if request is not None else f"0:{translation.get_language()}"
    return chrome(f"settings:{key}", build)


def locale_codes_by_id():
    """``{locale id: language code}`` of every Locale (cached per content generation)."""
    return chrome("locale-codes", lambda: dict(Locale.objects.values_list("pk", "language_code")))


def available_languages():
    """Language codes that have a Locale (cached per content generation)."""
    return chrome("locales", lambda: set(Locale.objects.values_list("language_code", flat=True)))


class LanguageLinks(list):
    """The switcher's entries, one per site language, with what ``<head>`` needs besides.

    ``content_language`` is the language of what the page shows (for ``<html lang>``),
    ``x_default`` the absolute URL of the default-language version (for ``hreflang="x-default"``).
    """

    content_language = ""
    x_default = ""


def translations(request, page=None):
    """Where the language switcher and the ``hreflang`` links lead, for each site language.

    An entry is ``{"code", "name", "url", "full_url", "is_current", "is_fallback"}``. For a
    page, it leads to the page's live translation; where there is none, to that language's
    home page, with ``is_fallback`` set (the switcher says so and no ``hreflang`` is given).
    ``page=None`` (a view that is not a page, e.g. search) links to the same view in the other
    language, or to that language's home when the path has no counterpart (a 404).
    Three queries at most, however large the tree.
    """
    current = translation.get_language()
    available = available_languages()
    pages = _translated_urls(request, page) if page is not None else {}
    links = LanguageLinks()
    links.content_language = next((code for code, p in pages.items() if p["pk"] == page.pk), current)
    path = request.get_full_path()
    # Without a page, a path Wagtail's catch-all route matched is a 404: nothing to translate.
    match = request.resolver_match
    translatable_view = page is None and match is not None and match.url_name != "wagtail_serve"
    for code, name in settings.LANGUAGES:
        if code not in available:
            continue
        entry = {"code": code, "name": name, "is_current": code == links.content_language, "is_fallback": False}
        if page is not None and code in pages:
            entry["url"] = pages[code]["url"]
            entry["full_url"] = request.build_absolute_uri(entry["url"]) if entry["url"] else ""
        elif translatable_view and (code == current or translate_url(path, code) != path):
            entry["url"] = path if code == current else translate_url(path, code)
            entry["full_url"] = request.build_absolute_uri(entry["url"])
        else:
            with translation.override(code):
                home = locale_home(request)
            entry["url"] = home.get_url(request) if home is not None else f"/{code}/"
            entry["full_url"] = request.build_absolute_uri(entry["url"])
            entry["is_fallback"] = True
        if code == settings.LANGUAGE_CODE and not entry["is_fallback"]:
            links.x_default = entry["full_url"]
        links.append(entry)
    return links


def _translated_urls(request, page):
    """``{language code: {"pk", "url"}}`` of the page and its live, public translations."""

    def build():
        candidates = page.get_translations(inclusive=True)
        # The page itself always counts (a draft in preview), its translations when visitors may see them.
        found = (candidates.live().public() | candidates.filter(pk=page.pk)).select_related("locale")
        return {p.locale.language_code: {"pk": p.pk, "url": p.get_url(request)} for p in found}

    if page.pk is None or getattr(request, "is_preview", False):
        return build()
    return chrome(f"translations:{_site_key(request)}:{page.pk}", build)
