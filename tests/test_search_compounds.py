"""German compounds: a word's part finds the compound, in results and suggestions, after whole-word matches.

Runs on SQLite and on PostgreSQL (where the trigram index of search.0003 serves the infix match).
"""

import re

from django.db import connection
from django.urls import reverse
from django.utils import translation

import pytest

from search.query import matching_text, parse_query, searchable_pages
from tests.factories import TopicIndexPageFactory, TopicPageFactory

pytestmark = pytest.mark.django_db


def results(client, query, language="de"):
    with translation.override(language):
        path = reverse("search")
    html = client.get(path, {"q": query}).content.decode()
    titles = re.findall(r'class="search-result__title"><a href="[^"]+">([^<]+)</a>', html)
    return titles, html


def suggestions(client, query, language="de"):
    with translation.override(language):
        path = reverse("search_suggestions")
    return [item["title"] for item in client.get(path, {"q": query}).json()["results"]]


@pytest.fixture
def topics(home_page):
    index = TopicIndexPageFactory(parent=home_page, title="Themen", slug="themen")
    paragraph = lambda text: [("paragraph", f"<p>{text}</p>")]  # noqa: E731
    return {
        "exact": TopicPageFactory(
            parent=index, title="Armut in Städten", slug="armut", body=paragraph("Armut trifft viele Menschen.")
        ),
        "compound": TopicPageFactory(
            parent=index,
            title="Familienarmut und Sozialplanung",
            slug="familienarmut",
            intro="Ein Schlüsselthema.",
            body=[
                ("heading", {"text": "Zum Einstieg", "level": "h2"}),
                ("paragraph", "<p>Sozialplanung plant für alle.</p>"),
                ("paragraph", "<p>Die Bekämpfung der Kinderarmut ist eine Aufgabe der Kommunen.</p>"),
            ],
        ),
        "care": TopicPageFactory(
            parent=index, title="Altenpflege im Quartier", slug="altenpflege", body=paragraph("Quartiere altern.")
        ),
        "unrelated": TopicPageFactory(
            parent=index, title="Wohnen", slug="wohnen", body=paragraph("Mieten steigen in Hannover.")
        ),
    }


def test_a_part_finds_the_compound_after_the_whole_word_matches(client, topics):
    titles, _html = results(client, "Armut")
    assert titles[0] == "Armut in Städten"
    assert "Familienarmut und Sozialplanung" in titles
    assert "Wohnen" not in titles

    titles, _html = results(client, "Pflege")
    assert titles == ["Altenpflege im Quartier"]


def test_counts_and_kind_filter_include_compound_matches(client, topics):
    _titles, html = results(client, "Armut")
    assert "2 Ergebnisse" in html
    with translation.override("de"):
        path = reverse("search")
    html = client.get(path, {"q": "Armut", "type": "topic"}).content.decode()
    assert "Familienarmut und Sozialplanung" in html


def test_short_parts_are_not_searched_inside_words(client, topics):
    # "Arm" would match inside far too many words ("Armut", "Warmwasser" …).
    titles, _html = results(client, "Arm")
    assert "Familienarmut und Sozialplanung" not in titles


def test_suggestions_offer_compounds_after_prefix_matches(client, topics):
    assert suggestions(client, "Armut") == ["Armut in Städten", "Familienarmut und Sozialplanung"]
    assert suggestions(client, "pflege") == ["Altenpflege im Quartier"]
    assert suggestions(client, "Sozialplan") == ["Familienarmut und Sozialplanung"]


def test_the_excerpt_is_the_matching_blocks_own_text(client, topics):
    _titles, html = results(client, "Kinderarmut")
    snippet = re.search(r'class="search-result__snippet">(.*?)</p>', html, re.S).group(1)
    assert "Die Bekämpfung der <mark>Kinderarmut</mark> ist eine Aufgabe der Kommunen." in snippet
    assert "Zum Einstieg" not in snippet and ", " not in snippet

    page = topics["compound"]
    assert matching_text(page, ("Armut",)).startswith("Die Bekämpfung der Kinderarmut")


def test_the_compound_part_is_marked_in_the_excerpt(client, topics):
    _titles, html = results(client, "Armut")
    assert "<mark>Kinderarmut</mark>" in html


def test_partial_matches_stay_in_the_visitors_language(client, topics, locale_en):
    pages = searchable_pages(locale_en)
    from search.compounds import partial_matches

    assert partial_matches(pages, parse_query("Armut"))[1] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the vocabulary table exists on PostgreSQL only")
def test_the_vocabulary_holds_the_stemmed_compounds_with_a_trigram_index(topics):
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM search_lexeme WHERE word LIKE %s", ["%armut%"])
        words = {row[0] for row in cursor.fetchall()}
        assert {"armut", "familienarmut", "kinderarmut"} <= words
        cursor.execute("SELECT word FROM search_lexeme WHERE word LIKE %s", ["%pfleg%"])
        assert "altenpfleg" in {row[0] for row in cursor.fetchall()}  # German stemming: Altenpflege
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_lexeme_word_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition
