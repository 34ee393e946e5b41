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

from wagtail.contrib.redirects.models import Redirect
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page, PageViewRestriction, Revision

import pytest

from forms.models import FormField, FormPage
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


# 6. Media


def test_without_uploads_the_import_goes_on_and_lists_every_file(home_page, tmp_path):
    _output, report = import_with_report(tmp_path)
    missing = {entry["wp_id"] for entry in report["missing_media"]}
    assert missing == {30, 31, 32, 33, 10}  # the files, and the page showing the image
    assert Image.objects.count() == 0 and Document.objects.count() == 0
    assert page_of(10).live


# 7. Redirects


def test_wagtail_stores_query_string_redirects_normalised():
    # RedirectMiddleware looks up the full path with the query string sorted, then the bare path.
    assert Redirect.normalise_path("https://www.vsop.de/?p=20&lang=de") == "/?lang=de&p=20"
    assert Redirect.normalise_path("/fachgruppe-alter-und-pflege/") == "/fachgruppe-alter-und-pflege"


# 8. Languages


# 9. Repeatable


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


def test_admin_names_are_german():
    from django.utils import translation

    with translation.override("de"):
        assert str(WordPressItem._meta.verbose_name_plural) == "importierte WordPress-Einträge"
        assert str(WordPressItem._meta.get_field("old_url").verbose_name) == "alte Adresse"
