"""Many pages at once, for benchmarks and tests (``make bench``, the query budgets).

``add_child()`` costs several queries and a tree lock per page; here the tree paths are
computed and the rows inserted in batches (Django's ``bulk_create`` refuses multi-table
models, so the ``Page`` rows go in first and the page type's own table after). No signal
is sent and nothing is indexed for search; the content generation is renewed at the end,
so cached pages and menus see the new pages.
"""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.utils import timezone

from wagtail.models import Page

from core.page_cache import bump_generation

BATCH = 500
_PAGE_FIELDS = {field.name for field in Page._meta.concrete_fields} | {"locale_id", "owner_id"}


def bulk_children(parent, model, items, live=True):
    """Create one ``model`` page under ``parent`` for each dict in ``items``; returns them.

    A dict holds page fields (``title``, ``slug``, ``show_in_menus``, ``translation_key``,
    ``locale_id``…; slug and title default to a numbered one) and the page type's own fields.
    """
    parent = Page.objects.get(pk=parent.pk)
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    depth = parent.depth + 1
    created = []
    for offset in range(0, len(items), BATCH):
        batch = items[offset : offset + BATCH]
        pages, own_fields = [], []
        for number, item in enumerate(batch, start=parent.numchild + offset + 1):
            page_fields = {key: value for key, value in item.items() if key in _PAGE_FIELDS}
            own_fields.append({key: value for key, value in item.items() if key not in _PAGE_FIELDS})
            slug = page_fields.pop("slug", f"{parent.slug}-{number}")
            title = page_fields.pop("title", slug)
            page_fields.setdefault("locale_id", parent.locale_id)
            page_fields.setdefault("translation_key", uuid.uuid4())
            pages.append(
                Page(
                    path=Page._get_path(parent.path, depth, number),
                    depth=depth,
                    numchild=0,
                    title=title,
                    draft_title=title,
                    slug=slug,
                    url_path=f"{parent.url_path}{slug}/",
                    content_type=content_type,
                    live=live,
                    has_unpublished_changes=False,
                    first_published_at=now if live else None,
                    last_published_at=now if live else None,
                    **page_fields,
                )
            )
        Page.objects.bulk_create(pages)
        specifics = [model(page_ptr_id=page.pk, **fields) for page, fields in zip(pages, own_fields, strict=True)]
        model._base_manager._insert(specifics, fields=model._meta.local_concrete_fields, using=connection.alias)
        created.extend(specifics)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(items))
    bump_generation()
    return list(model.objects.filter(pk__in=[page.pk for page in created]).order_by("path"))
