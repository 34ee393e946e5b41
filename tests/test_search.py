"""The search page: stemming per language, visibility, promotions, statistics, kinds, ordering, bad input.

Stemming needs PostgreSQL's text-search configurations; on SQLite (FTS5, no stemming)
those tests skip with that reason. Everything else runs on both databases.
"""

import datetime
import re

from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page, PageViewRestriction
from wagtail.search.models import IndexEntry

import pytest

from search.models import SearchTermStatistic
from search.query import parse_query, searchable_pages, snippet
from tests.factories import (
    EventPageFactory,
    EventSeriesPageFactory,
    OrganisationFactory,
    PersonFactory,
    TopicIndexPageFactory,
    TopicPageFactory,
    WorkingGroupIndexPageFactory,
    WorkingGroupPageFactory,
)
from topics.models import PagePartner, PageSpeaker

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Stemming needs PostgreSQL text-search configurations; SQLite's FTS5 index does not stem.",
)


def result_urls(response):
    return re.findall(r'class="search-result__title"><a href="([^"]+)"', response.content.decode())


def search_path(language="de", name="search"):
    with translation.override(language):
        return reverse(name)


def search(client, query, language="de", **params):
    return client.get(search_path(language), {"q": query, **params})


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def english_home(home_page, locale_en):
    home = home_page.copy_for_translation(locale_en)
    return publish(home)


@pytest.fixture
def topics_de(home_page):
    return TopicIndexPageFactory(parent=home_page, title="Themen", slug="themen")


@pytest.fixture
def topics_en(english_home, locale_en):
    return TopicIndexPageFactory(parent=english_home, title="Topics", slug="topics", locale=locale_en)


# --- German stemming on the seeded site -------------------------------------------------


@needs_postgres
@pytest.mark.django_db
class TestGermanStemming:
    def test_familie_finds_the_family_poverty_essay(self, client, vsop_content):
        assert "/de/themen/familienarmut/" in result_urls(search(client, "Familie"))

    def test_pflege_finds_the_working_group_alter_und_pflege(self, client, vsop_content):
        assert "/de/fachgruppen/alter-und-pflege/" in result_urls(search(client, "Pflege"))

    def test_kinder_finds_the_essay_that_only_says_kindern(self, client, vsop_content):
        essay = Page.objects.get(url_path__endswith="/themen/familienarmut/", locale__language_code="de").specific
        text = IndexEntry.objects.get(content_type_id=essay.content_type_id, object_id=str(essay.pk)).body_text
        assert "Kindern" in text
        assert not re.search(r"\bKinder\b", text), "the essay must say only 'Kindern' for this test to mean anything"
        response = search(client, "Kinder")
        assert "/de/themen/familienarmut/" in result_urls(response)
        assert "<mark>Kindern</mark>" in response.content.decode()

    def test_search_across_languages_stems_with_every_configuration(self, vsop_content):
        # The admin searches all locales at once: each row matches through its own stemming.
        essay = Page.objects.get(slug="familienarmut", locale__language_code="de")
        assert essay in list(Page.objects.search("Kinder"))


@needs_postgres
@pytest.mark.django_db
class TestEnglishStemming:
    def test_english_words_are_stemmed_on_english_pages(self, client, topics_en, locale_en):
        TopicPageFactory(
            parent=topics_en,
            locale=locale_en,
            title="Poverty of households with children",
            slug="household-poverty",
            body=[("paragraph", "<p>Municipalities support families through planning.</p>")],
        )
        response = search(client, "family", language="en")
        assert result_urls(response) == ["/en/topics/household-poverty/"]
        assert "<mark>families</mark>" in response.content.decode()
        assert result_urls(search(client, "municipality planned", language="en")) == ["/en/topics/household-poverty/"]

    def test_german_stemming_is_not_applied_to_english_pages(self, client, topics_en, locale_en):
        # German stems "Planungen" to "plan" as well, but English keeps "planungen" whole.
        TopicPageFactory(parent=topics_en, locale=locale_en, title="Plans", slug="plans", body=[])
        assert result_urls(search(client, "Planungen", language="en")) == []


@pytest.mark.django_db
def test_a_german_query_on_english_pages_finds_no_german_page(client, topics_de, topics_en, locale_en):
    TopicPageFactory(parent=topics_de, title="Familienarmut und Sozialplanung", slug="familienarmut")
    TopicPageFactory(parent=topics_en, locale=locale_en, title="Family poverty", slug="family-poverty")
    assert result_urls(search(client, "Familienarmut")) == ["/de/themen/familienarmut/"]
    english = search(client, "Familienarmut", language="en")
    assert english.status_code == 200
    assert not [url for url in result_urls(english) if url.startswith("/de/")]
    # … and the no-results page points to the German results instead.
    assert 'hreflang="de"' in english.content.decode()
    assert f"{search_path('de')}?q=Familienarmut" in english.content.decode()


# --- What is indexed ---------------------------------------------------------------------


@pytest.mark.django_db
class TestIndexedContent:
    def test_guiding_questions_and_body_text(self, client, topics_de):
        TopicPageFactory(
            parent=topics_de,
            slug="quartier",
            body=[
                ("guiding_questions", {"heading": "Leitfragen", "questions": ["Wer trägt Quartiersverantwortung?"]})
            ],
        )
        assert result_urls(search(client, "Quartiersverantwortung")) == ["/de/themen/quartier/"]

    def test_event_speakers_and_place(self, client, home_page):
        series = EventSeriesPageFactory(parent=home_page, slug="reihe")
        event = EventPageFactory(parent=series, slug="tagung", place="Rathaus Quakenbrück", title="Fachtagung")
        PageSpeaker.objects.create(page=event, person=PersonFactory(name="Hildegard Zwiebelfisch"))
        publish(event)
        assert result_urls(search(client, "Quakenbrück")) == ["/de/reihe/tagung/"]
        assert result_urls(search(client, "Zwiebelfisch")) == ["/de/reihe/tagung/"]

    def test_working_group_topics_and_series_partners(self, client, home_page):
        groups = WorkingGroupIndexPageFactory(parent=home_page, slug="fachgruppen")
        WorkingGroupPageFactory(parent=groups, slug="raum", topics=[("item", "Sozialraumorientierung")])
        series = EventSeriesPageFactory(parent=home_page, slug="reihe")
        PagePartner.objects.create(page=series, organisation=OrganisationFactory(name="Stiftung Sonnenblume"))
        publish(series)
        assert result_urls(search(client, "Sozialraumorientierung")) == ["/de/fachgruppen/raum/"]
        assert result_urls(search(client, "Sonnenblume")) == ["/de/reihe/"]

    def test_update_index_rebuilds_the_index(self, client, topics_de):
        TopicPageFactory(parent=topics_de, slug="neu", title="Wohnungslosenhilfe")
        IndexEntry.objects.all().delete()
        assert result_urls(search(client, "Wohnungslosenhilfe")) == []
        call_command("update_index", verbosity=0)
        assert result_urls(search(client, "Wohnungslosenhilfe")) == ["/de/themen/neu/"]


# --- Only live, public pages -------------------------------------------------------------


@pytest.mark.django_db
class TestVisibility:
    def test_drafts_private_and_unpublished_pages_never_appear(self, client, topics_de):
        TopicPageFactory(parent=topics_de, slug="live", title="Zauberwort öffentlich")
        TopicPageFactory(parent=topics_de, slug="draft", title="Zauberwort Entwurf", live=False)
        private = TopicPageFactory(parent=topics_de, slug="private", title="Zauberwort intern")
        PageViewRestriction.objects.create(page=private, restriction_type="password", password="geheim")
        group_only = TopicPageFactory(parent=topics_de, slug="group", title="Zauberwort Gruppe")
        restriction = PageViewRestriction.objects.create(page=group_only, restriction_type="groups")
        restriction.groups.add(Group.objects.create(name="Vorstand"))
        withdrawn = TopicPageFactory(parent=topics_de, slug="withdrawn", title="Zauberwort zurückgezogen")
        withdrawn.unpublish()

        response = search(client, "Zauberwort")
        assert result_urls(response) == ["/de/themen/live/"]
        assert b"Entwurf" not in response.content and b"intern" not in response.content

        suggestions = client.get(search_path(name="search_suggestions"), {"q": "Zauberw"}).json()["results"]
        assert [s["url"] for s in suggestions] == ["/de/themen/live/"]

    def test_publishing_and_unpublishing_update_the_results_at_once(self, client, topics_de):
        page = TopicPageFactory(parent=topics_de, slug="bald", title="Vorläufiger Titel", live=False)
        assert result_urls(search(client, "Eingliederungshilfe")) == []
        page.title = "Eingliederungshilfe"
        publish(page)
        assert result_urls(search(client, "Eingliederungshilfe")) == ["/de/themen/bald/"]
        page.unpublish()
        assert result_urls(search(client, "Eingliederungshilfe")) == []


# --- Results page ----------------------------------------------------------------------


@pytest.mark.django_db
class TestResultsPage:
    def test_result_shows_title_kind_date_and_marked_snippet(self, client, topics_de):
        TopicPageFactory(
            parent=topics_de,
            slug="teilhabe",
            title="Teilhabe",
            date=datetime.date(2021, 3, 4),
            body=[("paragraph", "<p>Kommunale Sozialplanung stärkt die Teilhabeplanung vor Ort.</p>")],
        )
        html = search(client, "Teilhabeplanung").content.decode()
        assert "/de/themen/teilhabe/" in html
        assert 'class="search-result__kind">Thema<' in html
        assert 'datetime="2021-03-04"' in html
        assert "<mark>Teilhabeplanung</mark>" in html
        # The query stays in the header field and in the page's field.
        assert html.count('value="Teilhabeplanung"') == 2

    def test_filter_by_kind(self, client, home_page, topics_de):
        TopicPageFactory(parent=topics_de, slug="pflege-thema", title="Pflegeplanung Thema")
        groups = WorkingGroupIndexPageFactory(parent=home_page, slug="fachgruppen")
        WorkingGroupPageFactory(parent=groups, slug="pflege", title="Pflegeplanung Fachgruppe")
        assert len(result_urls(search(client, "Pflegeplanung"))) == 2
        assert result_urls(search(client, "Pflegeplanung", type="working-group")) == ["/de/fachgruppen/pflege/"]
        assert result_urls(search(client, "Pflegeplanung", type="topic")) == ["/de/themen/pflege-thema/"]
        assert result_urls(search(client, "Pflegeplanung", type="form")) == []
        html = search(client, "Pflegeplanung").content.decode()
        assert "Fachgruppe (1)" in html and "Thema (1)" in html

    def test_pagination(self, client, topics_de):
        for number in range(12):
            TopicPageFactory(parent=topics_de, slug=f"seite-{number}", title=f"Seniorenplanung {number}")
        first = search(client, "Seniorenplanung")
        second = search(client, "Seniorenplanung", page=2)
        assert len(result_urls(first)) == 10
        assert len(result_urls(second)) == 2
        assert not set(result_urls(first)) & set(result_urls(second))
        assert "page=2" in first.content.decode()

    def test_pagination_within_a_kind(self, client, home_page, topics_de):
        for number in range(12):
            TopicPageFactory(parent=topics_de, slug=f"seite-{number}", title=f"Seniorenplanung {number}")
        groups = WorkingGroupIndexPageFactory(parent=home_page, slug="fachgruppen")
        WorkingGroupPageFactory(parent=groups, slug="senioren", title="Seniorenplanung Fachgruppe")
        second = search(client, "Seniorenplanung", type="topic", page=2)
        assert len(result_urls(second)) == 2
        assert all(url.startswith("/de/themen/") for url in result_urls(second))
        assert "12 Ergebnisse der Art „Thema“" in second.content.decode()
        assert len(result_urls(search(client, "Seniorenplanung", type="working-group"))) == 1

    def test_matches_are_counted_once_per_results_page(self, client, topics_de):
        # The counts per kind also serve the paginator: no second search just to count.
        for number in range(12):
            TopicPageFactory(parent=topics_de, slug=f"seite-{number}", title=f"Seniorenplanung {number}")
        with CaptureQueriesContext(connection) as context:
            response = search(client, "Seniorenplanung", page=2)
        assert len(result_urls(response)) == 2
        counting = [query["sql"] for query in context.captured_queries if "COUNT(" in query["sql"].upper()]
        assert len(counting) == 1, counting

    def test_past_events_come_after_upcoming_ones_of_equal_relevance(self, client, home_page):
        series = EventSeriesPageFactory(parent=home_page, slug="reihe")
        now = timezone.now()
        # Created first, so without the rule the newer (past) page would win the tie on id.
        EventPageFactory(
            parent=series, slug="kommend", title="Quartierskonferenz", start=now + datetime.timedelta(days=9)
        )
        EventPageFactory(
            parent=series, slug="vorbei", title="Quartierskonferenz", start=now - datetime.timedelta(days=9)
        )
        response = search(client, "Quartierskonferenz")
        assert result_urls(response) == ["/de/reihe/kommend/", "/de/reihe/vorbei/"]
        assert "vergangene Veranstaltung" in response.content.decode()

    def test_no_results_page_suggests_sections_and_popular_searches(self, client, topics_de):
        TopicPageFactory(parent=topics_de, slug="armut", title="Kinderarmut")
        search(client, "Kinderarmut")
        html = search(client, "Xylophonunterricht").content.decode()
        assert "0 Ergebnisse" in html
        assert 'href="/de/themen/"' in html  # a section of the site
        assert f"{search_path('de')}?q=kinderarmut" in html  # a popular search that found something


@needs_postgres
@pytest.mark.django_db
def test_search_filter_can_use_the_gin_index_on_title_and_body(topics_de):
    # Wagtail filters with (title || body) @@ query; only an index on that very expression
    # (migration search 0002) spares PostgreSQL a scan of the whole index table.
    TopicPageFactory(parent=topics_de, slug="pflege", title="Pflegeplanung")
    pages = searchable_pages(topics_de.locale)
    sql, _params = pages.search("Pflegeplanung").get_queryset().query.sql_with_params()
    table = connection.ops.quote_name(IndexEntry._meta.db_table)
    expression = f'({table}."title" || {table}."body") @@ '
    assert expression in sql, sql
    # Such a filter alone on the index table: the test table is tiny, so PostgreSQL would
    # rather read it whole; with that forbidden, only an index on the very expression helps.
    with connection.cursor() as cursor:
        for method in ("seqscan", "indexscan"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        explain = f"EXPLAIN SELECT id FROM {table} WHERE (title || body) @@ to_tsquery('german', %s)"  # noqa: S608
        cursor.execute(explain, ["pflege"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on search_indexentry_title_body_gin" in plan, plan
    assert [page.slug for page in pages.search("Pflegeplanung")] == ["pflege"]


# --- Promotions and statistics -----------------------------------------------------------


@pytest.mark.django_db
def test_promotions_come_first(client, home_page, topics_de):
    TopicPageFactory(parent=topics_de, slug="familie", title="Familienplanung")
    promoted = TopicPageFactory(parent=topics_de, slug="empfohlen", title="Unsere Empfehlung")
    SearchPromotion.objects.create(query=Query.get("Familienplanung"), page=promoted, description="Von der Redaktion")
    SearchPromotion.objects.create(
        query=Query.get("familienplanung"), external_link_url="https://example.org/", external_link_text="Extern"
    )
    html = search(client, "Familienplanung").content.decode()
    promoted_at = html.index("/de/themen/empfohlen/")
    assert promoted_at < html.index("https://example.org/") < html.index("/de/themen/familie/")
    assert "Von der Redaktion" in html


@pytest.mark.django_db
def test_promoted_page_in_another_language_is_not_shown(client, topics_de, topics_en, locale_en):
    german = TopicPageFactory(parent=topics_de, slug="familie", title="Familie")
    SearchPromotion.objects.create(query=Query.get("family"), page=german)
    assert "/de/themen/familie/" not in search(client, "family", language="en").content.decode()


@pytest.mark.django_db
def test_query_report_counts_searches_and_searches_without_results(client, topics_de):
    TopicPageFactory(parent=topics_de, slug="pflege", title="Pflegestatistik")
    for _ in range(3):
        search(client, "Pflegestatistik")
    search(client, "pflegestatistik", page=2)  # paging through results is not another search
    search(client, "Nichtvorhanden")
    rows = {row["query_string"]: row for row in SearchTermStatistic.objects.report()}
    assert rows["pflegestatistik"]["total_hits"] == 3
    assert rows["pflegestatistik"]["total_hits_without_results"] == 0
    assert rows["nichtvorhanden"]["total_hits"] == 1
    assert rows["nichtvorhanden"]["total_hits_without_results"] == 1
    assert list(rows)[0] == "pflegestatistik"

    admin = User.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    report = client.get("/admin/reports/search-queries/")
    assert report.status_code == 200
    assert "pflegestatistik" in report.content.decode()
    only_empty = client.get("/admin/reports/search-queries/", {"without_results": "true"}).content.decode()
    assert "nichtvorhanden" in only_empty and "pflegestatistik" not in only_empty
    export = client.get("/admin/reports/search-queries/", {"export": "csv"})
    assert b"pflegestatistik,de,3,0," in b"".join(export.streaming_content)


@pytest.mark.django_db
def test_query_report_is_for_editors_who_manage_promotions(client):
    editor = User.objects.create_user("editor", "editor@example.org", "pw", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get("/admin/reports/search-queries/").status_code == 302  # Wagtail's "permission denied"
    editor.user_permissions.add(Permission.objects.get(codename="add_searchpromotion"))
    assert client.get("/admin/reports/search-queries/").status_code == 200


# --- Bad input ----------------------------------------------------------------------------

BAD_QUERIES = [
    "",
    "   ",
    "&",
    "a & b | c ! d",
    "Pflege:*",
    "(Pflege",
    "Pflege)",
    "'",
    "Pfle'ge",
    "!!!",
    "& | ! : * ( ) '",
    '"Alter und Pflege"',
    '"unbalanced',
    "AND OR NOT NEAR",
    "<script>alert('x')</script>",
    "<b>Pflege</b>",
    "Fürsorge für Ältere – „Pflege“ 😀 نشر 中文",
    "Pflege\x00Alter",
    "\u200b\u202e",
    "Pflege\\",
    "%_",
    "a" * 255,
    " ".join(["Pflege"] * 30),
    "'; DROP TABLE wagtailcore_page; --",
]


@pytest.mark.django_db
@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_input_answers_with_a_page_not_an_error(client, topics_de, query):
    TopicPageFactory(parent=topics_de, slug="pflege", title="Alter und Pflege")
    response = search(client, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<b>Pflege</b>" not in html
    assert client.get(search_path(name="search_suggestions"), {"q": query}).status_code == 200
    assert Page.objects.filter(slug="pflege").exists()


@pytest.mark.django_db
def test_absurdly_long_query_is_refused_with_a_message(client, home_page):
    response = search(client, "Pflege " * 1500)
    assert response.status_code == 400
    assert "höchstens 255 Zeichen" in response.content.decode()
    assert client.get(search_path(name="search_suggestions"), {"q": "x" * 10_000}).json() == {"results": []}


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": "99999"}, {"page": "-1"}, {"type": "<bogus>"}])
def test_bad_paging_and_kind_parameters(client, topics_de, params):
    TopicPageFactory(parent=topics_de, slug="pflege", title="Pflege")
    response = search(client, "Pflege", **params)
    assert response.status_code == 200
    assert result_urls(response) == ["/de/themen/pflege/"]


def test_parse_query_keeps_only_words():
    parsed = parse_query("  Pflege & (Alter) | 'Kinder':* \x00 ")
    assert parsed.terms == ("Pflege", "Alter", "Kinder")
    assert not parsed.too_long
    assert parse_query("x" * 256).too_long


def test_snippet_escapes_text_before_marking_terms():
    html = snippet("Eltern <script>alert(1)</script> und Kindern & Familien", ["Kinder", "Familie"])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>Kindern</mark> &amp; <mark>Familien</mark>" in html
