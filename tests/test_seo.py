"""Meta data for search engines and link previews, parsed from every page type in both languages."""

import datetime
import json
import re
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from wagtail.models import Locale, Page

import pytest

from tests.factories import EventPageFactory
from topics.models import EventPage, EventSeriesPage

BERLIN = ZoneInfo("Europe/Berlin")
OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?[+-]\d\d:\d\d$")


class HeadParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self.title = {}, {}, [], ""
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content", "")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.links["canonical"] = attrs["href"]
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json"
            self.json_ld.append("")
        elif tag == "title":
            self._in = "title"

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "json":
            self.json_ld[-1] += data
        elif self._in == "title":
            self.title += data


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parser = HeadParser()
    parser.feed(response.content.decode())
    parser.data = [json.loads(block) for block in parser.json_ld]
    parser.by_type = {item["@type"]: item for item in parser.data}
    return parser


@pytest.fixture
def events(vsop_content):
    """An online, an on-site and a hybrid event in the seeded series, German and English."""
    series = EventSeriesPage.objects.get(locale__language_code="de")
    start = datetime.datetime(2027, 3, 4, 10, 0, tzinfo=BERLIN)
    made = [
        EventPageFactory(
            parent=series, title="Online-Werkstatt", slug="online", start=start, intro="Wir <b>reden</b> & planen."
        ),
        EventPageFactory(
            parent=series,
            title="Fachtag in Hannover",
            slug="vor-ort",
            start=start,
            format=EventPage.Format.ON_SITE,
            place="Neues Rathaus\nTrammplatz 2, 30159 Hannover",
            join_url="",
        ),
        EventPageFactory(
            parent=series,
            title="Hybride Tagung",
            slug="hybrid",
            start=start,
            format=EventPage.Format.HYBRID,
            place="Neues Rathaus\nTrammplatz 2, 30159 Hannover",
        ),
    ]
    english = Locale.objects.get(language_code="en")
    for event in made:
        translation = event.copy_for_translation(english)
        translation.save_revision().publish()
    return made


def live_urls():
    return [page.url for page in Page.objects.live().public().filter(depth__gt=1).specific() if page.url]


@pytest.mark.django_db
def test_every_page_has_a_unique_title_a_plain_description_a_canonical_and_a_card(client, events):
    urls = live_urls()
    assert len(urls) >= 24
    titles = {}
    for url in urls:
        page = head(client, url)
        assert page.title not in titles, (url, titles.get(page.title))
        titles[page.title] = url
        assert page.links["canonical"] == f"http://testserver{url}"
        description = page.meta["description"]
        assert description and len(description) <= 160, url
        assert "<" not in description and "&lt;" not in description and "&amp;" not in description, url
        for key in ("og:title", "og:type", "og:url", "og:site_name", "og:locale", "og:description", "twitter:card"):
            assert page.meta.get(key), (url, key)
        assert page.meta["og:locale"] == ("de_DE" if url.startswith("/de/") else "en_GB")
        for item in page.data:
            assert item["@context"] == "https://schema.org"
        if url not in ("/de/", "/en/"):
            crumbs = page.by_type["BreadcrumbList"]["itemListElement"]
            assert [item["position"] for item in crumbs] == list(range(1, len(crumbs) + 1))
            assert crumbs[-1]["item"] == page.links["canonical"]
            assert crumbs[0]["item"] == f"http://testserver/{url.split('/')[1]}/"


@pytest.mark.django_db
def test_the_home_title_names_the_association_once_and_holds_the_organization(client, vsop_content):
    for url in ("/de/", "/en/"):
        page = head(client, url)
        assert page.title.count("VSOP e.V.") == 1, page.title
        organization = page.by_type["Organization"]
        assert organization["name"] and organization["url"] == f"http://testserver{url}"
        assert page.by_type["WebSite"]["url"] == organization["url"]
        assert "BreadcrumbList" not in page.by_type
    assert head(client, "/de/themen/familienarmut/").title.endswith(" – VSOP e.V. – Verein für Sozialplanung")


@pytest.mark.django_db
def test_a_rich_text_intro_becomes_plain_text(client, vsop_content):
    # The contact form's intro is rich text with a lang attribute (the old site had escaped HTML here).
    assert head(client, "/de/kontakt/").meta["description"] == "Comments or questions are welcome."


@pytest.mark.django_db
def test_topic_pages_are_articles(client, vsop_content):
    for url, language in (("/de/themen/familienarmut/", "de"), ("/en/topics/family-poverty/", "en")):
        article = head(client, url).by_type["Article"]
        assert article["headline"] and len(article["headline"]) <= 110
        assert article["inLanguage"] == language
        assert article["mainEntityOfPage"] == f"http://testserver{url}"
        assert article["author"] and all(author["name"] for author in article["author"])
        assert article["publisher"]["@type"] == "Organization"
        assert OFFSET.match(article["dateModified"]) or re.match(r"^\d{4}-\d\d-\d\d$", article["datePublished"])


@pytest.mark.django_db
def test_event_pages_meet_googles_event_requirements(client, events):
    expected = {
        "online": ("OnlineEventAttendanceMode", {"VirtualLocation"}),
        "vor-ort": ("OfflineEventAttendanceMode", {"Place"}),
        "hybrid": ("MixedEventAttendanceMode", {"Place", "VirtualLocation"}),
    }
    checked = 0
    for event in EventPage.objects.live():
        german = event.get_translation(Locale.objects.get(language_code="de"))
        mode, location_types = expected[german.slug]
        data = head(client, event.url).by_type["Event"]
        assert data["name"] == event.title
        assert data["startDate"] == "2027-03-04T10:00:00+01:00"
        assert OFFSET.match(data["endDate"]) and data["endDate"] > data["startDate"]
        assert data["eventAttendanceMode"] == f"https://schema.org/{mode}"
        assert data["eventStatus"] == "https://schema.org/EventScheduled"
        locations = data["location"] if isinstance(data["location"], list) else [data["location"]]
        assert {location["@type"] for location in locations} == location_types
        for location in locations:
            if location["@type"] == "VirtualLocation":
                assert location["url"].startswith("http")
            else:
                assert location["name"] == "Neues Rathaus" and "30159 Hannover" in location["address"]
        assert data["organizer"]["name"] and data["organizer"]["url"].startswith("http://testserver/")
        assert data["description"]
        checked += 1
    assert checked == 6


@pytest.mark.django_db
def test_json_ld_cannot_close_its_script_element(client, events):
    event = EventPage.objects.get(slug="online", locale__language_code="de")
    event.title = "</script><script>alert(1)</script>"
    event.save_revision().publish()
    html = client.get(event.url).content.decode()
    block = html[html.index('<script type="application/ld+json">') :]
    block = block[: block.index("</script>")]
    assert "alert" in block and "<script>alert" not in html
    assert json.loads(block.split(">", 1)[1])["name"] == event.title
