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


def breadcrumbs(page):
    """Ancestors of the page below the tree root (the language's home first)."""
    return list(page.get_ancestors().filter(depth__gt=1).live().public())


def translations(request, page=None):
    """One entry per site language: where the switcher links and whether the page exists there.

    ``page=None`` (a view that is not a page) links to the same view in the other language.
    """
    current = translation.get_language()
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    pages = {}
    if page is not None:
        for translated in page.get_translations(inclusive=True).live().public().select_related("locale"):
            pages[translated.locale.language_code] = translated
    entries = []
    for code, name in settings.LANGUAGES:
        if code not in locales:
            continue
        entry = {"code": code, "name": name, "is_current": code == current, "is_fallback": False}
        if page is None:
            entry["url"] = translate_url(request.get_full_path(), code)
        elif code in pages:
            entry["url"] = pages[code].get_url(request)
        else:
            with translation.override(code):
                home = locale_home(request)
            entry["url"] = home.get_url(request) if home else f"/{code}/"
            entry["is_fallback"] = True
        entries.append(entry)
    return entries
