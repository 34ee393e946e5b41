"""Page links in rich text, resolved for a whole request in one or two queries.

Wagtail's page link handler costs a query for the linked pages of each rich text and one
more per link (``page.localized``), so a body with 30 paragraphs that link 30 pages costs
60 queries. ``PageLinkHandler`` here answers from a per-request memo of page id → URL in
the visitor's language; ``prefetch_page_links`` fills it for every page a routed page's
stored rich text links to (found in the raw data), with one query for the pages and one
for their translations. Links outside that page (a block elsewhere) are resolved per rich
text in the same two queries. Output is Wagtail's: ``<a href="…">`` of the live
translation, else of the page itself; ``<a>`` for a page that no longer exists.
"""

import re

from django.utils.html import escape

from wagtail.models import Locale, Page
from wagtail.rich_text.pages import PageLinkHandler as WagtailPageLinkHandler

from core.memo import active, memoised

_PAGE_LINK = re.compile(r"<a\b[^>]*\blinktype=\\?[\"']page\\?[\"'][^>]*>")
_ID = re.compile(r"\bid=\\?[\"'](\d+)")


def _urls():
    return memoised("rich_text_page_urls", dict)


def localized_urls(ids):
    """``{page id: URL in the active language, or None}`` for the ids, two queries for the unknown ones."""
    urls = _urls()
    missing = {int(pk) for pk in ids if str(pk).isdigit()} - set(urls)
    if missing:
        pages = list(
            Page.objects.filter(pk__in=missing).only(
                "id", "path", "depth", "url_path", "locale", "live", "translation_key", "content_type"
            )
        )
        try:
            locale = Locale.get_active()
        except (LookupError, Locale.DoesNotExist):
            locale = None
        translations = {}
        keys = {page.translation_key for page in pages if locale is not None and page.locale_id != locale.pk}
        if keys:
            translations = {
                page.translation_key: page
                for page in Page.objects.filter(translation_key__in=keys, locale_id=locale.pk)
                .live()
                .only("id", "path", "depth", "url_path", "locale", "live", "translation_key", "content_type")
            }
        for page in pages:
            target = translations.get(page.translation_key, page)
            urls[page.pk] = target.url
        for pk in missing:
            urls.setdefault(pk, None)
    return {int(pk): urls.get(int(pk)) for pk in ids if str(pk).isdigit()}


def prefetch_page_links(page):
    """Resolve in advance every page link in the page's stored rich text (StreamFields and text fields)."""
    if not active():
        return
    ids = set()
    for field in page._meta.concrete_fields:
        value = page.__dict__.get(field.attname)
        raw = getattr(value, "raw_data", value)
        if isinstance(raw, str):
            text = raw
        elif hasattr(value, "raw_data"):
            text = repr(list(raw))
        else:
            continue
        if "linktype" not in text:
            continue
        for tag in _PAGE_LINK.findall(text):
            found = _ID.search(tag)
            if found:
                ids.add(int(found.group(1)))
    if ids:
        localized_urls(ids)


class PageLinkHandler(WagtailPageLinkHandler):
    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        urls = localized_urls([attrs.get("id") for attrs in attrs_list])
        result = []
        for attrs in attrs_list:
            pk = attrs.get("id")
            url = urls.get(int(pk)) if str(pk).isdigit() else None
            result.append(f'<a href="{escape(url)}">' if url else "<a>")
        return result
