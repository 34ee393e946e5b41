"""End to end: ``manage.py import_wordpress`` on the WXR fixtures in tests/fixtures/wxr/.

The converters (content, shortcodes, Contact Form 7) are tested in isolation in
test_wp_content.py and test_cf7.py; here the whole command runs against a database.
"""

import datetime
import json
import re
import shutil
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from wagtail.contrib.redirects.models import Redirect
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Locale, Page, PageViewRestriction, Revision

import pytest

from forms.models import FormField, FormPage, FormSubmission
from home.models import StandardPage
from news.models import ArticlePage, NewsCategory, NewsIndexPage
from tests.factories import StandardPageFactory, TopicIndexPageFactory
from topics.models import TopicPage
from wordpress_import.models import WordPressItem
from wordpress_import.wxr import WXRError, scan

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "wxr"
EXPORT = FIXTURES / "vsop.xml"
UPLOADS = FIXTURES / "uploads"
SHORTCODE = re.compile(r"\[/?[a-z][a-z0-9_-]*(\s[^\]]*)?\]")


def run_import(*args, export=EXPORT, **options):
    out = StringIO()
    options.setdefault("no_progress", True)
    call_command("import_wordpress", str(export), *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def import_with_report(tmp_path, *args, **options):
    report_file = tmp_path / "report.json"
    output = run_import(*args, report=str(report_file), **options)
    return output, json.loads(report_file.read_text())


def page_of(wp_id):
    return WordPressItem.objects.get(wp_id=wp_id).page.specific


def snapshot():
    """Everything the import could write, to compare before and after."""
    return {
        "pages": sorted(Page.objects.values_list("pk", "title", "slug", "live", "latest_revision_id")),
        "revisions": Revision.objects.count(),
        "redirects": sorted(Redirect.objects.values_list("old_path", "redirect_page_id", "redirect_link")),
        "items": sorted(WordPressItem.objects.values_list("wp_id", "digest", "updated_at")),
        "images": Image.objects.count(),
        "documents": Document.objects.count(),
        "form_fields": FormField.objects.count(),
        "categories": NewsCategory.objects.count(),
    }


@pytest.fixture
def imported(home_page, locale_en, tmp_path):
    output, report = import_with_report(tmp_path, uploads=str(UPLOADS))
    return {"home": home_page, "output": output, "report": report}


# 1. Reading


def test_the_reader_keeps_no_content_in_its_index():
    index = scan(EXPORT)
    assert index.version == "1.2" and index.source == "https://www.vsop.de"
    page = next(item for item in index.items if item.post_id == 10)
    assert page.content == "" and page.title == "Fachgruppe Alter und Pflege"
    assert "contact-form-7" in index.load(page).content


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("xxe.xml", "line 2: the file declares a document type"),
        ("billion-laughs.xml", "line 2: the file declares a document type"),
        ("broken.xml", "line 491: the file is not well-formed XML (mismatched tag"),
        ("not-wxr.xml", "<wp:wxr_version> is missing"),
    ],
)
def test_hostile_and_broken_files_are_refused_and_change_nothing(home_page, name, message):
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run_import(export=FIXTURES / name, uploads=str(UPLOADS))
    assert message in str(error.value)
    assert "Nothing was imported" in str(error.value)
    assert snapshot() == before


def test_entities_are_refused_even_without_a_doctype_keyword(tmp_path):
    # An entity reference the parser would have to resolve: expat reports it, nothing is fetched.
    hostile = tmp_path / "entity.xml"
    hostile.write_text("<rss><channel><title>&secret;</title></channel></rss>")
    with pytest.raises(WXRError, match="undefined entity"):
        scan(hostile)


def test_wxr_1_1_is_read(home_page):
    run_import(export=FIXTURES / "wxr11.xml")
    assert StandardPage.objects.get(title="Alte Seite").live
    assert ArticlePage.objects.get(title="Alte Meldung").live


# 2. Pages and posts


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


def test_password_protected_posts_keep_their_password(home_page, tmp_path):
    head, tail = EXPORT.read_text().split("<wp:post_id>27</wp:post_id>")
    empty = "<wp:post_password><![CDATA[]]></wp:post_password>"
    tail = tail.replace(empty, "<wp:post_password><![CDATA[geheim]]></wp:post_password>", 1)
    export = tmp_path / "password.xml"
    export.write_text(head + "<wp:post_id>27</wp:post_id>" + tail)
    run_import(export=export)
    restriction = PageViewRestriction.objects.get(page=page_of(27))
    assert restriction.password == "geheim"


def test_category_mapping_makes_topic_pages(home_page, tmp_path):
    topics = TopicIndexPageFactory(parent=home_page, slug="themen")
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"essays": {"page_type": "topics.TopicPage", "parent": topics.pk}}))
    run_import(category_map=str(mapping))
    essay = page_of(27)
    assert isinstance(essay, TopicPage) and essay.get_parent().pk == topics.pk
    assert essay.date == datetime.date(2019, 11, 3)
    assert isinstance(page_of(20), ArticlePage)


def test_a_wrong_category_mapping_stops_before_anything_is_written(home_page, tmp_path):
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"essays": {"page_type": "topics.TopicPage", "parent": home_page.pk}}))
    with pytest.raises(CommandError, match="cannot be created under"):
        run_import(category_map=str(mapping))
    assert not WordPressItem.objects.exists()


def test_parent_option(home_page):
    about = StandardPageFactory(parent=home_page, title="Archiv", slug="archiv")
    run_import(parent=about.pk)
    assert page_of(10).get_parent().pk == about.pk
    assert page_of(1902).get_parent().get_parent().pk == about.pk  # forms folder under it
    assert isinstance(page_of(20).get_parent().specific, NewsIndexPage)  # posts still in the news


def test_parent_that_cannot_hold_pages_is_refused(home_page):
    form = FormPage(title="F", slug="f")
    home_page.add_child(instance=form)
    with pytest.raises(CommandError, match="cannot hold standard pages"):
        run_import(parent=form.pk)
    with pytest.raises(CommandError, match="no page with this ID"):
        run_import(parent=99999)


# 3./4./5. Content, shortcodes, forms (converters from content.py and cf7.py)


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


# 6. Media


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


def test_without_uploads_the_import_goes_on_and_lists_every_file(home_page, tmp_path):
    _output, report = import_with_report(tmp_path)
    missing = {entry["wp_id"] for entry in report["missing_media"]}
    assert missing == {30, 31, 32, 33, 10}  # the files, and the page showing the image
    assert Image.objects.count() == 0 and Document.objects.count() == 0
    assert page_of(10).live


# 7. Redirects


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


def test_wagtail_stores_query_string_redirects_normalised():
    # RedirectMiddleware looks up the full path with the query string sorted, then the bare path.
    assert Redirect.normalise_path("https://www.vsop.de/?p=20&lang=de") == "/?lang=de&p=20"
    assert Redirect.normalise_path("/fachgruppe-alter-und-pflege/") == "/fachgruppe-alter-und-pflege"


def test_the_root_without_a_known_query_still_goes_to_a_language(client, imported):
    response = client.get("/?p=999999")
    assert response.status_code == 302 and response["Location"].startswith("/de/")


# 8. Languages


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


# 9. Repeatable


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


def test_dry_run_prints_the_plan_and_writes_nothing(home_page, tmp_path, settings):
    before = snapshot()
    output, report = import_with_report(tmp_path, uploads=str(UPLOADS), dry_run=True)
    assert snapshot() == before
    assert not WordPressItem.objects.exists()
    assert "DRY RUN" in output
    assert "create    page       #10     Fachgruppe Alter und Pflege" in output
    assert report["dry_run"] and report["counts"]["page"]["created"] == 6
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_one_broken_item_is_reported_and_skipped_never_half_written(home_page, tmp_path, monkeypatch):
    from wordpress_import import content

    real = content.convert_content

    def breaks_on_treffen(html, resolver):
        if "Hannover" in html:
            raise RuntimeError("converter crashed")
        return real(html, resolver)

    monkeypatch.setattr(content, "convert_content", breaks_on_treffen)
    output, report = import_with_report(tmp_path)
    assert [entry["wp_id"] for entry in report["failed"]] == [11]
    assert "converter crashed" in output
    assert not StandardPage.objects.filter(title="Treffen 2020").exists()
    assert not WordPressItem.objects.filter(wp_id=11).exists()
    assert page_of(12).live  # its sibling is there
    monkeypatch.setattr(content, "convert_content", real)
    import_with_report(tmp_path)
    assert page_of(11).get_parent().pk == page_of(10).pk


# 10. Report


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


def test_progress_is_shown_on_request(home_page):
    err = StringIO()
    call_command("import_wordpress", str(FIXTURES / "wxr11.xml"), stdout=StringIO(), stderr=err)
    assert "Reading: 100%" in err.getvalue() and "Importing: 100% (2/2 items)" in err.getvalue()


def test_uploads_folder_must_exist(home_page, tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        run_import(uploads=str(tmp_path / "missing"))


def test_files_outside_the_uploads_folder_are_never_read(home_page, tmp_path):
    uploads = tmp_path / "uploads"
    shutil.copytree(UPLOADS, uploads)
    text = EXPORT.read_text().replace("2020/05/protokoll.pdf", "../../outside.pdf")
    (tmp_path / "outside.pdf").write_bytes(b"%PDF-1.4 secret")
    export = tmp_path / "escape.xml"
    export.write_text(text)
    _output, report = import_with_report(tmp_path, export=export, uploads=str(uploads))
    assert not Document.objects.exists()
    assert any("outside.pdf" in entry["detail"] for entry in report["missing_media"])


def test_imported_pages_are_searchable_and_their_references_indexed(imported):
    # The import indexes each object once at the end instead of at every save.
    from wagtail.models import ReferenceIndex

    results = list(ArticlePage.objects.live().search("Vorstand"))
    assert [page.pk for page in results] == [page_of(20).pk]
    references = ReferenceIndex.get_references_to(page_of(1902))
    assert page_of(10).pk in {int(reference.object_id) for reference in references}


def test_admin_names_are_german():
    from django.utils import translation

    with translation.override("de"):
        assert str(WordPressItem._meta.verbose_name_plural) == "importierte WordPress-Einträge"
        assert str(WordPressItem._meta.get_field("old_url").verbose_name) == "alte Adresse"
