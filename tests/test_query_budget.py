"""Every page type costs at most 12 SQL queries, in both languages, however much it holds.

A warm, anonymous visitor (the second request: per-process caches such as content types
filled) is measured with the page cache off, so the page is really rendered. Each site is
built with 3 of everything — child pages, body blocks, linked pages, people, events, form
fields, news articles, menu items, search hits — then grown to 30 and to 300 (in bulk,
``core.bulk_pages``), and every page must cost the same number of queries at each size and
never more than ``BUDGET`` (``django_assert_max_num_queries``).
"""

import datetime
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from core.bulk_pages import bulk_children
from forms.models import FormField
from home.models import StandardPage
from news.models import ArticlePage
from tests.factories import (
    ArticlePageFactory,
    EventPageFactory,
    EventSeriesPageFactory,
    FormPageFactory,
    NewsIndexPageFactory,
    StandardPageFactory,
    TopicIndexPageFactory,
    TopicPageFactory,
    WorkingGroupIndexPageFactory,
    WorkingGroupPageFactory,
)
from topics.models import (
    EventPage,
    PageAuthor,
    PageContact,
    PageSpeaker,
    Person,
    RelatedTopic,
    TopicPage,
    WorkingGroupPage,
)

pytestmark = pytest.mark.django_db

BUDGET = 12
SIZES = (3, 30, 300)


@pytest.fixture(autouse=True)
def _render_every_request(settings):
    settings.PAGE_CACHE_ENABLED = False


def soon(days):
    return timezone.now() + datetime.timedelta(days=days)


class BudgetSite:
    """One language's tree with every page type; ``grow_to(n)`` gives each list n entries."""

    def __init__(self, home, locale, words):
        self.home, self.locale, self.words = home, locale, words
        self.size = 0
        kw = {"locale": locale}
        self.topic_index = TopicIndexPageFactory(parent=home, slug=words["topics"], show_in_menus=True, **kw)
        self.topic = TopicPageFactory(parent=self.topic_index, slug="armut", title="Armut Thema", **kw)
        self.series = EventSeriesPageFactory(parent=home, slug=words["series"], show_in_menus=True, **kw)
        self.event = EventPageFactory(parent=self.series, slug="tagung", start=soon(10), **kw)
        self.group_index = WorkingGroupIndexPageFactory(parent=home, slug=words["groups"], show_in_menus=True, **kw)
        self.group = WorkingGroupPageFactory(parent=self.group_index, slug="pflege", **kw)
        self.standard = StandardPageFactory(parent=home, slug="ueber", show_in_menus=True, **kw)
        self.form = FormPageFactory(parent=home, slug="kontakt", show_in_menus=True, **kw)
        self.news = NewsIndexPageFactory(parent=home, slug=words["news"], show_in_menus=True, **kw)
        self.article = ArticlePageFactory(parent=self.news, slug="meldung", **kw)

    def urls(self):
        pages = [
            self.home,
            self.topic_index,
            self.topic,
            self.series,
            self.event,
            self.group_index,
            self.group,
            self.standard,
            self.form,
            self.news,
            self.article,
        ]
        return [page.url for page in pages] + [f"/{self.locale.language_code}/{self.words['search']}/?q=Armut"]

    def grow_to(self, size):
        add, self.size = size - self.size, size
        loc = self.locale.pk
        # Lists: topics, events (upcoming and past) in the series and the group, groups, articles, menu items.
        bulk_children(self.topic_index, TopicPage, [{"title": "Armut und Teilhabe", "body": []}] * add)
        events = [{"start": soon(5 + n % 20)} for n in range(add)] + [{"start": soon(-5 - n)} for n in range(add)]
        bulk_children(self.series, EventPage, events)
        bulk_children(self.group, EventPage, [{"start": soon(7)}] * add)
        bulk_children(self.group_index, WorkingGroupPage, [{"goal": "<p>Ziel</p>"}] * add)
        bulk_children(self.news, ArticlePage, [{"date": datetime.date(2024, 1, 1), "body": []}] * add)
        bulk_children(self.home, StandardPage, [{"show_in_menus": True, "body": []}] * add)
        # People: authors, contacts, speakers.
        people = Person.objects.bulk_create([Person(name=f"Person {n}", locale_id=loc) for n in range(3 * add)])
        PageAuthor.objects.bulk_create([PageAuthor(page=self.topic, person=p) for p in people[:add]])
        PageAuthor.objects.bulk_create([PageAuthor(page=self.group, person=p) for p in people[:add]])
        PageContact.objects.bulk_create([PageContact(page=self.group, person=p) for p in people[add : 2 * add]])
        PageSpeaker.objects.bulk_create([PageSpeaker(page=self.event, person=p) for p in people[2 * add :]])
        # Related topics and blocks: paragraphs with e-mail addresses, links to pages, quotes.
        topics = list(TopicPage.objects.child_of(self.topic_index).exclude(pk=self.topic.pk)[:size])
        RelatedTopic.objects.bulk_create([RelatedTopic(page=self.topic, topic=t) for t in topics[-add:]])
        # Stored (raw) stream data, as the database holds it: .update() bypasses the field's conversion.
        body = []
        for n, target in enumerate(topics):
            paragraph = f'<p>Absatz {n}, <a linktype="page" id="{target.pk}">Seite</a>, a{n}@example.org</p>'
            body.append({"type": "paragraph", "value": paragraph, "id": str(uuid.uuid4())})
            link = {"text": f"Zum Thema {n}", "page": target.pk, "document": None, "url": "", "description": ""}
            body.append({"type": "link", "value": link, "id": str(uuid.uuid4())})
            body.append({"type": "quote", "value": {"text": f"Zitat {n}", "attribution": ""}, "id": str(uuid.uuid4())})
        for page in (self.topic, self.standard, self.home, self.article):
            type(page).objects.filter(pk=page.pk).update(body=body)
        EventPage.objects.filter(pk=self.event.pk).update(
            programme=[
                {"type": "item", "value": {"time": f"{n % 24}:00", "title": f"Punkt {n}"}, "id": str(uuid.uuid4())}
                for n in range(size)
            ]
        )
        FormField.objects.bulk_create(
            [
                FormField(
                    page=self.form, label=f"Feld {size}-{n}", field_type="singleline", locale_id=loc, sort_order=n
                )
                for n in range(add)
            ]
        )


def measure(client, url):
    client.get(url)  # warm: content types, templates, the generation-keyed site chrome
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


WORDS = {
    "de": {"topics": "themen", "series": "reihe", "groups": "fachgruppen", "news": "aktuelles", "search": "suche"},
    "en": {"topics": "topics", "series": "series", "groups": "working-groups", "news": "news", "search": "search"},
}


@pytest.fixture
def english_home(home_page, locale_en):
    english = home_page.copy_for_translation(locale_en)
    english.save_revision().publish()
    return english


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_type_within_budget_at_3_30_300(
    client, home_page, english_home, locale_de, locale_en, language, django_assert_max_num_queries
):
    home, locale = (home_page, locale_de) if language == "de" else (english_home, locale_en)
    site = BudgetSite(home, locale, WORDS[language])
    counts = {}
    for size in SIZES:
        site.grow_to(size)
        for url in site.urls():
            counts.setdefault(url, []).append(measure(client, url))
    over = {url: numbers for url, numbers in counts.items() if max(numbers) > BUDGET}
    grown = {url: numbers for url, numbers in counts.items() if len(set(numbers)) != 1}
    assert not over, f"over {BUDGET} queries (at 3/30/300): {over}"
    assert not grown, f"queries grow with the content (3/30/300): {grown}"
    for url in site.urls():  # the ceiling once more, as pytest-django states it
        with django_assert_max_num_queries(BUDGET):
            client.get(url)


def test_budget_holds_with_the_cache_down(client, home_page, locale_de, settings):
    """Without a cache, the chrome is built per request: more queries, but the page still renders."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    site = BudgetSite(home_page, locale_de, WORDS["de"])
    site.grow_to(3)
    for url in site.urls():
        assert client.get(url).status_code == 200, url
