"""A page chooser block that localises all the pages of a stream in one query.

Link, call-to-action and form blocks show the chosen page in the visitor's language
(``page.localized``), which costs a query per block. Wagtail already fetches the chosen
pages of a whole stream in one query (``bulk_to_python``); ``LocalizedPageChooserBlock``
adds one query for their live translations in the active language and keeps the answer
on each page, so ``localized_page(page)`` costs nothing however many blocks a page has.
The stored value and the editor are Wagtail's own, and ``deconstruct`` keeps Wagtail's
path, so migrations do not change.
"""

from wagtail import blocks
from wagtail.models import Locale


class LocalizedPageChooserBlock(blocks.PageChooserBlock):
    def bulk_to_python(self, values):
        pages = super().bulk_to_python(values)
        batch = _Batch([page for page in pages if page is not None], self.model_class)
        for page in batch.pages:
            page._localize_batch = batch
        return pages

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "wagtail.blocks.PageChooserBlock", args, kwargs


class _Batch:
    """The pages of one stream; their translations are looked up together, on first use only."""

    def __init__(self, pages, model):
        self.pages, self.model, self.done = pages, model, False

    def resolve(self):
        if not self.done:
            self.done = True
            attach_localized(self.pages, self.model)


def attach_localized(pages, model):
    """Give each page ``_localized``: its live translation in the active language, else itself."""
    if not pages:
        return
    try:
        locale = Locale.get_active()
    except (LookupError, Locale.DoesNotExist):
        return
    keys = {page.translation_key for page in pages if page.locale_id != locale.pk}
    translations = {}
    if keys:
        translations = {
            page.translation_key: page
            for page in model.objects.filter(translation_key__in=keys, locale_id=locale.pk).live()
        }
    for page in pages:
        page._localized = page if page.locale_id == locale.pk else translations.get(page.translation_key, page)


def localized_page(page):
    """``page.localized`` without a query per page when it came through ``LocalizedPageChooserBlock``."""
    if page is None:
        return None
    batch = getattr(page, "_localize_batch", None)
    if batch is not None:
        batch.resolve()
    return getattr(page, "_localized", None) or page.localized
