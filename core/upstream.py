"""Every private API of Wagtail, modelsearch and Django that this project touches, in one place.

Private names (a leading underscore, or a model field that is not documented) change
without a deprecation period. Code elsewhere calls them only through this module, and
``tests/test_upstream.py`` checks each one against the installed packages: after an
upgrade that renames, removes or changes one of them, that test fails and names it,
instead of a search result or a translation silently going wrong.

When upgrading Wagtail or modelsearch: run ``tests/test_upstream.py``, re-read the
upstream code of every entry below, adapt the callers, then raise ``VERIFIED_WITH``.
"""

from dataclasses import dataclass
from importlib import import_module

# The releases whose private APIs below were read and verified.
VERIFIED_WITH = {"wagtail": "8.0", "modelsearch": "1.3"}


@dataclass(frozen=True)
class PrivateAPI:
    owner: str  # "package.module:Class"
    name: str
    parameters: tuple  # expected parameter names, self included
    used_by: str

    def resolve(self):
        module_name, class_name = self.owner.split(":")
        return getattr(import_module(module_name), class_name)


PRIVATE_APIS = (
    PrivateAPI(
        "modelsearch.backends.database.postgres.postgres:PostgresSearchQueryCompiler",
        "_build_rank_expression",
        ("self", "vectors", "config"),
        "search.backend: ranks the (title || body) match the way Wagtail does",
    ),
    PrivateAPI(
        "modelsearch.backends.database.postgres.postgres:PostgresSearchQueryCompiler",
        "_apply_ordering_and_scoring",
        ("self", "queryset", "rank_expression", "start", "stop", "score_field"),
        "search.backend: overridden to order results of equal relevance by the page's own ordering",
    ),
    PrivateAPI(
        "wagtail.blocks.list_block:ListBlock",
        "_item_is_in_block_format",
        ("self", "item"),
        "core.content_loader: list items stored with ids, as wagtail-localize needs them",
    ),
)


def index_entry_text_field():
    """The IndexEntry column that holds the indexed body as plain text (search excerpts are cut from it).

    On PostgreSQL ``body`` is a tsvector and the text sits in ``body_text`` (modelsearch
    migration 0003 / wagtailsearch 0010); on SQLite and other databases ``body`` is the text.
    """
    from django.db import connection

    return "body_text" if connection.vendor == "postgresql" else "body"


def list_item_is_in_block_format(list_block, item):
    """Whether a stored ListBlock item is a ``{"type", "value", "id"}`` dict (Wagtail's format)."""
    return list_block._item_is_in_block_format(item)


def is_sqlite_fts_backend(backend):
    """Whether Wagtail chose modelsearch's FTS5 backend.

    Imported here, on SQLite only: the module defines SQLite-only models.
    """
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

    return type(backend) is SQLiteSearchBackend
