"""The content loader builds the seeded site from content/*.json, verbatim and idempotently."""

import io
import json
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.models import Page, Site

import pytest

from home.legal import ImpressumPage, PrivacyPolicyPage
from home.models import HomePage, SiteSettings
from topics.models import EventSeriesPage, Organisation, Person, TopicPage, WorkingGroupPage

# A copy of the association's text the site was built from (shared/seed/ of the project).
SEED = Path(__file__).resolve().parent.parent / "content" / "seed" / "vsop-website-excerpt.txt"

pytestmark = pytest.mark.django_db

# The seed's own sentences, as a visitor must read them on the site.
ESSAY_SENTENCES = [
    "Die Bekämpfung der Armut von Familien ist ein Schlüsselthema für die Sozialplanung.",
    "Eine besondere Herausforderung dabei ist die Hilfebedürftigkeit von Kindern.",
    "Eine integrierte Sozialplanung sucht Wege für die Versorgung von Familien, die sektorale Strategien "
    "überwindet, familienbezogene Leistungen aus einem Guss anbietet und die dazu maßgeblichen Akteure aktiviert.",
    "Welche Steuerungsmöglichkeiten haben Kommunen gegen Familienarmut?",
    "Wie wird Familienfreundlichkeit zu einer kommunalpolitischen Leitlinie?",
    "Wie analysiert Sozialplanung die Wirkung familienbezogener Maßnahmen gegen Armut und identifiziert die "
    "Erfolgsfaktoren?",
    "Dokumentation des 4. Symposiums zum 5. Armuts- und Reichtumsbericht vom 10. Januar, BMAS",
]
WORKING_GROUP_SENTENCES = [
    "Ziel der Fachgruppe ist es, Mitgliederinnen und Mitglieder oder solchen, die es noch werden wollen,",
    "Keinesfalls soll ein neues Tagungsformat entstehen.",
    "Dabei könnten in der Fachgruppe Themen wie Altersarmut, Einsamkeit, Quartiersarbeit aus dem Blickwinkel "
    "der Älteren, Angehörigenarbeit, Fachkräftemangel etc. behandelt werden.",
    "Eine weitergehende Idee der Fachgruppe könnte sein, dass sich die Gruppe zukünftig je nach Bedarf auch "
    "fachpolitisch zum Thema Alter und Pflege positioniert.",
    "Die Fachgruppe freut sich über weitere Interessierte und Mitstreiterinnen und -streiter.",
    "Carolin Herrmann &amp; Lisa Manhart",
    "9. Februar 2020",
]
SERIES_SENTENCES = [
    "Gleichwertige Lebensverhältnisse – eine Aufgabe &amp; Zielsetzung der Sozialplanung?",
    "30 Jahre VSOP – Programmreihe zum digitalen Fachdiskurs 2021",
    "VSOP e.V. in Kooperation mit Region und Landeshauptstadt Hannover und der BertelsmannStiftung",
    "Region Hannover",
    "Landeshauptstadt Hannover",
    "Bertelsmann Stiftung",
]


def test_seed_sentences_are_in_the_seed_file():
    """Guards the test itself: every sentence asserted below is the association's own text."""
    seed = " ".join(SEED.read_text(encoding="utf-8").split())
    for sentence in ESSAY_SENTENCES[:-1] + WORKING_GROUP_SENTENCES[:5] + SERIES_SENTENCES[:3]:
        assert sentence.replace("&amp;", "&") in seed, sentence


def test_loader_builds_the_seeded_site(client, vsop_content):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()

    pages = {
        "/de/themen/familienarmut/": ESSAY_SENTENCES,
        "/de/fachgruppen/alter-und-pflege/": WORKING_GROUP_SENTENCES,
        "/de/programmreihe-2021/": SERIES_SENTENCES,
    }
    for url, sentences in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for sentence in sentences:
            assert sentence in content, f"{sentence!r} missing on {url}"


def test_essay_has_its_guiding_questions_as_a_block(vsop_content):
    essay = TopicPage.objects.get(slug="familienarmut")
    questions = next(block for block in essay.body if block.block_type == "guiding_questions")
    assert len(questions.value["questions"]) == 7
    assert questions.value["questions"][1] == (
        "Welche Rolle spielen lokale Netzwerke gegen Armut und zur Armutsprävention oder lokale Bündnisse für Familie?"
    )


def test_symposium_reference_has_descriptive_text_and_no_invented_url(vsop_content, client):
    essay = TopicPage.objects.get(slug="familienarmut")
    link = next(block for block in essay.body if block.block_type == "link")
    assert link.value["text"].startswith("Dokumentation des 4. Symposiums")
    assert link.value.href() == ""  # the seed gives no address; nothing is made up
    content = client.get("/de/themen/familienarmut/").content.decode()
    assert ">hier<" not in content


def test_working_group_people_and_partners(vsop_content):
    group = WorkingGroupPage.objects.get(slug="alter-und-pflege", locale__language_code="de")
    assert [link.person.name for link in group.authors.all()] == ["Carolin Herrmann", "Lisa Manhart"]
    assert [link.sort_order for link in group.authors.all()] == [0, 1]  # the file's order, on every database
    assert [link.person.email for link in group.contacts.all()] == ["lisa.manhart@vsop.de"]
    assert str(group.date) == "2020-02-09"
    series = EventSeriesPage.objects.get(slug="programmreihe-2021")
    assert [p.organisation.name for p in series.partners.all()] == [
        "Region Hannover",
        "Landeshauptstadt Hannover",
        "Bertelsmann Stiftung",
    ]
    assert series.year == 2021


def test_pages_without_seed_content_are_unpublished_drafts(vsop_content, client):
    for model, slug in ((ImpressumPage, "impressum"), (PrivacyPolicyPage, "datenschutz")):
        page = model.objects.get(slug=slug, locale__language_code="de")
        assert not page.live  # facts only the association can give are still missing
        assert client.get(f"/de/{slug}/").status_code == 404
    footer = client.get("/de/").content.decode()
    assert 'href="/de/impressum/"' not in footer  # a draft is not linked
    assert 'href="/de/datenschutz/"' not in footer


def test_loading_twice_gives_the_same_site(vsop_content):
    counts = (Page.objects.count(), Person.objects.count(), Organisation.objects.count(), SiteSettings.objects.count())
    call_command("load_vsop_content", stdout=io.StringIO())
    assert (
        Page.objects.count(),
        Person.objects.count(),
        Organisation.objects.count(),
        SiteSettings.objects.count(),
    ) == counts


def test_second_run_keeps_editors_changes(vsop_content):
    essay = TopicPage.objects.get(slug="familienarmut")
    essay.title = "Von der Redaktion geändert"
    essay.save_revision().publish()
    call_command("load_vsop_content", stdout=io.StringIO())
    essay.refresh_from_db()
    assert essay.title == "Von der Redaktion geändert"


def test_update_option_restores_the_files_content(vsop_content):
    essay = TopicPage.objects.get(slug="familienarmut")
    essay.title = "Von der Redaktion geändert"
    essay.save_revision().publish()
    call_command("load_vsop_content", "--update", stdout=io.StringIO())
    essay.refresh_from_db()
    assert essay.title == "Familienarmut und Sozialplanung"


def test_broken_data_file_gives_a_clear_message(tmp_path, db):
    broken = tmp_path / "broken.json"
    broken.write_text('{"pages": [', encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("load_vsop_content", str(broken))
    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps({"snippets": [{"key": "x", "model": "topics.Nope", "fields": {"name": "x"}}]}))
    with pytest.raises(CommandError, match="Unknown model 'topics.Nope'"):
        call_command("load_vsop_content", str(unknown))


def test_no_raw_shortcode_or_placeholder_reaches_a_visitor(vsop_content, client):
    for page in Page.objects.live().public().filter(depth__gt=1).specific():
        url = page.get_url()
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for forbidden in ("[contact-form-7", "Lorem ipsum", "TODO", "placeholder text"):
            assert forbidden not in content, f"{forbidden!r} on {url}"


def test_home_page_calls_to_action_lead_to_the_seeded_pages(vsop_content, client):
    for language, urls in {
        "de": ["/de/themen/familienarmut/", "/de/programmreihe-2021/", "/de/fachgruppen/alter-und-pflege/"],
        "en": ["/en/topics/family-poverty/", "/en/programme-series-2021/", "/en/working-groups/ageing-and-care/"],
    }.items():
        content = client.get(f"/{language}/").content.decode()
        for url in urls:
            assert f'class="button" href="{url}"' in content, (language, url)


def test_working_group_join_form_follows_the_contact_persons(vsop_content, client):
    group = WorkingGroupPage.objects.get(slug="alter-und-pflege", locale__language_code="de")
    assert group.join_form.slug == "mitmachen-oder-nachfragen"
    content = client.get(group.url).content.decode()
    assert content.index("contacts-heading") < content.index(f'action="{group.join_form.url}"')
    assert content.index("Die Fachgruppe freut sich über weitere Interessierte") < content.index("contacts-heading")
