"""Rendering a page costs a fixed number of SQL queries, however many children or blocks it has.

Each test renders a page with 3 and then with 30 children (or blocks) and asserts the
same query count, so an N+1 in a template or a context shows up as a failure.
"""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from tests.factories import (
    EventPageFactory,
    EventSeriesPageFactory,
    PersonFactory,
    StandardPageFactory,
    TopicIndexPageFactory,
    TopicPageFactory,
    WorkingGroupIndexPageFactory,
    WorkingGroupPageFactory,
)
from topics.models import PageAuthor, PageContact, PageSpeaker

pytestmark = pytest.mark.django_db


def queries_for(client, url):
    client.get(url)  # warm caches that are per process, not per request (content types, site root)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def grow(factory, parent, count, **kwargs):
    for _ in range(count):
        factory(parent=parent, **kwargs)


def upcoming(days):
    return timezone.now() + datetime.timedelta(days=days)


def test_topic_index_does_not_grow_with_topics(client, home_page):
    index = TopicIndexPageFactory(parent=home_page, slug="themen")
    grow(TopicPageFactory, index, 3)
    small = queries_for(client, index.url)
    grow(TopicPageFactory, index, 27)
    assert queries_for(client, index.url) == small


def test_event_series_does_not_grow_with_events(client, home_page):
    series = EventSeriesPageFactory(parent=home_page, slug="reihe")
    grow(EventPageFactory, series, 2, start=upcoming(5))
    grow(EventPageFactory, series, 1, start=upcoming(-5))
    small = queries_for(client, series.url)
    grow(EventPageFactory, series, 17, start=upcoming(9))
    grow(EventPageFactory, series, 10, start=upcoming(-9))
    assert queries_for(client, series.url) == small


def test_home_page_does_not_grow_with_events_or_menu_items(client, home_page):
    series = EventSeriesPageFactory(parent=home_page, slug="reihe", show_in_menus=True)
    grow(EventPageFactory, series, 3, start=upcoming(3))
    grow(StandardPageFactory, home_page, 1, show_in_menus=True)
    small = queries_for(client, home_page.url)
    grow(EventPageFactory, series, 27, start=upcoming(3))
    grow(StandardPageFactory, home_page, 5, show_in_menus=True)
    assert queries_for(client, home_page.url) == small


def test_working_group_does_not_grow_with_meetings_or_people(client, home_page):
    index = WorkingGroupIndexPageFactory(parent=home_page, slug="fachgruppen")
    group = WorkingGroupPageFactory(parent=index, slug="alter-und-pflege")
    for _ in range(3):
        EventPageFactory(parent=group, start=upcoming(4))
        PageContact.objects.create(page=group, person=PersonFactory())
        PageAuthor.objects.create(page=group, person=PersonFactory())
    small = queries_for(client, group.url)
    for _ in range(27):
        EventPageFactory(parent=group, start=upcoming(4))
        PageContact.objects.create(page=group, person=PersonFactory())
        PageAuthor.objects.create(page=group, person=PersonFactory())
    assert queries_for(client, group.url) == small
    index_small = queries_for(client, index.url)
    grow(WorkingGroupPageFactory, index, 27)
    assert queries_for(client, index.url) == index_small


def test_event_page_does_not_grow_with_speakers_or_programme(client, home_page):
    series = EventSeriesPageFactory(parent=home_page, slug="reihe")

    def event_with(count, slug):
        programme = [("item", {"time": f"{10 + n}:00", "title": f"Punkt {n}"}) for n in range(count)]
        event = EventPageFactory(parent=series, slug=slug, programme=programme)
        for _ in range(count):
            PageSpeaker.objects.create(page=event, person=PersonFactory())
        return event

    assert queries_for(client, event_with(3, "klein").url) == queries_for(client, event_with(30, "gross").url)


def test_topic_page_does_not_grow_with_blocks_or_authors(client, home_page):
    index = TopicIndexPageFactory(parent=home_page, slug="themen")

    def topic_with(count, slug):
        body = [("paragraph", f"<p>Absatz {n} mit kontakt{n}@example.org</p>") for n in range(count)]
        body += [("guiding_questions", {"heading": "Leitfragen", "questions": [f"Frage {n}?" for n in range(count)]})]
        topic = TopicPageFactory(parent=index, slug=slug, body=body)
        for _ in range(count):
            PageAuthor.objects.create(page=topic, person=PersonFactory())
        return topic

    assert queries_for(client, topic_with(3, "klein").url) == queries_for(client, topic_with(30, "gross").url)


def test_standard_page_does_not_grow_with_blocks(client, home_page):
    small = StandardPageFactory(parent=home_page, slug="klein", body=[("paragraph", "<p>x</p>")] * 3)
    large = StandardPageFactory(parent=home_page, slug="gross", body=[("paragraph", "<p>x</p>")] * 30)
    assert queries_for(client, small.url) == queries_for(client, large.url)


@pytest.fixture
def english_home(home_page, locale_en):
    english = home_page.copy_for_translation(locale_en)
    english.save_revision().publish()
    return english


def test_english_pages_do_not_grow_either(client, english_home, locale_en):
    series = EventSeriesPageFactory(parent=english_home, slug="series", locale=locale_en, show_in_menus=True)
    index = WorkingGroupIndexPageFactory(parent=english_home, slug="working-groups", locale=locale_en)
    group = WorkingGroupPageFactory(parent=index, slug="ageing-and-care", locale=locale_en)

    def add(count):
        for _ in range(count):
            EventPageFactory(parent=series, locale=locale_en, start=upcoming(6))
            EventPageFactory(parent=group, locale=locale_en, start=upcoming(6))
            PageContact.objects.create(page=group, person=PersonFactory(locale=locale_en))

    add(3)
    small = [queries_for(client, url) for url in (english_home.url, series.url, group.url)]
    assert english_home.url == "/en/"
    add(27)
    assert [queries_for(client, url) for url in (english_home.url, series.url, group.url)] == small
