"""German compounds: a query for a word's part finds the compound ("Armut" → "Familienarmut").

Full-text search matches whole (stemmed) words, and German glues words together:
"Pflege" is not a word of "Altenpflege", so the word search misses it. This module
adds the pages that contain every query term *inside* a word, as a second tier ranked
after the word matches (``search.query``). Terms shorter than ``MIN_PART`` letters take
no part: they would match inside too many words.

* **PostgreSQL.** Migration ``search.0003`` keeps the vocabulary of the index (every
  lexeme, as stemmed for its language) in a table with a trigram index, filled by a
  trigger. A term is stemmed with its language's configuration ("Pflege" → "pfleg"), the
  lexemes containing it are looked up ("altenpfleg", "pflegeplan" …), and the pages are
  found with an ordinary full-text query on the ``title || body`` GIN index: lexemes OR'ed
  per term, terms AND'ed, minus the pages the word search finds. Chosen by measurement:
  a trigram ``LIKE`` on the pages' whole text had to re-check thousands of long texts
  (README, Search).
* **SQLite** (first runs, small sites) filters the index table's plain text with
  ``lower(text) LIKE '%term%'`` and drops the pages the word search finds.
* **Suggestions.** ``partial_title_matches`` adds pages whose *title* contains the
  terms inside a word after Wagtail's prefix autocomplete.

``SEARCH_PARTIAL_WORDS = False`` turns the second tier off (the benchmark compares both).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import IntegerField
from django.db.models.functions import Cast, Length

from wagtail.models import get_page_models
from wagtail.search.models import IndexEntry

MIN_PART = 4
MAX_PARTIAL = 1000


def enabled():
    return getattr(settings, "SEARCH_PARTIAL_WORDS", True)


def usable_terms(terms):
    """The lower-cased terms, or () when any is too short to look for inside words."""
    if not terms or any(len(term) < MIN_PART for term in terms):
        return ()
    return tuple(term.lower() for term in terms)


def like_pattern(term):
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def text_expression():
    """The plain text of an index entry, lower-cased, as SQL (the SQLite way of finding parts)."""
    if connection.vendor == "postgresql":
        return "lower(title_text || ' ' || body_text)"
    return "lower(title || ' ' || coalesce(body, ''))"


def page_content_type_ids():
    return [content_type.pk for content_type in ContentType.objects.get_for_models(*get_page_models()).values()]


def indexed_ids_containing(terms):
    """A subquery: primary keys of indexed pages whose text contains every term inside a word."""
    where = [f"{text_expression()} LIKE %s ESCAPE '\\'" for _term in terms]
    return (
        IndexEntry.objects.filter(content_type_id__in=page_content_type_ids())
        .extra(where=where, params=[like_pattern(term) for term in terms])  # noqa: S610 - fixed SQL, terms are parameters
        .annotate(page_id=Cast("object_id", IntegerField()))
        .values("page_id")
    )


MAX_LEXEMES_PER_TERM = 60


def search_config(language_code):
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    config_for = getattr(backend, "config_for_language", None)
    return config_for(language_code) if config_for else "simple"


def postgres_partial_ids(terms, search_string, language_code):
    """One query: ids (as text) of indexed pages matching the terms inside words but not as words."""
    config = search_config(language_code)
    page_types = page_content_type_ids()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT stem, array(
                SELECT word FROM search_lexeme WHERE word LIKE '%%' || stem || '%%' AND word <> stem
                ORDER BY length(word) LIMIT %s)
            FROM unnest(%s::text[]) AS term,
                 LATERAL unnest(tsvector_to_array(to_tsvector(%s::regconfig, term))) AS stem
            """,
            [MAX_LEXEMES_PER_TERM, list(terms), config],
        )
        expansions = cursor.fetchall()
        if len(expansions) != len(terms) or not all(words for _stem, words in expansions):
            return []
        groups = [
            "(" + " | ".join("'" + word.replace("'", "''") + "'" for word in [stem, *words]) + ")"
            for stem, words in expansions
        ]
        table = connection.ops.quote_name(IndexEntry._meta.db_table)
        cursor.execute(
            f"SELECT object_id FROM {table} WHERE content_type_id = ANY(%s) "  # noqa: S608 - fixed table name
            "AND (title || body) @@ to_tsquery('simple', %s) "
            "AND NOT (title || body) @@ plainto_tsquery(%s::regconfig, %s) LIMIT %s",
            [page_types, " & ".join(groups), config, search_string, MAX_PARTIAL],
        )
        return [row[0] for row in cursor.fetchall()]


def partial_matches(pages, query):
    """``pages`` with every term inside a word that the word search did not find.

    Returns ``(queryset, [(pk, content_type_id), …])``: the list for counting, the queryset
    for showing them. One query when nothing matches inside words, two when something does.
    """
    terms = usable_terms(query.terms)
    if not enabled() or not terms:
        return pages.none(), []
    if connection.vendor == "postgresql":
        ids = [int(object_id) for object_id in postgres_partial_ids(terms, query.search_string, active_language())]
        if not ids:
            return pages.none(), []
        found = list(pages.filter(pk__in=ids).values_list("pk", "content_type_id"))
        return pages.filter(pk__in=[pk for pk, _type in found]), found
    found = list(pages.filter(pk__in=indexed_ids_containing(terms)).values_list("pk", "content_type_id")[:MAX_PARTIAL])
    if not found:
        return pages.none(), []
    by_words = {page.pk for page in pages.filter(pk__in=[pk for pk, _type in found]).search(query.search_string)}
    found = [(pk, content_type_id) for pk, content_type_id in found if pk not in by_words]
    return pages.filter(pk__in=[pk for pk, _type in found]), found


def active_language():
    from django.utils import translation

    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


def partial_title_matches(pages, terms, exclude, limit):
    """Pages whose title contains every term (inside a word), shortest titles first, for suggestions."""
    terms = usable_terms(terms)
    if not enabled() or not terms or limit <= 0:
        return []
    for term in terms:
        pages = pages.filter(title__icontains=term)
    return list(pages.exclude(pk__in=exclude).order_by(Length("title"), "title").specific()[:limit])
