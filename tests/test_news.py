"""The news section: index with pagination and filters, articles, feeds per language, sitemap."""

import datetime

from django.utils import translation

from wagtail.models import Locale

import pytest
from defusedxml import ElementTree as ET

from home.models import HomePage
from news.models import ArticlePage, NewsCategory, NewsIndexPage
from tests.factories import ArticlePageFactory, NewsCategoryFactory, NewsIndexPageFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def news_index(home_page):
    return NewsIndexPageFactory(parent=home_page, intro="Neues aus dem Verein.")


def make_articles(index, count, prefix="meldung", **kwargs):
    return [
        ArticlePageFactory(
            parent=index,
            title=f"Meldung {n:02d}",
            slug=f"{prefix}-{n:02d}",
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
            **kwargs,
        )
        for n in range(count)
    ]


def test_empty_index_says_so_calmly(client, news_index):
    response = client.get(news_index.url)
    assert response.status_code == 200
    assert "Noch keine Meldungen" in response.content.decode()
    assert 'type="application/rss+xml"' in response.content.decode()


def test_index_lists_newest_first_and_paginates(client, news_index):
    make_articles(news_index, 12)
    response = client.get(news_index.url)
    html = response.content.decode()
    assert html.index("Meldung 11") < html.index("Meldung 10")
    assert "Meldung 01" not in html  # on page 2
    assert 'rel="next"' in html
    second = client.get(news_index.url + "?page=2").content.decode()
    assert "Meldung 01" in second and "Meldung 00" in second and "Meldung 11" not in second
    # Nonsense page numbers show the last page instead of an error.
    assert client.get(news_index.url + "?page=abc").status_code == 200


def test_drafts_are_not_listed(client, news_index):
    ArticlePageFactory(parent=news_index, title="Entwurf", live=False)
    assert "Entwurf" not in client.get(news_index.url).content.decode()


def test_filter_by_category_and_tag(client, news_index):
    verband = NewsCategoryFactory(name="Verband", slug="verband")
    a, b = make_articles(news_index, 2)
    a.categories.add(verband)
    a.tags.add("Pflege")
    a.save_revision().publish()
    html = client.get(news_index.url).content.decode()
    assert "?category=verband" in html and "?tag=pflege" in html
    filtered = client.get(news_index.url + "?category=verband").content.decode()
    assert a.title in filtered and b.title not in filtered
    tagged = client.get(news_index.url + "?tag=pflege").content.decode()
    assert a.title in tagged and b.title not in tagged
    assert client.get(news_index.url + "?category=gibt-es-nicht").status_code == 404
    assert client.get(news_index.url + "?tag=gibt-es-nicht").status_code == 404


def test_article_page_shows_date_author_categories_and_tags(client, news_index):
    category = NewsCategoryFactory(name="Fachgruppen", slug="fachgruppen")
    article = ArticlePageFactory(parent=news_index, title="Neue Fachgruppe", author_name="Lisa Manhart")
    article.categories.add(category)
    article.tags.add("Alter")
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert "Lisa Manhart" in html
    assert "2. Mai 2024" in html
    assert f'href="{news_index.url}?category=fachgruppen"' in html
    assert f'href="{news_index.url}?tag=alter"' in html


def test_listing_query_count_does_not_grow_with_articles(client, news_index, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_ENABLED = False  # measure the page really rendered
    client.cookies[settings.SESSION_COOKIE_NAME] = "none"  # and never a cached copy

    def queries():
        client.get(news_index.url)  # warm: per-process caches and the site chrome
        with CaptureQueriesContext(connection) as context:
            assert client.get(news_index.url).status_code == 200
        return len(context.captured_queries)

    category = NewsCategoryFactory(name="Verband", slug="verband")
    for article in make_articles(news_index, 3):
        article.categories.add(category)
        article.tags.add("eins", "zwei")
        article.save_revision().publish()
    few = queries()
    for article in make_articles(news_index, 10, prefix="mehr"):
        article.categories.add(category)
        article.tags.add("drei")
        article.save_revision().publish()
    assert few > 0
    assert queries() <= few


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds(client, news_index, kind):
    make_articles(news_index, 3, author_name="Redaktion")
    response = client.get(news_index.url + f"feed/{kind}/")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    if kind == "rss":
        assert response["Content-Type"].startswith("application/rss+xml")
        channel = root.find("channel")
        assert channel.findtext("language") == "de"
        titles = [item.findtext("title") for item in channel.findall("item")]
        links = [item.findtext("link") for item in channel.findall("item")]
    else:
        assert response["Content-Type"].startswith("application/atom+xml")
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
        titles = [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]
        links = [entry.find(f"{ATOM}link").get("href") for entry in root.findall(f"{ATOM}entry")]
    assert titles == ["Meldung 02", "Meldung 01", "Meldung 00"]
    assert links[0].startswith("http://") and links[0].endswith("/meldung-02/")
    # WordPress' old feed address answers too.
    assert client.get(news_index.url + "feed/").status_code == 200


def test_english_index_feed_and_categories(client, news_index, locale_en):
    category = NewsCategoryFactory(name="Verband", slug="verband")
    category_en = category.copy_for_translation(locale_en)
    category_en.name, category_en.slug = "Association", "association"
    category_en.save()
    article = ArticlePageFactory(parent=news_index, title="Neuer Vorstand", slug="neuer-vorstand")
    article.categories.add(category)
    article.save_revision().publish()
    home_en = news_index.get_parent().copy_for_translation(locale_en)
    home_en.save_revision().publish()
    index_en = news_index.copy_for_translation(locale_en)
    index_en.title, index_en.slug = "News", "news"
    index_en.save_revision().publish()
    index_en = NewsIndexPage.objects.get(pk=index_en.pk)
    article_en = article.copy_for_translation(locale_en)
    article_en.title = "New board"
    article_en.save_revision().publish()
    article_en = ArticlePage.objects.get(pk=article_en.pk)
    with translation.override("en"):
        html = client.get(index_en.url).content.decode()
        assert "New board" in html and "Neuer Vorstand" not in html
        assert "Association" in html  # the English name of the synchronised German category
        assert "New board" in client.get(index_en.url + "?category=association").content.decode()
        feed = ET.fromstring(client.get(index_en.url + "feed/rss/").content)
    assert feed.find("channel").findtext("language") == "en"
    assert [item.findtext("title") for item in feed.find("channel").findall("item")] == ["New board"]


def test_sitemap_lists_news(client, news_index):
    article = ArticlePageFactory(parent=news_index, slug="im-sitemap")
    body = client.get("/sitemap.xml").content.decode()
    assert f"{news_index.url}</loc>" in body
    assert f"{article.url}</loc>" in body


def test_tree_rules():
    assert NewsIndexPage.allowed_parent_page_models() == [HomePage]
    assert ArticlePage.allowed_parent_page_models() == [NewsIndexPage]
    assert ArticlePage.allowed_subpage_models() == []


def test_admin_speaks_german():
    with translation.override("de"):
        assert str(ArticlePage._meta.verbose_name) == "Meldung"
        assert str(NewsIndexPage._meta.verbose_name) == "Meldungsübersicht (Aktuelles)"
        assert str(NewsCategory._meta.verbose_name) == "Meldungskategorie"
        assert str(ArticlePage._meta.get_field("date").help_text).startswith("Datum")


def test_category_slug_unique_per_language(locale_de, locale_en):
    NewsCategoryFactory(slug="verband", locale=locale_de)
    NewsCategoryFactory(slug="verband", locale=Locale.objects.get(language_code="en"))
    assert NewsCategory.objects.filter(slug="verband").count() == 2


def test_the_seeded_site_has_an_empty_news_section_in_both_languages(client, vsop_content):
    german = NewsIndexPage.objects.get(locale__language_code="de")
    english = german.get_translation(Locale.objects.get(language_code="en"))
    assert (german.title, german.url, english.title, english.url) == (
        "Aktuelles",
        "/de/aktuelles/",
        "News",
        "/en/news/",
    )
    assert not ArticlePage.objects.exists()
    assert "Noch keine Meldungen. Neue Meldungen erscheinen hier." in client.get(german.url).content.decode()
    with translation.override("en"):
        assert "No news yet. New articles will appear here." in client.get(english.url).content.decode()
