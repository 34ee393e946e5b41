"""An imported WordPress post in Chromium: gallery, table, image, quote and form, axe-clean."""

from types import SimpleNamespace

from django.core.files.base import ContentFile

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

import pytest
from playwright.sync_api import expect

from tests.factories import FormFieldFactory, FormPageFactory, StandardPageFactory
from tests.test_wp_content import GUTENBERG, FakeResolver
from wordpress_import.content import convert_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_imported_post_with_gallery_and_table(live_site, home_page, page, axe, screenshot):
    images = [
        Image.objects.create(title=title, file=get_test_image_file(filename=f"{title}.png", size=(640, 420)))
        for title in ("symposium", "podium", "pause")
    ]
    document = Document.objects.create(title="Satzung", file=ContentFile(b"%PDF-1.4", name="satzung.pdf"))
    target = StandardPageFactory(parent=home_page, title="Über uns", slug="ueber-uns")
    form_page = FormPageFactory(parent=home_page, title="Ausschreibungsunterlagen anfordern")
    FormFieldFactory(page=form_page, label="Ihr Name", clean_name="your-name", locale=form_page.locale)
    resolver = FakeResolver(
        pages={"/ueber-uns/": target},
        documents={"/wp-content/uploads/2021/03/satzung.pdf": document},
        attachments={42: images[0], 43: images[1], 44: images[2]},
        forms=[SimpleNamespace(pk=form_page.pk, post_id=1902, hash="a1b2c3d", title=form_page.title)],
    )
    # No network: the video address is one no oEmbed finder knows, so it shows as a link.
    content = GUTENBERG.replace("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://video.example/1")
    result = convert_content(content, resolver)
    post = StandardPageFactory(parent=home_page, title="Rückblick Symposium", slug="rueckblick", body=result.blocks)

    page.goto(f"{live_site.url}{post.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rückblick Symposium")
    table = page.get_by_role("table", name="Symposien")
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader", name="Jahr")).to_be_visible()
    expect(table.get_by_role("rowheader", name="2023")).to_be_visible()
    expect(table.get_by_role("link", name="Hannover")).to_have_attribute("href", target.url)
    expect(page.get_by_role("img", name="Kaffeepause")).to_be_visible()
    expect(page.get_by_role("img", name="Teilnehmende im Saal")).to_be_visible()
    expect(page.get_by_text("Eindrücke", exact=True)).to_be_visible()
    expect(page.get_by_label("Ihr Name")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("[contact-form")
    screenshot(page, "wp-content-01-imported-post")
    axe(page, "imported WordPress post")
