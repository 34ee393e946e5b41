"""The WordPress import seen from the imported site.

The fixture export (tests/fixtures/wxr/vsop.xml) is imported once for this module; each
test reads or changes it inside its own transaction, which is rolled back. Tests that run
the import themselves (hostile files, options, dry run) are in test_wordpress_import.py.
"""

import datetime
import json
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from wagtail.images.models import Image
from wagtail.models import Locale, Page

import pytest

from forms.models import FormPage, FormSubmission
from home.models import StandardPage
from news.models import ArticlePage, NewsIndexPage
from tests.conftest import make_empty_site, module_data
from tests.test_wordpress_import import EXPORT, SHORTCODE, UPLOADS, import_with_report, page_of, snapshot
from wordpress_import.models import WordPressItem

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _imported_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The fixture export imported once for the module (rolled back after it); each test rolls back its own changes."""

    def build():
        home = make_empty_site()
        output, report = import_with_report(tmp_path_factory.mktemp("wxr"), uploads=str(UPLOADS))
        return {"home": home, "output": output, "report": report}

    yield from module_data(django_db_blocker, build)


@pytest.fixture
def imported(_imported_once, db):
    _imported_once["home"].refresh_from_db()
    return _imported_once


def test_pages_keep_their_hierarchy_and_order(imported):
    group = page_of(10)
    assert isinstance(group, StandardPage) and group.get_parent().pk == imported["home"].pk
    assert group.slug == "fachgruppe-alter-und-pflege" and group.live
    children = [page.title for page in group.get_children()]
    assert children == ["Protokolle", "Treffen 2020"]  # WordPress' menu order 1, 2
    assert group.intro == "Die Fachgruppe bündelt Wissen über Altenhilfeplanung."
    assert not page_of(15).live  # a draft page stays a draft


def test_posts_become_articles_with_their_details(imported):
    article = page_of(20)
    assert isinstance(article, ArticlePage)
    assert isinstance(article.get_parent().specific, NewsIndexPage)
    assert article.get_parent().title == "Aktuelles"
    assert article.live and article.date == datetime.date(2020, 5, 12)
    assert article.author_name == "Lisa Manhart"
    assert article.intro == "Die Mitgliederversammlung hat gewählt."
    assert [category.slug for category in article.categories.all()] == ["verband"]
    assert [tag.name for tag in article.tags.all()] == ["Sozialplanung"]
    assert article.first_published_at == datetime.datetime(2020, 5, 12, 9, 30, tzinfo=datetime.UTC)


def test_statuses(imported):
    assert not page_of(21).live  # draft
    scheduled = page_of(22)  # future
    assert not scheduled.live
    assert scheduled.go_live_at == datetime.datetime(2030, 3, 1, 9, 0, tzinfo=datetime.UTC)
    assert scheduled.get_latest_revision().approved_go_live_at == scheduled.go_live_at
    assert not page_of(24).live and not page_of(25).live  # pending, private
    assert not WordPressItem.objects.filter(wp_id__in=[23, 26, 40]).exists()  # trash, revision, menu
    assert not ArticlePage.objects.filter(title="Gelöschte Meldung").exists()
    report = imported["report"]
    assert report["comments_ignored"] == 2
    assert {entry["wp_id"] for entry in report["skipped"]} >= {23, 26, 40}


def test_scheduled_post_goes_live_with_publish_scheduled(imported, monkeypatch):
    scheduled = page_of(22)
    call_command("publish_scheduled", stdout=StringIO())
    assert not Page.objects.get(pk=scheduled.pk).live
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2030, 3, 1, 9, 1, tzinfo=datetime.UTC))
    call_command("publish_scheduled", stdout=StringIO())
    assert Page.objects.get(pk=scheduled.pk).live


def test_imported_pages_render_without_shortcodes_or_block_comments(client, imported):
    for record in WordPressItem.objects.filter(page__isnull=False):
        page = record.page.specific
        if not page.live:
            continue
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        assert "<!-- wp:" not in html, page.url
        assert not SHORTCODE.search(main), (page.url, SHORTCODE.search(main))


def test_embedded_cf7_form_renders_and_accepts_a_submission(client, imported):
    group = page_of(10)
    html = client.get(group.url).content.decode()
    assert "Die Fachgruppe Alter und Pflege trifft sich zweimal im Jahr." in html
    assert 'name="ihr-name"' in html and 'name="ihre-email"' in html
    form = page_of(1902)
    assert isinstance(form, FormPage) and form.live
    assert form.to_address == "geschaeftsstelle@vsop.de"
    names = [field.clean_name for field in form.form_fields.all()]
    assert names[:3] == ["ihr-name", "organisation", "ihre-email"]
    data = {field.clean_name: "Erika Mustermann" for field in form.form_fields.all()}
    data.update({"ihre-email": "erika@example.org", "format": "als PDF", "privacy_consent": "on"})
    for field in form.form_fields.all():
        if field.field_type in ("consent", "checkbox"):
            data[field.clean_name] = "on"
    response = client.post(form.url, data, follow=True)
    assert response.status_code == 200
    assert "Vielen Dank! Wir senden Ihnen die Unterlagen zu." in response.content.decode()
    submission = FormSubmission.objects.get(page=form)
    assert submission.form_data["ihr-name"] == "Erika Mustermann"


def test_cf7_default_form_is_converted(imported):
    form = page_of(1903)
    fields = {field.clean_name: field for field in form.form_fields.all()}
    assert list(fields) == ["your-name", "your-email", "your-subject", "your-message"]
    assert fields["your-email"].field_type == "email" and fields["your-email"].required
    assert fields["your-message"].field_type == "multiline" and not fields["your-message"].required
    contact = page_of(14)
    blocks = [block.block_type for block in contact.body]
    assert "form" in blocks
    assert contact.body[blocks.index("form")].value["form_page"].pk == form.pk


def test_links_to_other_items_become_page_links_and_uploads_documents(imported):
    group = page_of(10)
    raw = json.dumps(list(group.body.raw_data))
    protokolle = page_of(12)
    assert f'linktype=\\"page\\" id=\\"{protokolle.pk}\\"' in raw or f'"page": {protokolle.pk}' in raw
    document = WordPressItem.objects.get(wp_id=31).document
    assert f'id=\\"{document.pk}\\"' in raw or f'"document": {document.pk}' in raw
    assert "www.vsop.de" not in raw


def test_attachments_become_images_and_documents_deduplicated(imported):
    image = WordPressItem.objects.get(wp_id=30).image
    assert image.title == "Foto Fachgruppe" and image.description == "Die Fachgruppe beim Treffen"
    assert image.width == 40 and image.collection.name == "WordPress"
    assert WordPressItem.objects.get(wp_id=33).image == image  # the same file uploaded twice
    assert Image.objects.count() == 1
    assert WordPressItem.objects.get(wp_id=31).document.title == "Protokoll 2020"
    missing = imported["report"]["missing_media"]
    assert [entry["wp_id"] for entry in missing] == [32]
    assert "2019/01/jahresbericht.pdf" in missing[0]["detail"]


@pytest.mark.parametrize(
    ("old", "wp_id"),
    [
        ("/fachgruppe-alter-und-pflege/", 10),
        ("/fachgruppe-alter-und-pflege", 10),
        ("/fachgruppe-alter-und-pflege/treffen-2020/", 11),
        ("/?page_id=10", 10),
        ("/?p=10", 10),
        ("/?p=20", 20),
        ("/?p=20&lang=de", 20),
        ("/?lang=de&p=20", 20),
        ("/2020/05/neuer-vorstand-gewaehlt/", 20),
        ("/en/2020/05/new-board-elected/", 28),
        ("/?page_id=15", 15),
    ],
)
def test_old_addresses_redirect_permanently(client, imported, old, wp_id):
    response = client.get(old)
    assert response.status_code == 301, old
    assert response["Location"] == page_of(wp_id).url


def test_archives_language_feed_and_attachment_addresses_redirect(client, imported):
    index = NewsIndexPage.objects.get(locale__language_code="de")
    assert client.get("/category/verband/")["Location"] == f"{index.url}?category=verband"
    assert client.get("/?cat=3")["Location"] == f"{index.url}?category=verband"
    assert client.get("/tag/sozialplanung/")["Location"] == f"{index.url}?tag=sozialplanung"
    assert client.get("/feed/")["Location"] == f"{index.url}feed/rss/"
    english_home = imported["home"].get_translation(Locale.objects.get(language_code="en"))
    assert client.get("/?lang=en")["Location"] == english_home.url
    document = WordPressItem.objects.get(wp_id=31).document
    assert client.get("/wp-content/uploads/2020/05/protokoll.pdf")["Location"] == document.url
    assert client.get("/?attachment_id=31")["Location"] == document.url
    image = WordPressItem.objects.get(wp_id=30).image
    assert client.get("/wp-content/uploads/2020/05/foto.png")["Location"] == image.file.url
    # Followed, the filtered archive lists the post.
    assert "Neuer Vorstand gewählt" in client.get("/category/verband/", follow=True).content.decode()


def test_the_root_without_a_known_query_still_goes_to_a_language(client, imported):
    response = client.get("/?p=999999")
    assert response.status_code == 302 and response["Location"].startswith("/de/")


def test_polylang_translations_share_a_translation_key(imported):
    german, english = page_of(10), page_of(13)
    assert german.locale.language_code == "de" and english.locale.language_code == "en"
    assert german.translation_key == english.translation_key
    assert english.get_parent().pk == imported["home"].get_translation(english.locale).pk
    assert german.get_translation(english.locale).pk == english.pk
    post_de, post_en = page_of(20), page_of(28)
    assert post_de.translation_key == post_en.translation_key
    assert post_en.get_parent().specific.locale == post_en.locale
    assert post_en.get_parent().translation_key == post_de.get_parent().translation_key
    assert [category.name for category in post_en.categories.all()] == ["Association"]


def test_reimport_changes_nothing(tmp_path, imported):
    before = snapshot()
    _output, report = import_with_report(tmp_path)
    assert snapshot() == before
    for kind in ("page", "post", "form", "attachment"):
        counts = report["counts"][kind]
        assert counts["created"] == counts["updated"] == counts["failed"] == 0, kind
        assert counts["unchanged"] > 0


def test_reimport_updates_what_changed_without_duplicates(tmp_path, imported):
    changed = tmp_path / "changed.xml"
    changed.write_text(EXPORT.read_text().replace("Das Treffen fand in Hannover statt.", "Das Treffen war in Kassel."))
    pages = Page.objects.count()
    _output, report = import_with_report(tmp_path, export=changed, uploads=str(UPLOADS))
    assert Page.objects.count() == pages
    assert report["counts"]["page"]["updated"] == 1
    assert "Kassel" in str(page_of(11).body.raw_data)


def test_pages_edited_in_wagtail_are_left_alone_unless_forced(tmp_path, imported):
    page = page_of(11)
    page.title = "Treffen 2020 (überarbeitet)"
    page.save_revision().publish()
    changed = tmp_path / "changed.xml"
    changed.write_text(EXPORT.read_text().replace("Das Treffen fand in Hannover statt.", "Das Treffen war in Kassel."))
    _output, report = import_with_report(tmp_path, export=changed)
    assert page_of(11).title == "Treffen 2020 (überarbeitet)"
    assert any(entry["wp_id"] == 11 and "left alone" in entry["reason"] for entry in report["skipped"])
    import_with_report(tmp_path, export=changed, force=True)
    assert page_of(11).title == "Treffen 2020"
    assert "Kassel" in str(page_of(11).body.raw_data)


def test_a_page_deleted_in_wagtail_is_imported_again(tmp_path, imported):
    page_of(11).delete()
    import_with_report(tmp_path)
    assert page_of(11).title == "Treffen 2020"


def test_report_in_the_terminal_and_as_json(imported):
    output, report = imported["output"], imported["report"]
    assert "type             created" in output
    assert "Unresolved shortcodes (dropped) (1):" in output
    assert "Missing media (1):" in output
    assert report["counts"]["page"] == {"created": 6, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0}
    assert report["counts"]["post"]["created"] == 7 and report["counts"]["post"]["skipped"] == 1
    shortcodes = report["unresolved_shortcodes"]
    assert len(shortcodes) == 1 and shortcodes[0]["wp_id"] == 10 and "foobar" in shortcodes[0]["detail"]
    assert shortcodes[0]["where"] == page_of(10).url
    assert any(entry["wp_id"] == 1902 for entry in report["unconvertible_form_tags"])
    assert report["redirects"]["created"] > 30


def test_imported_pages_are_searchable_and_their_references_indexed(imported):
    # The import indexes each object once at the end instead of at every save.
    from wagtail.models import ReferenceIndex

    results = list(ArticlePage.objects.live().search("Vorstand"))
    assert [page.pk for page in results] == [page_of(20).pk]
    references = ReferenceIndex.get_references_to(page_of(1902))
    assert page_of(10).pk in {int(reference.object_id) for reference in references}
