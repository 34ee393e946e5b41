"""What the search page does with a visitor's query: cleaning, result kinds, snippets.

Visitors type anything; the backend only ever sees words. ``parse_query`` drops
control characters and every operator of tsquery and FTS5 syntax (``& | ! : * ( ) '``
and quotes) by keeping only the words (``\\w+``, any script), so no input can make
the database raise a syntax error.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from wagtail.blocks import StreamValue
from wagtail.models import Page, get_page_models
from wagtail.search import index
from wagtail.search.models import IndexEntry

from core.stream_text import stream_texts
from core.upstream import index_entry_text_field
from forms.models import FormPage
from search import compounds
from topics.models import EventPage, EventSeriesPage, TopicPage, WorkingGroupPage
from topics.models.events import is_over

MAX_TERMS = 10
RESULTS_PER_PAGE = 10
WORD = re.compile(r"\w+")
# Control and format characters (NUL is refused by PostgreSQL text columns).
INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # what the visitor typed, cleaned, at most SEARCH_MAX_QUERY_LENGTH characters: shown in the field
    terms: tuple  # the words searched for
    too_long: bool

    @property
    def search_string(self):
        return " ".join(self.terms)


def parse_query(raw):
    raw = unicodedata.normalize("NFC", raw or "")
    raw = "".join(" " if unicodedata.category(char) in INVISIBLE else char for char in raw)
    raw = " ".join(raw.split())
    max_length = settings.SEARCH_MAX_QUERY_LENGTH
    text = raw[:max_length]
    terms = tuple(term for term in WORD.findall(text) if term.strip("_"))[:MAX_TERMS]
    return ParsedQuery(text=text, terms=terms, too_long=len(raw) > max_length)


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str
    models: tuple  # empty: every page type not claimed by another kind


KINDS = (
    Kind("topic", _("Topic"), (TopicPage,)),
    Kind("event", _("Event"), (EventPage, EventSeriesPage)),
    Kind("working-group", _("Working group"), (WorkingGroupPage,)),
    Kind("form", _("Form"), (FormPage,)),
    Kind("page", _("Page"), ()),
)
KINDS_BY_SLUG = {kind.slug: kind for kind in KINDS}
TYPED_MODELS = tuple(model for kind in KINDS for model in kind.models)


def kind_of(page_or_model):
    model = page_or_model if isinstance(page_or_model, type) else type(page_or_model)
    for kind in KINDS:
        if kind.models and issubclass(model, kind.models):
            return kind
    return KINDS_BY_SLUG["page"]


def kinds_by_content_type():
    """The kind of every page type, by content type id (search facets count by content type)."""
    content_types = ContentType.objects.get_for_models(*get_page_models())
    return {content_type.pk: kind_of(model) for model, content_type in content_types.items()}


def filter_kind(pages, kind):
    return pages.type(*kind.models) if kind.models else pages.not_type(*TYPED_MODELS)


def searchable_pages(locale):
    """Live, public pages of one language, the tree root left out."""
    return Page.objects.live().public().filter(locale=locale, depth__gt=1)


def past_events_last():
    """Ordering that puts past events after everything else; used to break ties in relevance."""
    past = EventPage.objects.filter(pk=OuterRef("pk")).filter(is_over())
    return Exists(past).asc()


class ResultCounts(dict):
    """Matches by kind slug: word matches (``exact``) plus pages matching inside words (``partial``)."""

    def __init__(self, exact, partial_counts, partial):
        super().__init__({slug: exact[slug] + partial_counts[slug] for slug in exact})
        self.exact = exact
        self.partial = partial


def result_counts(pages, query):
    """How many of ``pages`` match ``query``, by kind slug (every kind present, zeros included).

    Word matches first; then pages that contain the terms only inside a word (German
    compounds, ``search.compounds``), counted apart so they can be ranked after them.
    """
    exact = {kind.slug: 0 for kind in KINDS}
    kinds = kinds_by_content_type()
    for content_type_id, count in pages.search(query.search_string).facet("content_type_id").items():
        exact[kinds[content_type_id].slug] += count
    partial, partial_types = compounds.partial_matches(pages, query)
    partial_counts = {kind.slug: 0 for kind in KINDS}
    for _pk, content_type_id in partial_types:
        partial_counts[kinds[content_type_id].slug] += 1
    return ResultCounts(exact, partial_counts, partial)


class TieredResults:
    """Word matches (a search, sliced lazily), then the pages matching inside words."""

    def __init__(self, exact, exact_count, partial):
        self.exact, self.exact_count, self.partial = exact, exact_count, partial

    def __len__(self):
        return self.exact_count + len(self.partial)

    def __getitem__(self, index):
        start, stop = index.start or 0, index.stop
        items = list(self.exact[start : min(stop, self.exact_count)]) if start < self.exact_count else []
        if stop > self.exact_count:
            items += list(self.partial[max(start - self.exact_count, 0) : stop - self.exact_count])
        return items


class CountedPaginator(Paginator):
    """A paginator told its count, so that paging does not run the search once more to count it."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self):
        return self._known_count


def results_page(pages, query, kind, number, counts):
    """One page of results (specific pages, most relevant first, upcoming events before past ones).

    ``counts`` are ``result_counts(pages, query)``: the number of results is known, and the
    paginator takes it from there instead of counting the matches again.
    """
    if kind:
        pages = filter_kind(pages, kind)
    count = counts[kind.slug] if kind else sum(counts.values())
    results = pages.order_by(past_events_last()).specific().search(query.search_string)
    partial = getattr(counts, "partial", None)
    if partial is not None:
        exact = counts.exact[kind.slug] if kind else sum(counts.exact.values())
        if kind:
            partial = filter_kind(partial, kind)
        results = TieredResults(results, exact, partial.order_by(past_events_last(), "title").specific())
    return CountedPaginator(results, RESULTS_PER_PAGE, count).get_page(number)


def term_pattern(terms):
    """Words that start like a query term ("Kinder" marks "Kindern", "families" marks "family"),
    and words that contain a whole term of ``compounds.MIN_PART`` letters or more ("Armut" marks
    "Familienarmut")."""
    stems, parts = [], []
    for term in terms:
        stem = term[: max(4, len(term) - 3)] if len(term) > 4 else term
        stems.append(re.escape(stem))
        if len(term) >= compounds.MIN_PART:
            parts.append(re.escape(term))
    stems.sort(key=len, reverse=True)
    pattern = r"(?<!\w)(?:" + "|".join(stems) + r")\w*"
    if parts:
        pattern += r"|\w+(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")\w*"
    return re.compile(pattern, re.IGNORECASE)


def snippet(text, terms, length=240):
    """An excerpt of ``text`` around the first matching word, HTML-escaped, with the matches in <mark>."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    pattern = term_pattern(terms) if terms else None
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > length // 3:
        start = text.rfind(" ", 0, match.start() - length // 3) + 1
    end = start + length
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    excerpt = text[start:end]
    parts = ["…" if start else ""]
    position = 0
    for found in pattern.finditer(excerpt) if pattern else ():
        parts.append(escape(excerpt[position : found.start()]))
        parts.append(f"<mark>{escape(found.group())}</mark>")
        position = found.end()
    parts.append(escape(excerpt[position:]))
    if end < len(text):
        parts.append("…")
    return mark_safe("".join(parts))  # noqa: S308 – every piece of text above is escaped


def indexed_texts(pages):
    """The text the index holds for each page (body fields, speakers, places …), by page id, in one query."""
    if not pages:
        return {}
    rows = IndexEntry.objects.filter(
        content_type_id__in={page.content_type_id for page in pages},
        object_id__in=[str(page.pk) for page in pages],
    ).values_list("object_id", index_entry_text_field())
    return {int(object_id): text for object_id, text in rows}


@dataclass(frozen=True)
class SearchResult:
    page: Page
    kind: Kind
    snippet: str
    date: object
    is_past_event: bool


def page_texts(page):
    """The page's searchable texts one by one: each text field, and each block (part) of a StreamField on its own."""
    for field in getattr(page, "search_fields", []):
        name = getattr(field, "field_name", None)
        if not isinstance(field, index.SearchField) or name in (None, "title"):
            continue
        value = getattr(page, name, None)
        if isinstance(value, StreamValue):
            # A struct block (call to action, quote …) gives one text per part: each stands alone.
            # Read from the stored data: converting the blocks would fetch every linked page.
            for piece in stream_texts(value):
                yield strip_tags(piece)
        elif isinstance(value, str):
            yield strip_tags(value)


def matching_text(page, terms, fallback=""):
    """The first of the page's texts (a field or one block) with a query term in it, else ``fallback``.

    An excerpt from one block reads as written; the index's text joins all blocks of a page.
    """
    pattern = term_pattern(terms) if terms else None
    first = ""
    for text in page_texts(page):
        text = " ".join(text.split())
        if not text:
            continue
        first = first or text
        if pattern is None or pattern.search(text):
            return text
    return fallback or first


def build_results(pages, terms):
    pages = list(pages)
    texts = indexed_texts([page for page in pages if not list(page_texts(page))])
    results = []
    for page in pages:
        date = page.start if isinstance(page, EventPage) else getattr(page, "date", None)
        fallback = texts.get(page.pk) or getattr(page, "intro", "") or page.search_description
        text = matching_text(page, terms, fallback)
        results.append(
            SearchResult(
                page=page,
                kind=kind_of(page),
                snippet=snippet(text, terms),
                date=date,
                is_past_event=isinstance(page, EventPage) and page.is_past,
            )
        )
    return results
