"""A search backend that stems every language with its own PostgreSQL text-search configuration.

Why: Wagtail's database backends keep one shared index table and take one
``SEARCH_CONFIG`` for everything (Wagtail issue #9253), so a bilingual site has to
choose between German and English stemming. With ``german`` only, "families" does
not find "family"; with ``english`` only, "Familie" does not find "Familien".

How:

* **Index time.** ``LocaleAwarePostgresIndex`` groups the objects to index by their
  locale and builds each group's tsvectors with the configuration of that language
  (``SEARCH_CONFIGS``, e.g. ``{"de": "german", "en": "english"}``). Objects without a
  locale (images, documents) and languages without an entry use ``SEARCH_CONFIG``
  (default ``simple``: lower-casing, no stemming). A tsvector holds lexemes, so the
  row remembers how it was stemmed; the one shared table and its GIN indexes stay
  as Wagtail made them, and ``update_index`` rebuilds everything the same way.
* **Query time.** ``LocaleAwarePostgresSearchQueryCompiler`` reads the queryset's
  filter: ``Page.objects.filter(locale=…).search(q)`` is stemmed with that locale's
  configuration, so the query lexemes match the lexemes stored for that language.
  A search across locales (the admin) ORs the query stemmed once per configuration
  (``to_tsquery('german', q) || to_tsquery('english', q) || …``): each row then
  matches through the stemming it was indexed with.
* **Index use.** Wagtail filters with ``(title || body) @@ query``; migration
  ``search.0002`` adds a GIN index on exactly that expression (Wagtail has them on
  ``title`` and ``body`` only), and ``search()`` filters through an alias instead of
  selecting the combined vector of every match.
* **Autocomplete** keeps Wagtail's ``simple`` configuration on both sides: prefixes
  must not be stemmed ("Pfle" is no word to stem).
* **Ties.** When results are ordered by relevance, an explicit ``order_by()`` on the
  searched queryset orders results of about equal relevance (within ~10 %, see
  ``relevance_band``); Wagtail would discard it. The search page uses this to list
  upcoming events before past ones.

On SQLite (``make run``) the backend is Wagtail's FTS5 backend with the same tie
rule and no stemming; on other databases Wagtail's fallback backend.

Configure it in ``WAGTAILSEARCH_BACKENDS``::

    "default": {
        "BACKEND": "search.backend",
        "SEARCH_CONFIGS": {"de": "german", "en": "english"},
        "SEARCH_CONFIG": "simple",
    }
"""

import copy
import operator
from collections import defaultdict
from functools import cache, reduce

from django.db import connection
from django.db.models import F, FloatField, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Greatest, Ln, Round
from django.db.models.lookups import Exact, In
from django.utils import translation

from modelsearch.backends.database import SearchBackend as database_search_backend
from modelsearch.backends.database.postgres.postgres import (
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)
from modelsearch.query import And, Not, Or, Phrase, PlainText
from wagtail.models import Locale

from core.upstream import is_sqlite_fts_backend

DEFAULT_CONFIG = "simple"
# Bands per factor e (2.718) of relevance: 10 makes each band about 10 % wide.
RELEVANCE_BANDS_PER_E = 10


def language_of(language_code):
    """The base language of a code: "de-at" → "de"."""
    return (language_code or "").split("-")[0].lower()


def has_locale(model):
    return any(field.attname == "locale_id" for field in model._meta.concrete_fields)


def relevance_band(relevance):
    """Relevance rounded on a log scale, so results within about 10 % of each other count as equally relevant.

    Exact float ties are rare: Wagtail's title normalisation differs with the moment a row was
    indexed, so two identical pages rarely score exactly alike.
    """
    return Round(Ln(Greatest(relevance, Value(1e-9), output_field=FloatField())) * RELEVANCE_BANDS_PER_E)


class LocaleAwarePostgresIndex(PostgresIndex):
    def add_items(self, model, objs):
        if not has_locale(model):
            return super().add_items(model, objs)
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        groups = defaultdict(list)
        for obj in objs:
            groups[self.backend.config_for_language(languages.get(obj.locale_id))].append(obj)
        for config, group in groups.items():
            PostgresIndex(self.backend.with_config(config)).add_items(model, group)


class LocaleAwarePostgresSearchQueryCompiler(PostgresSearchQueryCompiler):
    def get_config(self, backend):
        if not has_locale(self.queryset.model):
            return backend.config
        locale_ids = self.filtered_locale_ids()
        if len(locale_ids) == 1:
            # The locales' codes are cached per content generation: no query per search.
            from core.navigation import locale_codes_by_id

            return backend.config_for_language(locale_codes_by_id().get(next(iter(locale_ids))))
        if self.fields is not None:
            # Vectors built on the fly from model fields take a single configuration.
            return backend.config_for_language(translation.get_language())
        return backend.all_configs()

    def filtered_locale_ids(self):
        """Locale ids the queryset is restricted to by a top-level ``locale`` filter, else an empty set."""
        where = self.queryset.query.where
        if where.negated or where.connector != "AND":
            return set()
        for child in where.children:
            target = getattr(getattr(child, "lhs", None), "target", None)
            if target is None or target.attname != "locale_id":
                continue
            if isinstance(child, Exact):
                return {getattr(child.rhs, "pk", child.rhs)}
            if isinstance(child, In) and isinstance(child.rhs, list | tuple | set):
                return {getattr(value, "pk", value) for value in child.rhs}
        return set()

    def build_tsquery(self, query, config=None):
        if isinstance(config, tuple):
            build = super().build_tsquery
            return reduce(operator.or_, [build(query, config=each) for each in config])
        return super().build_tsquery(query, config=config)

    def search(self, config, start, stop, score_field=None, backend=None):
        if not isinstance(self.query, PlainText | Phrase | And | Or | Not) or self.fields is not None:
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        # Wagtail's search() annotates the matched vector (title || body), so PostgreSQL
        # builds it for every match and sends it along with each result; an alias filters the
        # same way (and through the GIN index of migration 0002) without selecting it.
        search_query = self.build_tsquery(self.query, config=config)
        vectors = self.get_index_vectors(search_query)
        rank_expression = self._build_rank_expression(vectors, config)  # private: see core.upstream
        combined_vector = reduce(lambda left, right: CombinedExpression(left, "||", right), [v for v, _ in vectors])
        queryset = self.queryset.alias(_vector_=combined_vector).filter(_vector_=search_query)
        return self._apply_ordering_and_scoring(queryset, rank_expression, start, stop, score_field)

    # Overrides a private modelsearch method (listed and checked in core.upstream).
    def _apply_ordering_and_scoring(self, queryset, rank_expression, start, stop, score_field=None):
        tie_breakers = self.queryset.query.order_by
        if not (self.order_by_relevance and tie_breakers):
            return super()._apply_ordering_and_scoring(queryset, rank_expression, start, stop, score_field)
        queryset = queryset.order_by(
            relevance_band(rank_expression).desc(), *tie_breakers, rank_expression.desc(), "-pk"
        )
        if score_field is not None:
            queryset = queryset.annotate(**{score_field: rank_expression})
        return queryset[start:stop]


class LocaleAwarePostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = LocaleAwarePostgresSearchQueryCompiler
    index_class = LocaleAwarePostgresIndex

    def __init__(self, params):
        super().__init__(params)
        self.config = params.get("SEARCH_CONFIG") or DEFAULT_CONFIG
        self.configs = {language_of(code): config for code, config in params.get("SEARCH_CONFIGS", {}).items()}

    def config_for_language(self, language_code):
        return self.configs.get(language_of(language_code), self.config)

    def all_configs(self):
        return tuple(dict.fromkeys([*self.configs.values(), self.config]))

    def with_config(self, config):
        """A shallow copy of this backend that indexes with ``config``."""
        backend = copy.copy(self)
        backend.config = config
        return backend


@cache
def sqlite_backend_class():
    # Imported late: the module defines SQLite-only models and fails on PostgreSQL.
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend, SQLiteSearchQueryCompiler

    class TieBreakingSQLiteSearchQueryCompiler(SQLiteSearchQueryCompiler):
        def search(self, config, start, stop, score_field=None):
            queryset = super().search(config, None, None, score_field=score_field)
            score = score_field or "_score"
            tie_breakers = self.queryset.query.order_by
            if self.order_by_relevance and tie_breakers and score in queryset.query.annotations:
                # bm25() is negative, and lower for better matches.
                band = relevance_band(-F(score))
                queryset = queryset.order_by(band.desc(), *tie_breakers, score, "-pk")
            return queryset[start:stop]

    class TieBreakingSQLiteSearchBackend(SQLiteSearchBackend):
        query_compiler_class = TieBreakingSQLiteSearchQueryCompiler

    return TieBreakingSQLiteSearchBackend


def SearchBackend(params):
    """The backend for the ``default`` database: locale-aware on PostgreSQL, FTS5 on SQLite."""
    if connection.vendor == "postgresql":
        return LocaleAwarePostgresSearchBackend(params)
    backend = database_search_backend(params)
    if connection.vendor == "sqlite" and is_sqlite_fts_backend(backend):
        return sqlite_backend_class()(params)
    return backend
