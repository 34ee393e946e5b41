"""WordPress content → StreamField blocks: wpautop, block-editor markup, shortcodes, links, media.

Most tests run the converter against a stand-in resolver (no database); the last ones
put the converted blocks into a real page with real images, documents and a form and
render it as a visitor sees it.
"""

import json
import re
from pathlib import Path
from types import SimpleNamespace

from django.core.files.base import ContentFile

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

import pytest

from core.blocks import BaseStreamBlock
from tests.factories import FormFieldFactory, FormPageFactory, StandardPageFactory
from wordpress_import.content import convert_content, parse_blocks
from wordpress_import.interfaces import ConvertedContent, Resolver
from wordpress_import.shortcodes import Shortcode, parse_attributes, tokenize

OLD_SITE = "https://www.vsop.de"


class FakeResolver:
    """What the importer would have created: pages, documents, images and forms by old address or ID."""

    def __init__(self, pages=None, documents=None, images=None, attachments=None, forms=None):
        self.pages = pages or {}
        self.documents = documents or {}
        self.images = images or {}
        self.attachments = attachments or {}
        self.forms = forms or []
        self.form_lookups = []

    def page_for_url(self, url):
        for address, page in self.pages.items():
            if url.rstrip("/") in (address.rstrip("/"), OLD_SITE + address.rstrip("/")):
                return page
        return None

    def page_for_wp_id(self, post_id):
        return None

    def document_for_url(self, url):
        return self.documents.get(url.replace(OLD_SITE, ""))

    def image_for_url(self, url):
        path = re.sub(r"-\d+x\d+(\.\w+)$", r"\1", url.replace(OLD_SITE, ""))
        return self.images.get(path)

    def image_for_attachment_id(self, attachment_id):
        return self.attachments.get(attachment_id)

    def form_for_cf7(self, *, post_id=None, hash_prefix=None, title=None):
        self.form_lookups.append({"post_id": post_id, "hash_prefix": hash_prefix, "title": title})
        for form in self.forms:
            if hash_prefix and form.hash.startswith(hash_prefix):
                return form
            if post_id and form.post_id == post_id:
                return form
            if title and form.title == title:
                return form
        return None


def fake(pk, **kwargs):
    return SimpleNamespace(pk=pk, **kwargs)


PAGE = fake(7)
DOCUMENT = fake(9, title="Satzung")
PHOTO = fake(11, title="Symposium", file=SimpleNamespace(url="/media/original_images/symposium.jpg"))
FORM = fake(55, post_id=1902, hash="a1b2c3d4e5", title="Ausschreibungsunterlagen anfordern")


@pytest.fixture
def resolver():
    return FakeResolver(
        pages={"/ueber-uns/": PAGE, "/?page_id=12": PAGE},
        documents={"/wp-content/uploads/2021/03/satzung.pdf": DOCUMENT},
        images={"/wp-content/uploads/2023/05/symposium.jpg": PHOTO},
        attachments={
            42: PHOTO,
            43: fake(12, title="Podium"),
            44: fake(13, title="IMG_0044", description="Kaffeepause"),
        },
        forms=[FORM],
    )


def convert(text, resolver):
    result = convert_content(text, resolver)
    assert isinstance(result, ConvertedContent)
    return result


def types(result):
    return [block["type"] for block in result.blocks]


def values(result, block_type):
    return [block["value"] for block in result.blocks if block["type"] == block_type]


def issue_text(result):
    return "\n".join(f"{issue.kind}: {issue.detail}" for issue in result.issues)


def assert_nothing_raw_reaches_visitors(result):
    dumped = json.dumps(result.blocks, ensure_ascii=False)
    assert "<!--" not in dumped and "wp:" not in dumped
    assert "<p></p>" not in dumped and "<p><br/>" not in dumped and "<br/></p>" not in dumped
    assert not re.search(r"\[/?[a-z][\w-]*[\s\]]", dumped), dumped


def test_the_fake_resolver_fulfils_the_protocol(resolver):
    assert isinstance(resolver, Resolver)


# Classic editor: wpautop


def test_wpautop_blank_lines_make_paragraphs_and_single_breaks_br(resolver):
    result = convert("Erste Zeile\nzweite Zeile\n\n\n\nNeuer Absatz.\n  \nDritter.\n", resolver)
    assert result.blocks == [
        {"type": "paragraph", "value": "<p>Erste Zeile<br/>zweite Zeile</p>"},
        {"type": "paragraph", "value": "<p>Neuer Absatz.</p>"},
        {"type": "paragraph", "value": "<p>Dritter.</p>"},
    ]
    assert result.issues == []
    assert result.excerpt_text == "Erste Zeile zweite Zeile Neuer Absatz. Dritter."


def test_wpautop_keeps_block_elements_out_of_paragraphs(resolver):
    result = convert(
        "Einleitung mit <strong>fett</strong> und <em>kursiv</em>.\n"
        "<h2>Ziele</h2>\n"
        "<ul>\n<li>Planung</li>\n<li>Beteiligung <b>vor Ort</b></li>\n</ul>\n"
        "<h4>Klein</h4>\n"
        "<p>&nbsp;</p>\n<p></p>\n"
        "<blockquote>Planung ist Haltung.<cite>— Erika Muster</cite></blockquote>\n"
        "<hr />\nSchluss.",
        resolver,
    )
    assert result.blocks == [
        {"type": "paragraph", "value": "<p>Einleitung mit <b>fett</b> und <i>kursiv</i>.</p>"},
        {"type": "heading", "value": {"text": "Ziele", "level": "h2"}},
        {"type": "paragraph", "value": "<ul><li>Planung</li><li>Beteiligung <b>vor Ort</b></li></ul>"},
        {"type": "heading", "value": {"text": "Klein", "level": "h3"}},
        {"type": "quote", "value": {"text": "Planung ist Haltung.", "attribution": "Erika Muster"}},
        {"type": "paragraph", "value": "<p>Schluss.</p>"},
    ]
    assert_nothing_raw_reaches_visitors(result)


def test_formatting_outside_the_paragraph_features_is_dropped_text_kept(resolver):
    result = convert(
        '<p style="text-align:center"><span style="color:red">Rot</span> <u>unterstrichen</u> '
        '<font face="Arial">alt</font> H<sub>2</sub>O <img src="/x.gif" onerror="alert(1)"> '
        '<a href="javascript:alert(1)">klick</a><script>alert(2)</script></p>',
        resolver,
    )
    assert values(result, "paragraph") == ["<p>Rot unterstrichen alt H2O klick</p>"]
    text = issue_text(result)
    assert "script link" in text and "<script>" in text and "Image not found" in text


def test_html_comments_and_more_tags_vanish(resolver):
    result = convert("Vorne<!--more-->\n\nHinten <!-- Notiz -->\n<!--nextpage-->", resolver)
    assert values(result, "paragraph") == ["<p>Vorne</p>", "<p>Hinten</p>"]


def test_preformatted_text_keeps_its_lines(resolver):
    result = convert("<pre>Zeile 1\nZeile 2 &lt;b&gt;</pre>", resolver)
    assert values(result, "paragraph") == ["<p>Zeile 1<br/>Zeile 2 &lt;b&gt;</p>"]


# Links


def test_internal_links_become_page_links_and_uploads_documents(resolver):
    result = convert(
        f'Mehr <a href="{OLD_SITE}/ueber-uns/">über den Verein</a>, '
        f'die <a href="{OLD_SITE}/wp-content/uploads/2021/03/satzung.pdf">Satzung (PDF)</a>, '
        f'ein <a href="{OLD_SITE}/wp-content/uploads/2023/05/symposium-300x200.jpg">Foto</a>, '
        '<a href="/?page_id=12">die Seite</a>, <a href="/alt/verschwunden/">weg</a>, '
        '<a href="mailto:info@vsop.example">E-Mail</a> und <a href="https://example.org/">extern</a>.',
        resolver,
    )
    (paragraph,) = values(result, "paragraph")
    assert '<a linktype="page" id="7">über den Verein</a>' in paragraph
    assert '<a linktype="document" id="9">Satzung (PDF)</a>' in paragraph
    assert '<a href="/media/original_images/symposium.jpg">Foto</a>' in paragraph
    assert '<a linktype="page" id="7">die Seite</a>' in paragraph
    assert '<a href="/alt/verschwunden/">weg</a>' in paragraph
    assert '<a href="mailto:info@vsop.example">E-Mail</a>' in paragraph
    assert '<a href="https://example.org/">extern</a>' in paragraph
    assert "Internal link to something that was not imported: /alt/verschwunden/" in issue_text(result)


def test_buttons_become_link_blocks_and_vague_texts_stay_paragraph_links(resolver):
    result = convert(
        '<!-- wp:buttons -->\n<div class="wp-block-buttons"><!-- wp:button -->\n'
        f'<div class="wp-block-button"><a class="wp-block-button__link" href="{OLD_SITE}/ueber-uns/">'
        "Über den Verein</a></div>\n<!-- /wp:button -->\n<!-- wp:button -->\n"
        '<div class="wp-block-button"><a class="wp-block-button__link" href="https://example.org/">Hier</a></div>\n'
        "<!-- /wp:button -->\n<!-- wp:button -->\n"
        '<div class="wp-block-button"><a class="wp-block-button__link" href="https://example.org/a">'
        "Programm 2024</a></div>\n<!-- /wp:button --></div>\n<!-- /wp:buttons -->",
        resolver,
    )
    assert result.blocks == [
        {
            "type": "link",
            "value": {"text": "Über den Verein", "page": 7, "document": None, "url": "", "description": ""},
        },
        {"type": "paragraph", "value": '<p><a href="https://example.org/">Hier</a></p>'},
        {
            "type": "link",
            "value": {
                "text": "Programm 2024",
                "page": None,
                "document": None,
                "url": "https://example.org/a",
                "description": "",
            },
        },
    ]
    assert "vague_link: Link text “Hier”" in issue_text(result)


# Block editor


# A post of the block editor with every block the converter knows (WordPress 6.x markup).
GUTENBERG = (Path(__file__).parent / "fixtures" / "wp_content" / "gutenberg.html").read_text()


def test_block_editor_content_becomes_blocks(resolver):
    result = convert(GUTENBERG, resolver)
    assert types(result) == [
        "paragraph",
        "heading",
        "paragraph",
        "quote",
        "image",
        "gallery",
        "embed",
        "table",
        "form",
        "paragraph",
    ]
    blocks = [block["value"] for block in result.blocks]
    assert blocks[0] == '<p>Die <b>Fachgruppe</b> trifft sich <a linktype="page" id="7">zweimal</a> im Jahr.</p>'
    assert blocks[1] == {"text": "Themen", "level": "h3"}
    assert blocks[2] == "<ol><li>Pflege</li><li>Quartier</li></ol>"
    assert blocks[3] == {"text": "Sozialplanung ist Zukunftsarbeit.", "attribution": "Erika Muster"}
    assert blocks[4] == {
        "image": {"image": 11, "alt_text": "Teilnehmende im Saal", "decorative": False},
        "caption": "Symposium 2023",
    }
    assert blocks[5] == {
        "caption": "Eindrücke",
        "images": [
            {"image": {"image": 12, "alt_text": "Podium", "decorative": False}, "caption": ""},
            {"image": {"image": 13, "alt_text": "Kaffeepause", "decorative": False}, "caption": "In der Pause"},
        ],
    }
    assert blocks[6] == {"embed": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "Vortrag zur Sozialplanung"}
    assert blocks[7] == {
        "table": {
            "columns": [{"type": "text", "heading": "Jahr"}, {"type": "rich_text", "heading": "Ort"}],
            "rows": [
                {"values": ["2023", "<p>Kassel</p>"]},
                {"values": ["2024", '<p><a linktype="page" id="7">Hannover</a></p>']},
            ],
            "caption": "Symposien",
        },
        "first_column_is_header": True,
    }
    assert blocks[8] == {"form_page": 55, "display": "embed"}
    assert blocks[9] == "<p>Eigenes <b>HTML</b></p>"
    assert "Block “latest-posts” is not supported" in issue_text(result)
    assert "Dropped <script>" in issue_text(result)
    assert_nothing_raw_reaches_visitors(result)


def test_parse_blocks_nests_and_keeps_freeform_html():
    parsed = parse_blocks(
        "Klassisch\n<!-- wp:group --><div><!-- wp:paragraph --><p>a</p><!-- /wp:paragraph --></div><!-- /wp:group -->"
        '<!-- wp:spacer {"height":"2px"} /-->Ende'
    )
    assert [(kind, name) for kind, name, _attrs, _inner in parsed] == [
        ("html", None),
        ("block", "group"),
        ("block", "spacer"),
        ("html", None),
    ]
    assert parsed[2][2] == {"height": "2px"}
    assert "<!-- wp:paragraph -->" in parsed[1][3]


def test_classic_content_inside_block_markup_still_gets_wpautop(resolver):
    result = convert("Zeile 1\nZeile 2\n\nAbsatz\n<!-- wp:paragraph --><p>Block</p><!-- /wp:paragraph -->", resolver)
    assert values(result, "paragraph") == ["<p>Zeile 1<br/>Zeile 2</p>", "<p>Absatz</p>", "<p>Block</p>"]


def test_embeds_by_address_iframe_and_unknown_services(resolver):
    result = convert(
        "Vorher\n\nhttps://youtu.be/dQw4w9WgXcQ\n\n"
        '<iframe src="https://player.vimeo.com/video/76979871" title="Interview"></iframe>\n'
        '<iframe src="https://maps.example.com/embed?x=1"></iframe>\n'
        "[embed]https://www.youtube.com/watch?v=abc[/embed]\r\n\r\nhttps://soundcloud.com/vsop/podcast-1\r\n\r\n"
        "https://twitter.com/vsop/status/1",
        resolver,
    )
    assert values(result, "embed") == [
        {"embed": "https://youtu.be/dQw4w9WgXcQ", "title": "Video (YouTube)"},
        {"embed": "https://vimeo.com/76979871", "title": "Interview"},
        {"embed": "https://www.youtube.com/watch?v=abc", "title": "Video (YouTube)"},
        {"embed": "https://soundcloud.com/vsop/podcast-1", "title": "Audio (SoundCloud)"},
        {"embed": "https://twitter.com/vsop/status/1", "title": "Beitrag (twitter.com)"},
    ]
    text = issue_text(result)
    assert "not a known video or media service: https://maps.example.com/embed?x=1" in text
    assert "an editor should describe it" in text


# Shortcodes


def test_tokenizer_reads_wordpress_shortcode_syntax():
    tokens = tokenize(
        'A [gallery ids="1,2" columns=3 link=\'file\'] B [video src="v.mp4" /] '
        '[caption id="attachment_5"]<img src="x.jpg"> Text[/caption] [[gallery]] [sic] [Anm. d. Red.] '
        '[contact-form 3 "Kontakt"]'
    )
    shortcodes = [token for token in tokens if isinstance(token, Shortcode)]
    assert [shortcode.name for shortcode in shortcodes] == ["gallery", "video", "caption", "contact-form"]
    gallery, video, caption, legacy = shortcodes
    assert gallery.attrs == {"ids": "1,2", "columns": "3", "link": "file"} and not gallery.enclosing
    assert video.attrs == {"src": "v.mp4"} and video.content is None
    assert caption.content == '<img src="x.jpg"> Text' and caption.attrs == {"id": "attachment_5"}
    assert legacy.positional == ["3", "Kontakt"]
    text = "".join(token for token in tokens if isinstance(token, str))
    assert "[gallery]" in text and "[sic]" in text and "[Anm. d. Red.]" in text  # escaped and prose stay text
    assert "[[" not in text


def test_parse_attributes_like_wordpress():
    assert parse_attributes(' id="1902" title="Ausschreibungsunterlagen anfordern"') == (
        {"id": "1902", "title": "Ausschreibungsunterlagen anfordern"},
        [],
    )
    assert parse_attributes(" Width=300 'single' \"double\" bare") == ({"width": "300"}, ["single", "double", "bare"])
    # Quotes the visual editor turned into entities or typographic quotes.
    assert parse_attributes(" id=&#8221;1902&#8243; title=&quot;Kontakt&quot;") == (
        {"id": "1902", "title": "Kontakt"},
        [],
    )
    assert parse_attributes(" id=\u201d1902\u201d") == ({"id": "1902"}, [])


def test_contact_form_shortcodes_become_form_blocks_resolved_as_cf7_does(resolver):
    text = (
        "<p>Fordern Sie die Unterlagen an:</p>\n"
        '[contact-form-7 id="1902" title="Ausschreibungsunterlagen anfordern"]\n\n'
        "Danach melden wir uns.\n\n"
        '[contact-form-7 id="a1b2c3d" title="Anders"]\n\n'
        '[contact-form 1902 "Ausschreibungsunterlagen anfordern"]\n\n'
        '[contact-form-7 id="999" title="Ausschreibungsunterlagen anfordern"]\n\n'
        '[contact-form-7 id="404" title="Gibt es nicht"]'
    )
    result = convert(text, resolver)
    assert types(result) == ["paragraph", "form", "paragraph", "form", "form", "form"]
    assert {json.dumps(value) for value in values(result, "form")} == {
        json.dumps({"form_page": 55, "display": "embed"})
    }
    # Hash prefix first, then the post ID, then the title.
    assert resolver.form_lookups[:2] == [
        {"post_id": 1902, "hash_prefix": None, "title": None},
        {"post_id": None, "hash_prefix": "a1b2c3d", "title": None},
    ]
    assert {"post_id": None, "hash_prefix": None, "title": "Gibt es nicht"} in resolver.form_lookups
    assert 'Contact form not found, dropped: [contact-form-7 id="404" title="Gibt es nicht"]' in issue_text(result)
    assert_nothing_raw_reaches_visitors(result)


def test_caption_gallery_video_audio_shortcodes(resolver):
    resolver.documents["/wp-content/uploads/2022/01/vortrag.mp4"] = fake(20, title="Vortrag")
    result = convert(
        '[caption id="attachment_42" align="alignleft" width="300"]'
        '<a href="/wp-content/uploads/2023/05/symposium.jpg"><img class="size-medium wp-image-42" '
        'src="/wp-content/uploads/2023/05/symposium-300x200.jpg" alt="Saal" width="300" height="200" /></a>'
        " Der volle Saal[/caption]\n\n"
        '[gallery ids="43,44,99"]\n\n'
        '[gallery columns="2"]\n\n'
        '[video width="640" mp4="/wp-content/uploads/2022/01/vortrag.mp4"][/video]\n\n'
        '[video src="https://www.youtube.com/watch?v=xyz"]\n\n'
        '[audio mp3="/wp-content/uploads/2022/01/fehlt.mp3"]',
        resolver,
    )
    assert result.blocks[0] == {
        "type": "image",
        "value": {"image": {"image": 11, "alt_text": "Saal", "decorative": False}, "caption": "Der volle Saal"},
    }
    gallery = result.blocks[1]
    assert gallery["type"] == "gallery" and [item["image"]["image"] for item in gallery["value"]["images"]] == [12, 13]
    # Without an <img>, the alt text comes from the media library's description, never the title.
    assert [item["image"]["alt_text"] for item in gallery["value"]["images"]] == ["", "Kaffeepause"]
    assert result.blocks[2] == {
        "type": "link",
        "value": {"text": "Video: Vortrag", "page": None, "document": 20, "url": "", "description": ""},
    }
    assert result.blocks[3]["type"] == "embed"
    text = issue_text(result)
    assert "attachment 99" in text
    assert "Gallery without a list of images dropped" in text
    assert "offered as a download" in text
    assert "Audio file not found in the media library, dropped: /wp-content/uploads/2022/01/fehlt.mp3" in text
    # Gallery images without alt text in the library are flagged for editors.
    assert "Image “Podium” has no alternative text" in text and "IMG_0044" not in text
    assert_nothing_raw_reaches_visitors(result)


def test_unknown_shortcodes_are_dropped_reported_and_their_text_kept(resolver):
    result = convert(
        'Vorne [su_note note_color="#fff"]Wichtiger Hinweis[/su_note] hinten [et_pb_section][/et_pb_section] '
        "[lightbox] [sic]",
        resolver,
    )
    assert values(result, "paragraph") == ["<p>Vorne</p>", "<p>Wichtiger Hinweis</p>", "<p>hinten</p>", "<p>[sic]</p>"]
    text = issue_text(result)
    assert 'shortcode: Unknown shortcode dropped: [su_note note_color="#fff"]Wichtiger Hinweis[/su_note]' in text
    assert "[et_pb_section][/et_pb_section]" in text and "[lightbox]" in text


def test_excerpt_is_cut_at_a_word(resolver):
    result = convert(("Wort " * 100).strip(), resolver)
    assert len(result.excerpt_text) <= 300 and result.excerpt_text.endswith("Wort…")


def test_missing_images_are_reported_not_shown(resolver):
    result = convert('<img src="/wp-content/uploads/fehlt.jpg" alt="Fehlt">', resolver)
    assert result.blocks == []
    assert "Image not found in the media library, dropped: /wp-content/uploads/fehlt.jpg" in issue_text(result)


# In a real page


@pytest.fixture
def media(db):
    image = Image.objects.create(title="Symposium", file=get_test_image_file(filename="symposium.png"))
    second = Image.objects.create(title="Podium", file=get_test_image_file(filename="podium.png"))
    document = Document.objects.create(title="Satzung", file=ContentFile(b"%PDF-1.4 test", name="satzung.pdf"))
    return SimpleNamespace(image=image, second=second, document=document)


@pytest.mark.django_db
def test_converted_content_renders_in_a_page(client, home_page, media, django_user_model):
    target = StandardPageFactory(parent=home_page, title="Über uns", slug="ueber-uns")
    form_page = FormPageFactory(parent=home_page, title="Ausschreibungsunterlagen anfordern")
    FormFieldFactory(page=form_page, label="Name", clean_name="your-name", locale=form_page.locale)
    resolver = FakeResolver(
        pages={"/ueber-uns/": target},
        documents={"/wp-content/uploads/2021/03/satzung.pdf": media.document},
        attachments={42: media.image, 43: media.image, 44: media.second},
        forms=[SimpleNamespace(pk=form_page.pk, post_id=1902, hash="a1b2c3d", title=form_page.title)],
    )
    result = convert(
        GUTENBERG.replace("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://vimeo.example/1")
        + '\n<p>Die <a href="/wp-content/uploads/2021/03/satzung.pdf">Satzung</a> [su_box]Box[/su_box]</p>',
        resolver,
    )
    page = StandardPageFactory(parent=home_page, title="Importiert", slug="importiert", body=result.blocks)
    page.refresh_from_db()
    # Every block is valid for the body's StreamBlock (embeds are checked by fetching them: not here).
    stream_block = BaseStreamBlock()
    for child in page.body:
        if child.block_type != "embed":
            stream_block.child_blocks[child.block_type].clean(child.value)
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    body = html[html.index("<main") : html.index("</main>")]
    assert "<!--" not in body and "wp:" not in body and "[su_box" not in body and "[contact-form" not in body
    assert f'href="{target.url}"' in body
    assert media.document.url in body
    assert 'alt="Teilnehmende im Saal"' in body and "<figcaption>Symposium 2023</figcaption>" in body
    assert "<caption>Symposien</caption>" in body
    assert '<th scope="col">Jahr</th>' in body and '<th scope="row">2023</th>' in body
    assert 'class="gallery-block"' in body and "<figcaption>Eindrücke</figcaption>" in body
    assert 'name="your-name"' in body  # the form is shown where the shortcode stood
    assert "Eigenes <b>HTML</b>" in body and "tracking()" not in body
    # Editors can open the imported page in the admin: every block loads into the editor.
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.org", "pw"))
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    assert "Symposien" in response.content.decode()


@pytest.mark.parametrize(
    "text",
    [
        '<!-- wp:image {"id":"abc"} --><figure><img src="x.jpg" class="wp-image-zz"></figure><!-- /wp:image -->',
        '<!-- wp:media-text {"mediaId":"x"} --><div>Text</div><!-- /wp:media-text -->',
        '<!-- wp:contact-form-7/contact-form-selector {"id":"eins","title":null} --><div></div>'
        "<!-- /wp:contact-form-7/contact-form-selector -->",
        "<!-- wp:paragraph {broken json} --><p>Kaputt</p><!-- /wp:paragraph -->",
        "<!-- wp:group --><div><!-- wp:paragraph --><p>offen",
        "<!-- /wp:paragraph -->Nur ein Ende",
        "<table><tr></tr></table><table></table><ul></ul><h2> </h2><blockquote></blockquote><figure></figure>",
        "<div>" * 300 + "tief" + "</div>" * 300,
        '[caption]ohne Bild[/caption] [gallery ids="a,b"] [embed][/embed] [video] [contact-form-7] [contact-form]',
        "[[[[ ]]]] [/gallery] [/su_box]",
        "\x00\ufeff<p>\x0b</p>",
    ],
)
def test_broken_content_never_raises_and_leaves_nothing_raw(resolver, text):
    result = convert(text, resolver)
    dumped = json.dumps(result.blocks, ensure_ascii=False)
    assert "<!--" not in dumped and "wp:" not in dumped
    assert "[gallery" not in dumped and "[caption" not in dumped and "[contact-form" not in dumped


def test_wordpress_caption_markup_of_old_posts(resolver):
    result = convert(
        '<div id="attachment_42" class="wp-caption aligncenter" style="width: 310px">'
        '<img class="size-medium" src="/x-300x200.jpg" alt="Saal" />'
        '<p class="wp-caption-text">Der Saal</p></div>',
        resolver,
    )
    assert result.blocks == [
        {
            "type": "image",
            "value": {"image": {"image": 11, "alt_text": "Saal", "decorative": False}, "caption": "Der Saal"},
        }
    ]


def test_a_stray_closing_block_comment_is_dropped_without_repeating_text(resolver):
    result = convert("Eins<!-- /wp:paragraph -->Zwei<!-- wp:paragraph --><p>Drei</p><!-- /wp:paragraph -->", resolver)
    assert values(result, "paragraph") == ["<p>Eins</p>", "<p>Zwei</p>", "<p>Drei</p>"]


def test_older_and_nested_block_markup(resolver):
    resolver.documents["/wp-content/uploads/2022/01/vortrag.mp4"] = fake(20, title="Vortrag")
    result = convert(
        '<!-- wp:gallery {"ids":[43,44]} -->\n'
        '<figure class="wp-block-gallery columns-2"><ul class="blocks-gallery-grid">'
        '<li class="blocks-gallery-item"><figure><img src="podium.jpg" alt="Podium" data-id="43" class="wp-image-43"/>'
        '</figure></li><li class="blocks-gallery-item"><figure><img src="pause.jpg" alt="Pause" data-id="44"/>'
        '<figcaption class="blocks-gallery-item__caption">Kaffee</figcaption></figure></li></ul></figure>\n'
        "<!-- /wp:gallery -->\n"
        '<!-- wp:columns --><div class="wp-block-columns"><!-- wp:column --><div class="wp-block-column">'
        '<!-- wp:pullquote --><figure class="wp-block-pullquote"><blockquote><p>Planung verbindet.</p>'
        "<cite>Vorstand</cite></blockquote></figure><!-- /wp:pullquote --></div><!-- /wp:column -->"
        '<!-- wp:column --><div class="wp-block-column">'
        '<!-- wp:file {"id":31,"href":"/wp-content/uploads/2021/03/satzung.pdf"} -->'
        '<div class="wp-block-file"><a href="/wp-content/uploads/2021/03/satzung.pdf">Satzung des VSOP</a>'
        '<a href="/wp-content/uploads/2021/03/satzung.pdf" class="wp-block-file__button" download>'
        "Herunterladen</a></div>"
        "<!-- /wp:file --></div><!-- /wp:column --></div><!-- /wp:columns -->\n"
        '<!-- wp:video {"id":50} --><figure class="wp-block-video">'
        '<video controls src="/wp-content/uploads/2022/01/vortrag.mp4">'
        "</video></figure><!-- /wp:video -->",
        resolver,
    )
    assert types(result) == ["gallery", "quote", "link", "link"]
    gallery, quote, file_link, video = (block["value"] for block in result.blocks)
    assert [item["image"]["image"] for item in gallery["images"]] == [12, 13]
    assert [item["caption"] for item in gallery["images"]] == ["", "Kaffee"]
    assert quote == {"text": "Planung verbindet.", "attribution": "Vorstand"}
    assert file_link == {"text": "Satzung des VSOP", "page": None, "document": 9, "url": "", "description": ""}
    assert video["document"] == 20 and video["text"] == "Video: Vortrag"
