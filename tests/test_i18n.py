"""German and English: the seeded English site, URLs, the language switcher and hreflang.

The English content is made by the same loader `make run` uses (``vsop_content``), as
wagtail-localize translations of the German pages.
"""

from html.parser import HTMLParser

from django.utils import translation

from wagtail.models import Locale, Page, Site
from wagtail_localize.models import StringSegment, Translation, TranslationSource

import pytest

from core.content_loader import ContentLoader
from core.translations_loader import TRANSLATIONS_DIR, read_catalogue, untranslated_segments
from home.models import SiteSettings
from tests.factories import StandardPageFactory
from topics.models import Organisation, TopicPage, WorkingGroupPage

pytestmark = pytest.mark.django_db

ENGLISH_URLS = {
    "/de/": "/en/",
    "/de/themen/": "/en/topics/",
    "/de/themen/familienarmut/": "/en/topics/family-poverty/",
    "/de/programmreihe-2021/": "/en/programme-series-2021/",
    "/de/fachgruppen/": "/en/working-groups/",
    "/de/fachgruppen/alter-und-pflege/": "/en/working-groups/ageing-and-care/",
}


class HeadAndSwitcher(HTMLParser):
    """Collects ``<html lang>``, the ``hreflang`` alternates and the language switcher's links."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.alternates = {}
        self.switcher = {}
        self.switcher_text = {}
        self._in_switcher = False
        self._current_link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            assert attrs["hreflang"] not in self.alternates, f"hreflang {attrs['hreflang']} given twice"
            self.alternates[attrs["hreflang"]] = attrs["href"]
        elif tag == "nav" and "language-switcher" in attrs.get("class", ""):
            self._in_switcher = True
        elif tag == "a" and self._in_switcher:
            self._current_link = attrs["hreflang"]
            self.switcher[self._current_link] = attrs["href"]
            self.switcher_text[self._current_link] = ""

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_switcher = False
        elif tag == "a":
            self._current_link = None

    def handle_data(self, data):
        if self._current_link:
            self.switcher_text[self._current_link] += data


def parse(response):
    assert response.status_code == 200, response
    parser = HeadAndSwitcher()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def english():
    return Locale.objects.get(language_code="en")


def german_pages():
    site = Site.objects.get(is_default_site=True)
    return site.root_page.get_descendants(inclusive=True).filter(locale__language_code="de").specific()


# The seeded English site


def test_every_seeded_german_page_has_an_english_translation_made_with_wagtail_localize(vsop_content, english):
    pages = list(german_pages())
    assert len(pages) >= 8
    for german in pages:
        english_page = german.get_translation(english).specific
        source = TranslationSource.objects.get_for_instance(german)
        record = Translation.objects.get(source=source, target_locale=english)
        assert record.enabled, german.url_path
        total, done = record.get_progress()
        assert total > 0 and done == total, f"{german.url_path}: {done}/{total} segments translated"
        assert english_page.live == german.live, german.url_path
        assert english_page.title != german.title
        assert english_page.slug != german.slug
        assert english_page.alias_of_id is None


def test_english_pages_read_english(vsop_content, client):
    """No German sentence of the source reaches the English page (names and identical words aside)."""
    catalogue = read_catalogue(TRANSLATIONS_DIR / "en.po")
    unchanged = {german for (_ctx, german), english in catalogue.items() if german == english}
    for german_url, english_url in ENGLISH_URLS.items():
        german = Page.find_for_request(client.get(german_url).wsgi_request, german_url)
        source = TranslationSource.objects.get_for_instance(german.specific)
        html = client.get(english_url).content.decode()
        # The German slug is in the links to the German version, on purpose.
        segments = StringSegment.objects.filter(source=source).exclude(context__path="slug")
        for segment in segments.select_related("string"):
            text = segment.string.data
            if text in unchanged or len(text) < 12:
                continue
            assert text not in html, f"German text on {english_url}: {text!r}"


def test_topic_page_title_and_body_are_english(vsop_content, client):
    topic = TopicPage.objects.get(locale__language_code="en")
    assert topic.title == "Family poverty and social planning"
    assert topic.url == "/en/topics/family-poverty/"
    blocks = {block.block_type: block for block in topic.body}
    assert blocks["guiding_questions"].value["heading"] == "Guiding questions"
    questions = list(blocks["guiding_questions"].value["questions"])
    assert questions[0] == "What levers do local authorities have against family poverty?"
    assert len(questions) == 7
    assert blocks["paragraph"].value.source.startswith("<p>Integrated social planning")
    html = client.get(topic.url).content.decode()
    assert "How does family-friendliness become a guiding principle of local policy?" in html
    assert "Welche Steuerungsmöglichkeiten" not in html


def test_working_group_reads_english_with_the_german_contacts(vsop_content, client):
    group = WorkingGroupPage.objects.get(locale__language_code="en")
    assert group.title == "Working group on ageing and care"
    assert [block.value for block in group.topics][0] == "Poverty in old age"
    assert [link.person.name for link in group.authors.all()] == ["Carolin Herrmann", "Lisa Manhart"]
    html = client.get(group.url).content.decode()
    assert "Lisa Manhart" in html
    assert "lisa.manhart@vsop.de" not in html  # protected in English too


def test_snippets_and_site_settings_are_translated(vsop_content, client, english):
    names = set(Organisation.objects.filter(locale=english).values_list("name", flat=True))
    assert names == {"Hannover Region", "City of Hannover", "Bertelsmann Stiftung"}
    settings_en = SiteSettings.objects.get(locale=english)
    assert settings_en.organisation_name == "VSOP e.V. – Association for Social Planning"
    assert settings_en.get_translation(Locale.get_default()).organisation_name.endswith("Verein für Sozialplanung")
    series = client.get("/en/programme-series-2021/").content.decode()
    assert "City of Hannover" in series and "Hannover Region" in series
    assert "Landeshauptstadt Hannover" not in series
    assert "Association for Social Planning" in client.get("/en/").content.decode()


def test_catalogue_covers_every_seeded_segment(vsop_content):
    loader = ContentLoader()
    loader.load()
    assert untranslated_segments(loader.objects, "en") == {}


def test_loading_again_changes_nothing(vsop_content):
    pages = Page.objects.count()
    strings = sorted(Translation.objects.values_list("source__object_repr", "target_locale__language_code", "enabled"))
    report = ContentLoader().load()
    assert report.created == []
    assert Page.objects.count() == pages
    assert sorted(
        Translation.objects.values_list("source__object_repr", "target_locale__language_code", "enabled")
    ) == (strings)


def test_loader_keeps_what_translators_changed(vsop_content, english):
    topic = TopicPage.objects.get(locale=english)
    topic.title = "Family poverty: what social planning can do"
    topic.save_revision().publish()
    ContentLoader().load()
    topic.refresh_from_db()
    assert topic.title == "Family poverty: what social planning can do"


# URLs


def test_translated_slugs(vsop_content, client):
    for german_url, english_url in ENGLISH_URLS.items():
        assert client.get(german_url).status_code == 200, german_url
        assert client.get(english_url).status_code == 200, english_url
    assert client.get("/en/themen/familienarmut/").status_code == 404
    assert client.get("/de/topics/family-poverty/").status_code == 404


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("en-GB,en;q=0.9,de;q=0.8", "/en/"),
        ("de-DE,de;q=0.9,en;q=0.8", "/de/"),
        ("fr-FR,fr;q=0.9,en;q=0.5,de;q=0.4", "/en/"),
        ("fr-FR,de;q=0.3,en;q=0.7", "/en/"),
        ("en;q=0,de", "/de/"),
        ("fr, it", "/de/"),
        ("", "/de/"),
    ],
)
def test_root_redirects_to_the_browsers_language(client, accept_language, expected):
    response = client.get("/", headers={"accept-language": accept_language} if accept_language else {})
    assert response.status_code == 302
    assert response["Location"] == expected
    assert "Accept-Language" in response["Vary"]


def test_root_redirect_keeps_the_query_string(client):
    response = client.get("/?utm_source=newsletter", headers={"accept-language": "en"})
    assert response["Location"] == "/en/?utm_source=newsletter"


def test_root_redirect_lands_on_the_home_page(vsop_content, client):
    response = client.get("/", headers={"accept-language": "en-US"}, follow=True)
    assert response.status_code == 200
    assert response.context["page"].title == "VSOP e.V. – Association for Social Planning"


# Switcher, hreflang, <html lang>


def test_switcher_and_hreflang_lead_to_the_counterpart_both_ways(vsop_content, client):
    for german_url, english_url in ENGLISH_URLS.items():
        german = parse(client.get(german_url))
        assert german.lang == "de"
        assert german.switcher == {"en": english_url}, german_url
        assert german.alternates == {
            "de": f"http://testserver{german_url}",
            "en": f"http://testserver{english_url}",
            "x-default": f"http://testserver{german_url}",
        }
        english = parse(client.get(english_url))
        assert english.lang == "en"
        assert english.switcher == {"de": german_url}, english_url
        assert english.alternates == german.alternates
        # Following the links really leads to the counterpart.
        assert parse(client.get(german.switcher["en"])).switcher == {"de": german_url}


def test_untranslated_page_switches_to_the_other_home_saying_so(vsop_content, client):
    home = Site.objects.get(is_default_site=True).root_page
    page = StandardPageFactory(parent=home, title="Mitgliederversammlung", slug="mitgliederversammlung")
    page.save_revision().publish()
    result = parse(client.get("/de/mitgliederversammlung/"))
    assert result.switcher == {"en": "/en/"}
    assert "not translated yet" in result.switcher_text["en"]
    assert result.alternates == {
        "de": "http://testserver/de/mitgliederversammlung/",
        "x-default": "http://testserver/de/mitgliederversammlung/",
    }


def test_unpublished_translation_is_not_offered(vsop_content, client, english):
    topic = TopicPage.objects.get(locale=english)
    topic.unpublish()
    result = parse(client.get("/de/themen/familienarmut/"))
    assert result.switcher == {"en": "/en/"}
    assert "en" not in result.alternates


def test_not_found_page_switches_to_the_other_home(vsop_content, client):
    response = client.get("/de/gibt-es-nicht/")
    assert response.status_code == 404
    parser = HeadAndSwitcher()
    parser.feed(response.content.decode())
    assert parser.switcher == {"en": "/en/"}
    assert parser.lang == "de"


# Interface strings, dates


def test_interface_strings_follow_the_language(vsop_content, client):
    german = client.get("/de/fachgruppen/alter-und-pflege/").content.decode()
    english = client.get("/en/working-groups/ageing-and-care/").content.decode()
    assert "Zum Inhalt springen" in german and "Skip to content" not in german
    assert "Skip to content" in english and "Zum Inhalt springen" not in english
    assert 'aria-label="Hauptnavigation"' in german
    assert 'aria-label="Main navigation"' in english


def test_dates_are_formatted_per_language(vsop_content, client):
    german = client.get("/de/fachgruppen/alter-und-pflege/").content.decode()
    english = client.get("/en/working-groups/ageing-and-care/").content.decode()
    assert '<time datetime="2020-02-09">9. Februar 2020</time>' in german
    with translation.override("en"):
        assert '<time datetime="2020-02-09">Feb. 9, 2020</time>' in english


# Addresses outside the language-prefixed URLs are never redirected into a language


@pytest.mark.parametrize(
    "path",
    ["/admin/no-such-view/", "/admin/api/main/pages/999999/", "/documents/999999/missing.pdf"],
)
def test_unknown_addresses_outside_the_language_urls_stay_where_they_are(admin_client, path):
    response = admin_client.get(path, headers={"accept-language": "de"})
    assert response.status_code == 404
    assert "Location" not in response


def test_an_unknown_address_without_a_language_goes_to_the_browsers_language(client):
    response = client.get("/themen/", headers={"accept-language": "de"})
    assert response.status_code == 302
    assert response["Location"] == "/de/themen/"
