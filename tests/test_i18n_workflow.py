"""The translators' workflow: their role, syncing after a German change, PO files, machine translation."""

import json
import os
import subprocess
import sys

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from wagtail.rich_text import RichText
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.views.edit_translation import user_can_edit_instance

import polib
import pytest

from access.roles import EDITORS, TRANSLATORS
from home.models import SiteSettings
from topics.models import Organisation, TopicPage

pytestmark = pytest.mark.django_db

NEW_PARAGRAPH = "Neu: Kinderarmut bleibt ein zentrales Thema der kommunalen Sozialberichterstattung."
NEW_INTRO = "Familienarmut ist ein Schlüsselthema der Sozialplanung."


@pytest.fixture
def topics(vsop_content):
    german = TopicPage.objects.get(locale__language_code="de")
    english = TopicPage.objects.get(locale__language_code="en")
    return german, english


@pytest.fixture
def topic_translation(topics):
    source = TranslationSource.objects.get_for_instance(topics[0])
    return Translation.objects.get(source=source, target_locale__language_code="en")


@pytest.fixture
def translator(django_user_model, vsop_content):
    user = django_user_model.objects.create_user("translator", "translator@example.org", "translator-pw")
    user.groups.add(Group.objects.get(name=TRANSLATORS))
    return user


@pytest.fixture
def translator_client(client, translator):
    client.force_login(translator)
    return client


def change_german_topic(german):
    """An editor changes the intro and adds a paragraph, then publishes."""
    german.intro = NEW_INTRO
    german.body.append(("paragraph", RichText(f"<p>{NEW_PARAGRAPH}</p>")))
    german.save_revision().publish()


# The translator role


def test_migration_creates_the_translators_group(db):
    group = Group.objects.get(name=TRANSLATORS)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"access_admin", "submit_translation", "change_person", "change_organisation"} <= codenames
    assert not {"publish_page", "change_page", "add_page"} & codenames  # page rights only per tree
    editors = Group.objects.get(name=EDITORS)
    assert editors.permissions.filter(codename="submit_translation").exists()


def test_translator_can_edit_an_english_translation(
    translator_client, translator, topics, topic_translation, django_capture_on_commit_callbacks
):
    german, english = topics
    assert english.permissions_for_user(translator).can_edit()
    response = translator_client.get(reverse("wagtailadmin_pages:edit", args=[english.pk]))
    assert response.status_code == 200
    assert "wagtail_localize/admin/edit_translation.html" in [t.name for t in response.templates]

    title_segment = StringSegment.objects.get(source=topic_translation.source, context__path="title")
    url = reverse("wagtail_localize:edit_string_translation", args=[topic_translation.pk, title_segment.pk])
    response = translator_client.put(
        url, encode_multipart(BOUNDARY, {"value": "Family poverty: a task for social planning"}), MULTIPART_CONTENT
    )
    assert response.status_code == 200, response.content

    with django_capture_on_commit_callbacks(execute=True):
        response = translator_client.post(reverse("wagtailadmin_pages:edit", args=[english.pk]), {"action": "publish"})
    assert response.status_code == 302
    english.refresh_from_db()
    assert english.title == "Family poverty: a task for social planning"
    assert english.live and not english.has_unpublished_changes


def test_translator_cannot_edit_or_publish_a_german_page(translator_client, translator, topics):
    german, _english = topics
    permissions = german.permissions_for_user(translator)
    assert not permissions.can_publish()
    assert not permissions.can_edit()
    revision = german.live_revision_id
    edit_url = reverse("wagtailadmin_pages:edit", args=[german.pk])
    assert translator_client.get(edit_url).status_code in (302, 403)
    response = translator_client.post(
        edit_url, {"title": "Übernommen", "slug": german.slug, "action-publish": "action-publish"}
    )
    assert response.status_code in (302, 403)
    german.refresh_from_db()
    assert german.title == "Familienarmut und Sozialplanung"
    assert german.live_revision_id == revision
    publish_url = reverse("wagtailadmin_pages:unpublish", args=[german.pk])
    translator_client.post(publish_url)
    german.refresh_from_db()
    assert german.live


def test_translator_may_edit_translated_snippets_and_settings(translator):
    organisation = Organisation.objects.get(locale__language_code="en", name="City of Hannover")
    settings_en = SiteSettings.objects.get(locale__language_code="en")
    # wagtail-localize's own check for its translation editor, PO files and machine translation
    assert user_can_edit_instance(translator, organisation)
    assert user_can_edit_instance(translator, settings_en)
    assert translator.has_perm("topics.change_person")
    assert not translator.has_perm("topics.delete_organisation")


# Sync after a German change


def test_sync_updates_untranslated_segments_and_keeps_translated_ones(
    admin_client, topics, topic_translation, django_capture_on_commit_callbacks
):
    german, english = topics
    change_german_topic(german)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtail_localize:update_translations", args=[topic_translation.source_id]),
            {"publish_translations": "on"},
        )
    assert response.status_code == 302
    english.refresh_from_db()
    # New and changed German text reaches the English page untranslated (wagtail-localize's fallback) …
    assert english.intro == NEW_INTRO
    assert NEW_PARAGRAPH in str(english.body[-1].value)
    # … while everything translated before stays English.
    assert english.title == "Family poverty and social planning"
    assert english.slug == "family-poverty"
    assert str(english.body[0].value).startswith("<p>Integrated social planning")
    questions = [block for block in english.body if block.block_type == "guiding_questions"][0]
    assert questions.value["heading"] == "Guiding questions"
    assert list(questions.value["questions"])[-1].startswith("How does social planning analyse")
    # The translation editor now counts the two new segments as to do.
    total, done = topic_translation.get_progress()
    assert total - done == 2


def test_translator_can_sync_too(translator_client, topics, topic_translation, django_capture_on_commit_callbacks):
    german, english = topics
    change_german_topic(german)
    with django_capture_on_commit_callbacks(execute=True):
        response = translator_client.post(
            reverse("wagtail_localize:update_translations", args=[topic_translation.source_id]), {}
        )
    assert response.status_code == 302
    topic_translation.source.refresh_from_db()
    assert json.loads(topic_translation.source.content_json)["intro"] == NEW_INTRO


# PO download and upload


def test_po_download_and_upload(translator_client, topic_translation, topics):
    _german, english = topics
    response = translator_client.get(reverse("wagtail_localize:download_pofile", args=[topic_translation.pk]))
    assert response.status_code == 200
    po = polib.pofile(response.content.decode())
    by_id = {entry.msgid: entry for entry in po}
    assert by_id["Familienarmut und Sozialplanung"].msgstr == "Family poverty and social planning"
    assert by_id["Leitfragen"].msgstr == "Guiding questions"

    by_id["Leitfragen"].msgstr = "Questions that guide us"
    upload = SimpleUploadedFile("topic-en.po", str(po).encode(), content_type="text/x-gettext-translation")
    response = translator_client.post(
        reverse("wagtail_localize:upload_pofile", args=[topic_translation.pk]), {"file": upload}
    )
    assert response.status_code == 302
    assert StringTranslation.objects.filter(
        locale__language_code="en", translation_of__data="Leitfragen", data="Questions that guide us"
    ).exists()


# Machine translation


def settings_in_subprocess(environment):
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(getattr(settings, 'WAGTAILLOCALIZE_MACHINE_TRANSLATOR', None)))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "vsop_cms.settings.test", **environment}
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=settings.BASE_DIR
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_machine_translation_without_a_key():
    assert settings_in_subprocess({"DEEPL_API_KEY": ""}) is None
    assert get_machine_translator() is None


def test_deepl_when_a_key_is_set():
    config = settings_in_subprocess({"DEEPL_API_KEY": "secret-key:fx", "DEEPL_TIMEOUT": "7"})
    assert config == {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": "secret-key:fx", "TIMEOUT": 7},
    }


class FakeDeepLResponse:
    def __init__(self, texts):
        self.texts = texts

    def json(self):
        return {"translations": [{"text": f"EN[{text}]"} for text in self.texts]}


def test_machine_translation_goes_to_deepl_only_for_untranslated_text(
    admin_client, settings, monkeypatch, topics, topic_translation
):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": "test-key:fx", "TIMEOUT": 5},
    }
    calls = []

    def fake_post(url, data, timeout, headers):
        calls.append({"url": url, "data": data, "timeout": timeout, "headers": headers})
        return FakeDeepLResponse(data["text"])

    monkeypatch.setattr("wagtail_localize.machine_translators.deepl.requests.post", fake_post)
    german, _english = topics
    change_german_topic(german)
    topic_translation.source.update_from_db()

    response = admin_client.post(reverse("wagtail_localize:machine_translate", args=[topic_translation.pk]))
    assert response.status_code == 302
    assert len(calls) == 1
    call = calls[0]
    assert call["url"] == "https://api-free.deepl.com/v2/translate"
    assert call["headers"] == {"Authorization": "DeepL-Auth-Key test-key:fx"}
    assert call["timeout"] == 5
    assert (call["data"]["source_lang"], call["data"]["target_lang"]) == ("DE", "EN")
    assert sorted(call["data"]["text"]) == sorted([NEW_INTRO, NEW_PARAGRAPH])
    machine = StringTranslation.objects.filter(locale__language_code="en", translation_type="machine")
    assert sorted(machine.values_list("data", flat=True)) == sorted([f"EN[{NEW_INTRO}]", f"EN[{NEW_PARAGRAPH}]"])
