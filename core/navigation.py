"""Queries for the site chrome: the language's home page, main menu, breadcrumb, translations.

Each helper runs a fixed number of queries, whatever the size of the tree.
"""

from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from wagtail.models import Locale, Page, Site


def locale_home(request):
    """The home page of the active language (the site root's translation), or None."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page
    language = translation.get_language()
    if root.locale.language_code == language:
        return root
    return (
        Page.objects.filter(translation_key=root.translation_key, locale__language_code=language).live().first()
    ) or root


def main_menu(request, current_page=None):
    """Live, public children of the language's home page that are marked for menus."""
    home = locale_home(request)
    if home is None:
        return []
    items = list(home.get_children().live().public().in_menu().specific().defer_streamfields())
    current_path = current_page.path if current_page else ""
    for item in items:
        item.is_active = bool(current_path) and current_path.startswith(item.path)
        item.is_current = current_page is not None and item.pk == current_page.pk
    return items


def absolute_url(request, page):
    """The page's address with scheme and host as the visitor reached the site (no query).

    Wagtail's ``get_full_url`` would use the host name stored in the Site record instead,
    which on a first run (``localhost``) is not where the site is served.
    """
    url = page.get_url(request)
    return request.build_absolute_uri(url) if url else ""


def breadcrumbs(page):
    """Ancestors of the page below the tree root (the language's home first)."""
    return list(page.get_ancestors().filter(depth__gt=1).live().public())


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
    available = set(Locale.objects.values_list("language_code", flat=True))
    pages = {}
    if page is not None:
        candidates = page.get_translations(inclusive=True)
        # The page itself always counts (a draft in preview), its translations when visitors may see them.
        for translated in (candidates.live().public() | candidates.filter(pk=page.pk)).select_related("locale"):
            pages[translated.locale.language_code] = translated
    links = LanguageLinks()
    links.content_language = next((code for code, p in pages.items() if p.pk == page.pk), current)
    path = request.get_full_path()
    # Without a page, a path Wagtail's catch-all route matched is a 404: nothing to translate.
    match = request.resolver_match
    translatable_view = page is None and match is not None and match.url_name != "wagtail_serve"
    for code, name in settings.LANGUAGES:
        if code not in available:
            continue
        entry = {"code": code, "name": name, "is_current": code == links.content_language, "is_fallback": False}
        if page is not None and code in pages:
            entry["url"] = pages[code].get_url(request)
            entry["full_url"] = absolute_url(request, pages[code])
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
