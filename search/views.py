"""The search page and its autocomplete suggestions, both in the visitor's language only."""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import F
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Locale
from wagtail.search.utils import normalise_query_string

from search import compounds
from search.models import SearchTermStatistic
from search.query import (
    KINDS,
    KINDS_BY_SLUG,
    build_results,
    kind_of,
    parse_query,
    result_counts,
    results_page,
    searchable_pages,
)
from topics.models import EventSeriesPage, TopicIndexPage, WorkingGroupIndexPage

SUGGESTIONS = 8


def promotions_for(query, locale):
    """Editors' picks for this query that exist in the visitor's language, in the editors' order."""
    promotions = []
    for promotion in SearchPromotion.objects.filter(
        query__query_string=normalise_query_string(query.search_string)
    ).select_related("page"):
        if promotion.page is None:
            if promotion.external_link_url:
                promotions.append(
                    {"title": promotion.title, "url": promotion.external_link_url, "promotion": promotion}
                )
            continue
        page = promotion.page.get_translation_or_none(locale)
        if page is not None and page.live and not page.get_view_restrictions().exists():
            promotions.append({"title": page.title, "url": page.get_url(), "page": page, "promotion": promotion})
    return promotions


def search_url(language_code, **params):
    with translation.override(language_code):
        return f"{reverse('search')}?{urlencode(params)}"


def no_results_help(query, locale, kind):
    """What the "no results" page suggests: other languages, popular searches, the site's sections."""
    other_languages = []
    for other in Locale.objects.exclude(pk=locale.pk).order_by("language_code"):
        count = searchable_pages(other).search(query.search_string).count()
        if count:
            info = translation.get_language_info(other.language_code)
            other_languages.append(
                {
                    "code": other.language_code,
                    "name": info["name_local"],
                    "count": count,
                    "url": search_url(other.language_code, q=query.text),
                }
            )
    popular = [
        row["query_string"]
        for row in SearchTermStatistic.objects.filter(language_code=locale.language_code)
        .exclude(query_string=normalise_query_string(query.text))
        .report()
        .filter(total_hits_without_results__lt=F("total_hits"))[:5]
    ]
    sections = (
        searchable_pages(locale).type(TopicIndexPage, WorkingGroupIndexPage, EventSeriesPage).order_by("path")[:6]
    )
    return {
        "other_languages": other_languages,
        "popular_searches": [{"query": term, "url": search_url(locale.language_code, q=term)} for term in popular],
        "sections": sections,
        "all_kinds_url": search_url(locale.language_code, q=query.text) if kind else "",
    }


@require_GET
def search(request):
    query = parse_query(request.GET.get("q", ""))
    kind = KINDS_BY_SLUG.get(request.GET.get("type", ""))
    locale = Locale.get_active()
    context = {"search_query": query.text, "query": query, "kinds": KINDS, "selected_kind": kind}

    if query.too_long:
        context["error"] = _("Your search is too long. Please use at most %(max)d characters.") % {
            "max": settings.SEARCH_MAX_QUERY_LENGTH
        }
        return TemplateResponse(request, "search/search.html", context, status=400)
    if not query.terms:
        if query.text:
            context["error"] = _("Please search for words or numbers; punctuation alone finds nothing.")
        return TemplateResponse(request, "search/search.html", context)

    promotions = promotions_for(query, locale)
    pages = searchable_pages(locale).exclude(id__in=[p["page"].pk for p in promotions if "page" in p])
    counts = result_counts(pages, query)
    total = sum(counts.values())
    page_obj = results_page(pages, query, kind, request.GET.get("page"), counts)
    first_page = page_obj.number == 1

    if request.GET.get("page", "1") == "1" and not kind:
        SearchTermStatistic.record(query.text, locale.language_code, total + len(promotions))

    context.update(
        {
            "promotions": promotions if first_page else [],
            "search_results": page_obj,
            "results": build_results(page_obj.object_list, query.terms),
            "total": total,
            "kind_counts": [
                {"kind": kind_option, "count": counts[kind_option.slug], "url": kind_url(query, kind_option)}
                for kind_option in KINDS
            ],
            "all_kinds_url": search_url(locale.language_code, q=query.text),
            "page_query": urlencode({"q": query.text, **({"type": kind.slug} if kind else {})}),
        }
    )
    if not page_obj.object_list and not context["promotions"]:
        context.update(no_results_help(query, locale, kind))
    return TemplateResponse(request, "search/search.html", context)


def kind_url(query, kind):
    return "?" + urlencode({"q": query.text, "type": kind.slug})


@require_GET
def suggestions(request):
    """Titles of pages in the visitor's language that start with what was typed, as JSON, for the header field."""
    query = parse_query(request.GET.get("q", ""))
    if query.too_long or not query.terms:
        return JsonResponse({"results": []})
    candidates = searchable_pages(Locale.get_active())
    pages = list(candidates.specific().autocomplete(query.search_string)[:SUGGESTIONS])
    # Then titles with the words inside a compound ("Armut" → "Familienarmut"), after the prefix matches.
    pages += compounds.partial_title_matches(
        candidates, query.terms, exclude=[page.pk for page in pages], limit=SUGGESTIONS - len(pages)
    )
    return JsonResponse(
        {
            "results": [
                {"title": page.title, "url": page.get_url(request), "kind": str(kind_of(page).label)} for page in pages
            ]
        }
    )
