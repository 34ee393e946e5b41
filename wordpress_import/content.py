"""WordPress post content → StreamField data for ``core.blocks.BaseStreamBlock``.

Two kinds of content arrive from a WordPress export:

* **classic-editor HTML**, which WordPress turns into paragraphs only when showing
  it (``wpautop``): a blank line starts a paragraph, a single line break becomes
  ``<br>``; block-level elements (headings, lists, tables …) stand on their own.
* **block-editor content**: HTML between ``<!-- wp:name {"json"} -->`` and
  ``<!-- /wp:name -->`` comments (or self-closing ``<!-- wp:name /-->``).

Both become blocks: paragraphs as rich text with only the features of the paragraph
block (bold, italic, lists, links; everything else is unwrapped, its text kept),
headings, quotes, images, galleries, embeds (stored by address, never fetched here),
tables, links and forms. Links to imported pages become page links, links to
uploads document links; shortcodes are converted or dropped (see
:mod:`wordpress_import.shortcodes`). Whatever is lost on the way is reported as an
:class:`~wordpress_import.interfaces.Issue`; nothing reaches a visitor as an HTML
comment, a shortcode or an empty ``<p>``.
"""

from __future__ import annotations

import bisect
import html
import json
import re
import warnings
from urllib.parse import urlparse

from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning, NavigableString, Tag

from core.blocks import is_vague_link_text

from . import shortcodes
from .interfaces import ConvertedContent, Issue

EXCERPT_LENGTH = 300

# Content that is only an address is HTML all the same.
warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning, module=__name__)

# Elements wpautop never wraps in <p> and that we convert as blocks.
BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "iframe",
    "li",
    "main",
    "nav",
    "noscript",
    "object",
    "ol",
    "p",
    "pre",
    "script",
    "section",
    "style",
    "summary",
    "table",
    "ul",
    "video",
    "audio",
    "embed",
}
DROPPED_TAGS = {"script", "style", "form", "noscript", "object", "input", "button", "select", "textarea", "svg"}
INLINE_RENAMES = {"strong": "b", "b": "b", "em": "i", "i": "i"}

EMBED_HOSTS = (
    "youtube.com",
    "youtu.be",
    "youtube-nocookie.com",
    "vimeo.com",
    "dailymotion.com",
    "soundcloud.com",
    "spotify.com",
    "slideshare.net",
    "speakerdeck.com",
    "flickr.com",
    "issuu.com",
    "mixcloud.com",
    "ted.com",
    "twitter.com",
    "x.com",
    "instagram.com",
    "facebook.com",
    "tiktok.com",
    "scribd.com",
    "kickstarter.com",
    "reddit.com",
    "tumblr.com",
    "wordpress.tv",
    "videopress.com",
    "prezi.com",
)
PROVIDER_NAMES = {
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "youtube-nocookie.com": "YouTube",
    "vimeo.com": "Vimeo",
    "soundcloud.com": "SoundCloud",
    "slideshare.net": "SlideShare",
    "spotify.com": "Spotify",
    "mixcloud.com": "Mixcloud",
    "dailymotion.com": "Dailymotion",
    "ted.com": "TED",
}
# What an embed is called until an editor describes it (content is German by default).
AUDIO_HOSTS = {"soundcloud.com", "spotify.com", "mixcloud.com"}
VIDEO_HOSTS = {
    "youtube.com",
    "youtu.be",
    "youtube-nocookie.com",
    "vimeo.com",
    "dailymotion.com",
    "ted.com",
    "wordpress.tv",
    "videopress.com",
    "tiktok.com",
}
UPLOADS_RE = re.compile(r"/wp-content/uploads/|/files/\d{4}/\d{2}/", re.IGNORECASE)

# A block comment: "<!-- wp:name {json} -->", "<!-- /wp:name -->", "<!-- wp:name /-->".
# Its end is the next "-->" (WordPress escapes "--" inside the JSON), found by bisecting
# the positions of all "-->", so that broken markup cannot make the scan quadratic.
_BLOCK_START_RE = re.compile(r"<!--\s+(?P<close>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)(?=\s)")
_BLOCK_REST_RE = re.compile(r"\s+(?:(?P<attrs>\{.*\})\s+)?(?P<void>/)?", re.DOTALL)
_PARAGRAPH_BREAK_RE = re.compile(r"\n\s*\n")


def convert_content(html_text: str, resolver) -> ConvertedContent:
    """Converts a post's ``content:encoded`` (classic or block editor) into blocks."""
    converter = Converter(resolver)
    converter.convert(html_text or "")
    return converter.result()


def embed_host(url: str) -> str | None:
    """The known oEmbed provider of an address (``youtube.com`` …), or ``None``."""
    try:
        host = (urlparse(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    for provider in EMBED_HOSTS:
        if host == provider or host.endswith("." + provider):
            return provider
    return None


def markup_text(markup: str) -> str:
    """The text of rich text this module wrote itself (well-formed): cheaper than parsing it."""
    text = re.sub(r"<br/>|</p>|</li>", " ", markup or "")
    text = html.unescape(re.sub(r"<[^>]*>", "", text))
    return re.sub(r"\s+", " ", text).strip()


def plain_text(fragment: str) -> str:
    soup = BeautifulSoup(fragment or "", "html.parser")
    return _text_of(soup)


class Converter:
    """Collects blocks and issues while walking one post's content."""

    def __init__(self, resolver):
        self.resolver = resolver
        self.blocks: list[dict] = []
        self.issues: list[Issue] = []

    # Results

    def result(self) -> ConvertedContent:
        return ConvertedContent(blocks=self.blocks, excerpt_text=self.excerpt(), issues=self.issues)

    def excerpt(self) -> str:
        texts = []
        for block in self.blocks:
            if block["type"] == "paragraph":
                texts.append(markup_text(block["value"]))
                if sum(len(text) for text in texts) >= EXCERPT_LENGTH:
                    break
        text = " ".join(text for text in texts if text)
        if len(text) <= EXCERPT_LENGTH:
            return text
        cut = text[: EXCERPT_LENGTH - 1].rsplit(" ", 1)[0]
        return cut.rstrip(",;:–- ") + "…"

    def report(self, kind: str, detail: str):
        issue = Issue(kind, detail)
        if issue not in self.issues:
            self.issues.append(issue)

    def add(self, block_type: str, value):
        self.blocks.append({"type": block_type, "value": value})

    # Entry points

    def convert(self, text: str):
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if "<!-- wp:" in text:
            self.convert_block_markup(text)
            return
        try:
            self.convert_fragment(text, autop=True)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
            self.blocks.clear()
            self.report("html", f"The content could not be converted ({error}); its text was kept as paragraphs.")
            self.add_plain_paragraphs(text)

    def convert_fragment(self, text: str, autop: bool = True):
        """HTML that may hold shortcodes: shortcodes become blocks, the HTML between is converted."""
        for token in shortcodes.tokenize(text):
            if isinstance(token, shortcodes.Shortcode):
                shortcodes.convert(token, self)
            else:
                self.convert_html(token, autop=autop)

    # Block editor

    def convert_block_markup(self, text: str):
        for kind, name, attrs, inner in parse_blocks(text):
            if kind == "html":
                if inner.strip():
                    self.convert_fragment(inner, autop=True)
            else:
                self.convert_block_safely(name, attrs, inner)

    def convert_block_safely(self, name, attrs, inner):
        """A block whose markup or attributes are broken keeps its text and is reported."""
        blocks_before = len(self.blocks)
        try:
            self.convert_block(name, attrs, inner)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
            del self.blocks[blocks_before:]
            self.report("block", f"Block “{name}” could not be converted ({error}); its text was kept.")
            self.add_plain_paragraphs(_strip_block_comments(inner))

    def add_plain_paragraphs(self, fragment: str):
        for part in _PARAGRAPH_BREAK_RE.split(fragment):
            text = plain_text(part)
            if text:
                self.add_paragraph(f"<p>{html.escape(text, quote=False)}</p>")

    def convert_block(self, name: str, attrs: dict, inner: str):
        name = name.removeprefix("core/")
        inner_html = _strip_block_comments(inner)
        if name in ("paragraph", "heading", "list", "freeform", "verse", "preformatted", "code", "missing"):
            self.convert_fragment(inner_html, autop=name in ("freeform", "missing"))
        elif name in ("quote", "pullquote") or name == "html":
            self.convert_fragment(inner_html, autop=False)
        elif name == "shortcode":
            self.convert_fragment(inner_html, autop=True)
        elif name == "image":
            soup = BeautifulSoup(inner_html, "html.parser")
            img = soup.find("img")
            caption = soup.find("figcaption")
            if img is None:
                self.report("media", "An image block without an image was dropped.")
                return
            self.add_image(
                img,
                caption=_text_of(caption) if caption else "",
                attachment_id=attrs.get("id"),
            )
        elif name == "gallery":
            self.convert_gallery_block(attrs, inner)
        elif name == "embed" or name.startswith("core-embed/"):
            url = attrs.get("url") or _first_url(plain_text(inner_html))
            caption = _text_of(BeautifulSoup(inner_html, "html.parser").find("figcaption"))
            if url:
                self.add_embed(url, title=caption)
            else:
                self.report("embed", "An embed block without an address was dropped.")
        elif name == "table":
            soup = BeautifulSoup(inner_html, "html.parser")
            table = soup.find("table")
            caption = soup.find("figcaption")
            if table is not None:
                self.add_table(table, caption=_text_of(caption) if caption else "")
        elif name in ("buttons", "group", "columns", "column", "row", "stack", "cover", "media-text", "details"):
            if name == "cover" and attrs.get("url"):
                self.report("media", f"The background image of a cover block was not carried over: {attrs['url']}")
            if name == "media-text" and _to_int(attrs.get("mediaId")):
                image = self.resolver.image_for_attachment_id(_to_int(attrs["mediaId"]))
                if image is not None:
                    self.add_image_value(image, alt=attrs.get("mediaAlt", ""), caption="")
            self.convert_block_markup(inner) if "<!-- wp:" in inner else self.convert_fragment(inner_html)
        elif name == "button":
            soup = BeautifulSoup(inner_html, "html.parser")
            link = soup.find("a")
            if link is None or not link.get("href"):
                text = plain_text(inner_html)
                if text:
                    self.report("link", f"A button without a target became text: “{text}”")
                    self.add_paragraph(f"<p>{html.escape(text, quote=False)}</p>")
                return
            self.add_link(link.get("href"), _text_of(link))
        elif name == "file":
            soup = BeautifulSoup(inner_html, "html.parser")
            link = soup.find("a", href=True)
            href = attrs.get("href") or (link.get("href") if link else "")
            if href:
                self.add_link(href, _text_of(link))
        elif name in ("video", "audio"):
            soup = BeautifulSoup(inner_html, "html.parser")
            media = soup.find(["video", "audio"])
            src = media.get("src") if media is not None else None
            if src:
                self.add_media_file(src, kind=name)
        elif name in ("separator", "spacer", "more", "nextpage", "page-break"):
            return
        elif name.startswith("contact-form-7/") or name == "contact-form-7":
            identifier = str(attrs.get("hash") or attrs.get("id") or "")
            self.add_form(identifier=identifier, title=attrs.get("title"), post_id=attrs.get("id"))
        else:
            self.report("block", f"Block “{name}” is not supported; its text was kept as paragraphs.")
            if "<!-- wp:" in inner:
                self.convert_block_markup(inner)
            else:
                self.convert_fragment(inner_html)

    def convert_gallery_block(self, attrs, inner):
        items = []
        if "<!-- wp:" in inner:
            for kind, name, image_attrs, image_inner in parse_blocks(inner):
                if kind == "block" and name.removeprefix("core/") == "image":
                    soup = BeautifulSoup(_strip_block_comments(image_inner), "html.parser")
                    img = soup.find("img")
                    caption = soup.find("figcaption")
                    items.append(
                        {
                            "attachment_id": image_attrs.get("id"),
                            "img": img,
                            "caption": _text_of(caption) if caption else "",
                        }
                    )
        else:
            soup = BeautifulSoup(inner, "html.parser")
            for figure in soup.find_all("li") or [soup]:
                img = figure.find("img")
                if img is None:
                    continue
                caption = figure.find("figcaption")
                items.append({"img": img, "caption": _text_of(caption) if caption else ""})
            if not items and attrs.get("ids"):
                items = [{"attachment_id": attachment_id} for attachment_id in attrs["ids"]]
        gallery_caption = ""
        soup = BeautifulSoup(_strip_block_comments(inner), "html.parser")
        for caption in soup.find_all("figcaption"):
            if "blocks-gallery-caption" in (caption.get("class") or []):
                gallery_caption = _text_of(caption)
        self.add_gallery(items, caption=gallery_caption)

    # Classic HTML

    def convert_html(self, text: str, autop: bool = True):
        if not text.strip():
            return
        soup = BeautifulSoup(text, "html.parser")
        self.convert_nodes(list(soup.contents), autop=autop)

    def convert_nodes(self, nodes, autop: bool):
        run: list = []
        for node in nodes:
            if isinstance(node, Comment):
                continue
            if isinstance(node, Tag) and (
                node.name in BLOCK_TAGS or self._is_linked_image(node) or node.name == "img"
            ):
                self.flush_run(run, autop)
                run = []
                self.convert_element(node, autop)
            else:
                run.append(node)
        self.flush_run(run, autop)

    def _is_linked_image(self, node):
        return node.name == "a" and node.find("img") is not None and not _text_of(node)

    def flush_run(self, nodes, autop: bool):
        """Inline content between block elements: paragraphs at blank lines (wpautop)."""
        if not nodes:
            return
        if not autop:
            self.add_paragraph_from_nodes(nodes, autop=False)
            return
        paragraph: list = []
        for node in nodes:
            if isinstance(node, NavigableString) and _PARAGRAPH_BREAK_RE.search(str(node)):
                parts = _PARAGRAPH_BREAK_RE.split(str(node))
                for index, part in enumerate(parts):
                    if index:
                        self.add_paragraph_from_nodes(paragraph, autop=True)
                        paragraph = []
                    if part:
                        paragraph.append(NavigableString(part))
            else:
                paragraph.append(node)
        self.add_paragraph_from_nodes(paragraph, autop=True)

    def convert_element(self, node: Tag, autop: bool):
        name = node.name
        if name in DROPPED_TAGS:
            self.report("html", f"Dropped <{name}> element: {_short(str(node))}")
            return
        if name == "p":
            self.convert_paragraph_element(node, autop)
        elif name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.add_heading(node)
        elif name in ("ul", "ol"):
            self.add_paragraph(self.rich_text_of([node], autop=False, wrap=False))
        elif name == "blockquote":
            self.add_quote(node)
        elif name == "table":
            self.add_table(node)
        elif name == "figure":
            self.convert_figure(node, autop)
        elif name == "img":
            self.add_image(node)
        elif name == "a":  # a linked image
            self.add_image(node.find("img"))
        elif name in ("iframe", "embed", "video", "audio"):
            src = node.get("src") or (node.find("source") or {}).get("src") if isinstance(node, Tag) else None
            if src and embed_host(src):
                self.add_embed(_embed_page_url(src), title=node.get("title", ""))
            elif src and name in ("video", "audio"):
                self.add_media_file(src, kind=name)
            else:
                self.report("html", f"Dropped <{name}> that is not a known video or media service: {src or ''}")
        elif name == "hr":
            return
        elif name == "pre":
            text = node.get_text()
            lines = [html.escape(line, quote=False) for line in text.strip("\n").split("\n")]
            if any(line.strip() for line in lines):
                self.add_paragraph("<p>" + "<br/>".join(lines) + "</p>")
        elif name == "dl":
            for child in node.find_all(["dt", "dd"], recursive=False):
                rich = self.rich_text_of(list(child.contents), autop=False)
                if child.name == "dt" and rich:
                    rich = rich.replace("<p>", "<p><b>", 1).replace("</p>", "</b></p>")
                self.add_paragraph(rich)
        elif name == "figcaption":
            self.add_paragraph_from_nodes(list(node.contents), autop=False)
        elif name == "div" and "wp-caption" in (node.get("class") or []) and node.find("img") is not None:
            # WordPress' own markup of a captioned image (old posts, page builders).
            caption = node.find(class_="wp-caption-text")
            attachment_id = _to_int((node.get("id") or "").removeprefix("attachment_"))
            self.add_image(node.find("img"), caption=_text_of(caption), attachment_id=attachment_id)
        else:  # div, section, center, li outside a list …
            self.convert_nodes(list(node.contents), autop=autop)

    def convert_paragraph_element(self, node: Tag, autop: bool):
        # Images and embeds inside a paragraph become blocks of their own after its text.
        text = _text_of(node)
        url = text if re.fullmatch(r"https?://\S+", text) else None
        if url and embed_host(url) and not node.find("a", string=lambda s: s and s.strip() != url):
            self.add_embed(url)
            return
        parts, current = [], []
        for child in list(node.contents):
            if isinstance(child, Tag) and (
                child.name in ("iframe", "video", "audio", "figure", "table", "ul", "ol", "blockquote", "div")
                or (child.name == "img" and self.find_image(child) is not None)
                or self._is_linked_image(child)
            ):
                parts.append(("inline", current))
                parts.append(("block", child))
                current = []
            else:
                current.append(child)
        parts.append(("inline", current))
        for kind, content in parts:
            if kind == "inline":
                self.add_paragraph_from_nodes(content, autop=autop)
            else:
                self.convert_element(content, autop)

    def convert_figure(self, node: Tag, autop: bool):
        caption_node = node.find("figcaption")
        caption = _text_of(caption_node) if caption_node else ""
        table = node.find("table")
        if table is not None:
            self.add_table(table, caption=caption)
            return
        img = node.find("img")
        if img is not None:
            if len(node.find_all("img")) > 1:
                items = [{"img": image, "caption": ""} for image in node.find_all("img")]
                self.add_gallery(items, caption=caption)
            else:
                self.add_image(img, caption=caption)
            return
        iframe = node.find("iframe")
        if iframe is not None and iframe.get("src") and embed_host(iframe["src"]):
            self.add_embed(_embed_page_url(iframe["src"]), title=caption or iframe.get("title", ""))
            return
        wrapper_url = _first_url(_text_of(node.find(class_="wp-block-embed__wrapper")))
        if wrapper_url:
            self.add_embed(wrapper_url, title=caption)
            return
        self.convert_nodes([child for child in node.contents if child is not caption_node], autop=autop)
        if caption:
            self.add_paragraph(f"<p>{html.escape(caption, quote=False)}</p>")

    # Rich text

    def add_paragraph_from_nodes(self, nodes, autop: bool):
        text = "".join(_text_of(node) if isinstance(node, Tag) else str(node) for node in nodes).strip()
        if re.fullmatch(r"https?://\S+", text) and embed_host(text):
            # An address alone in its paragraph: WordPress embedded it (auto-embed).
            self.add_embed(text)
            return
        rich = self.rich_text_of(nodes, autop=autop)
        if rich:
            self.add_paragraph(rich)

    def add_paragraph(self, rich: str):
        if rich and markup_text(rich):
            self.add("paragraph", rich)

    def rich_text_of(self, nodes, autop: bool, wrap: bool = True) -> str:
        """Rich text in Wagtail's storage format with the paragraph block's features only."""
        out = "".join(self._inline(node, autop) for node in nodes)
        out = _tidy_breaks(out)
        if not markup_text(out):
            return ""
        return f"<p>{out}</p>" if wrap else out

    def _inline(self, node, autop: bool) -> str:
        if isinstance(node, Comment):
            return ""
        if isinstance(node, NavigableString):
            text = html.escape(str(node), quote=False)
            if autop:
                return re.sub(r"[ \t]*\n[ \t]*", "<br/>", text)
            return re.sub(r"\s+", " ", text)
        if not isinstance(node, Tag):
            return ""
        name = node.name
        if name in DROPPED_TAGS:
            self.report("html", f"Dropped <{name}> element: {_short(str(node))}")
            return ""
        if name == "br":
            return "<br/>"
        if name == "img":
            self.add_image(node)
            return ""
        inner = "".join(self._inline(child, autop) for child in node.contents)
        if name in INLINE_RENAMES:
            tag = INLINE_RENAMES[name]
            return f"<{tag}>{inner}</{tag}>" if inner.strip() else inner
        if name in ("ul", "ol"):
            items = "".join(
                f"<li>{_tidy_breaks(self._list_item(li, autop))}</li>" for li in node.find_all("li", recursive=False)
            )
            return f"<{name}>{items}</{name}>" if items else ""
        if name == "a":
            return self._link(node, inner)
        if name in ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption"):
            return inner + "<br/>"
        return inner  # span, u, sub, sup, code, abbr, font …: text kept, formatting dropped

    def _list_item(self, li, autop):
        return "".join(self._inline(child, autop=False) for child in li.contents)

    def _link(self, node: Tag, inner: str) -> str:
        href = (node.get("href") or "").strip()
        if not href or not markup_text(inner):
            return inner
        scheme = urlparse(href).scheme.lower()
        if scheme in ("javascript", "data", "vbscript"):
            self.report("link", f"Dropped a script link: {_short(href)}")
            return inner
        if scheme in ("mailto", "tel"):
            return f'<a href="{html.escape(href)}">{inner}</a>'
        target = self.resolve_link(href)
        if target[0] == "page":
            return f'<a linktype="page" id="{target[1].pk}">{inner}</a>'
        if target[0] == "document":
            return f'<a linktype="document" id="{target[1].pk}">{inner}</a>'
        return f'<a href="{html.escape(target[1])}">{inner}</a>'

    def resolve_link(self, href: str):
        """``("page", page)``, ``("document", doc)`` or ``("url", href)`` for an address in the content."""
        if href.startswith("#"):
            return ("url", href)
        if UPLOADS_RE.search(href) or re.search(r"[?&]attachment_id=\d+", href):
            document = self.resolver.document_for_url(href)
            if document is not None:
                return ("document", document)
            image = self.resolver.image_for_url(href)
            if image is not None:
                return ("url", image.file.url)
            self.report("media", f"Link to an upload that is not in the media library: {href}")
            return ("url", href)
        page = self.resolver.page_for_url(href)
        if page is not None:
            return ("page", page)
        parsed = urlparse(href)
        if not parsed.scheme and not parsed.netloc:
            self.report("link", f"Internal link to something that was not imported: {href}")
        return ("url", href)

    # Blocks

    def add_heading(self, node: Tag):
        text = _text_of(node)
        if not text:
            return
        level = "h3" if node.name in ("h3", "h4", "h5", "h6") else "h2"
        self.add("heading", {"text": text[:200], "level": level})

    def add_quote(self, node: Tag):
        if "twitter-tweet" in (node.get("class") or []) or "wp-embedded-content" in (node.get("class") or []):
            link = node.find_all("a", href=True)
            if link and embed_host(link[-1]["href"]):
                self.add_embed(link[-1]["href"])
                return
        cite = node.find(["cite", "footer"])
        attribution = _text_of(cite) if cite else ""
        if cite:
            cite.extract()
        paragraphs = [_text_of(p) for p in node.find_all("p")] or [_text_of(node)]
        text = "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
        if text:
            self.add("quote", {"text": text, "attribution": attribution.lstrip("—–- ")[:200]})

    def image_value(self, image, alt: str, caption: str):
        # The alt text of the content, else the one of the media library (a description;
        # never the title, which is often a file name).
        alt = (alt or "").strip() or (getattr(image, "description", "") or "").strip()
        if not alt:
            self.report("image_alt", f"Image “{image.title}” has no alternative text; an editor should add one.")
        return {"image": {"image": image.pk, "alt_text": alt[:250], "decorative": False}, "caption": caption[:300]}

    def find_image(self, img: Tag | None, attachment_id=None):
        if attachment_id is None and img is not None:
            match = re.search(r"\bwp-image-(\d+)\b", " ".join(img.get("class") or []))
            attachment_id = match.group(1) if match else img.get("data-id")
        image = None
        if _to_int(attachment_id) is not None:
            image = self.resolver.image_for_attachment_id(_to_int(attachment_id))
        if image is None and img is not None and img.get("src"):
            image = self.resolver.image_for_url(img["src"])
        return image

    def add_image(self, img: Tag | None, caption: str = "", attachment_id=None):
        image = self.find_image(img, attachment_id)
        if image is None:
            where = (img.get("src") if img is not None else None) or f"attachment {attachment_id}"
            self.report("media", f"Image not found in the media library, dropped: {where}")
            return
        self.add("image", self.image_value(image, img.get("alt", "") if img is not None else "", caption))

    def add_image_value(self, image, alt: str, caption: str):
        self.add("image", self.image_value(image, alt, caption))

    def convert_captioned_image(self, content: str, caption: str = "", attachment_id=None, raw: str = ""):
        """``[caption]<a><img></a> Caption text[/caption]``."""
        soup = BeautifulSoup(content, "html.parser")
        img = soup.find("img")
        if img is not None:
            holder = img.find_parent("a") or img
            holder.extract()
        caption = caption or _text_of(soup)
        if img is None:
            self.report("shortcode", f"Caption without an image dropped: {_short(raw)}")
            return
        self.add_image(img, caption=caption, attachment_id=attachment_id)

    def add_gallery(self, items, caption: str = "", raw: str = ""):
        images = []
        for item in items:
            img = item.get("img")
            image = self.find_image(img, item.get("attachment_id"))
            if image is None:
                where = (img.get("src") if img is not None else None) or f"attachment {item.get('attachment_id')}"
                self.report("media", f"Gallery image not found in the media library, dropped: {where}")
                continue
            alt = img.get("alt", "") if img is not None else ""
            images.append(self.image_value(image, alt, item.get("caption", "")))
        if len(images) == 1 and not caption:
            self.add("image", images[0])
        elif images:
            self.add("gallery", {"caption": caption[:300], "images": images})

    def add_embed(self, url: str, title: str = "", raw: str = ""):
        url = url.strip()
        provider = embed_host(url)
        if not provider:
            page_target = self.resolve_link(url)
            text = title or url
            self.report("embed", f"Embedded address of an unknown service became a link: {url}")
            self.add_link_value(text, page_target)
            return
        if not title:
            kind = "Video" if provider in VIDEO_HOSTS else "Audio" if provider in AUDIO_HOSTS else "Beitrag"
            title = f"{kind} ({PROVIDER_NAMES.get(provider, provider)})"
            self.report("embed", f"Embedded media got the title “{title}”; an editor should describe it: {url}")
        self.add("embed", {"embed": url, "title": title[:200]})

    def add_media_file(self, url: str, kind: str, raw: str = ""):
        if embed_host(url):
            self.add_embed(url)
            return
        document = self.resolver.document_for_url(url)
        label = "Video" if kind == "video" else "Audio"
        if document is None:
            self.report("media", f"{label} file not found in the media library, dropped: {url}")
            return
        self.report("media", f"{label} “{document.title}” is offered as a download (the site has no media player).")
        self.add(
            "link",
            {
                "text": f"{label}: {document.title}"[:300],
                "page": None,
                "document": document.pk,
                "url": "",
                "description": "",
            },
        )

    def add_link(self, href: str, text: str):
        target = self.resolve_link(href)
        if not text and target[0] == "document":
            text = target[1].title
        self.add_link_value(text or href, target)

    def add_link_value(self, text: str, target):
        text = re.sub(r"\s+", " ", text or "").strip()
        if is_vague_link_text(text):
            self.report("vague_link", f"Link text “{text}” says nothing on its own; kept as a link in a paragraph.")
            anchor = self._anchor_for(target, html.escape(text, quote=False))
            self.add_paragraph(f"<p>{anchor}</p>")
            return
        value = {"text": text[:300], "page": None, "document": None, "url": "", "description": ""}
        if target[0] == "page":
            value["page"] = target[1].pk
        elif target[0] == "document":
            value["document"] = target[1].pk
        elif re.match(r"https?://", target[1]):
            value["url"] = target[1]
        else:
            anchor = self._anchor_for(target, html.escape(text, quote=False))
            self.add_paragraph(f"<p>{anchor}</p>")
            return
        self.add("link", value)

    def _anchor_for(self, target, inner):
        if target[0] == "page":
            return f'<a linktype="page" id="{target[1].pk}">{inner}</a>'
        if target[0] == "document":
            return f'<a linktype="document" id="{target[1].pk}">{inner}</a>'
        return f'<a href="{html.escape(target[1])}">{inner}</a>'

    def add_form(self, identifier: str, title: str | None = None, post_id=None, raw: str = ""):
        """A Contact Form 7 form, resolved as CF7 does: hash prefix, then post ID, then title."""
        identifier = (identifier or "").strip()
        form = None
        if identifier and re.fullmatch(r"[0-9a-f]{7,}", identifier) and not identifier.isdigit():
            form = self.resolver.form_for_cf7(hash_prefix=identifier)
        post_id = _to_int(post_id) or _to_int(identifier)
        if form is None and post_id:
            form = self.resolver.form_for_cf7(post_id=post_id)
        if form is None and title:
            form = self.resolver.form_for_cf7(title=title)
        if form is None:
            self.report("form", f"Contact form not found, dropped: {_short(raw) or (title or identifier)}")
            return
        self.add("form", {"form_page": form.pk, "display": "embed"})

    def add_table(self, table: Tag, caption: str = ""):
        caption_node = table.find("caption")
        if caption_node is not None:
            caption = caption or _text_of(caption_node)
        rows = [row for row in table.find_all("tr") if row.find_parent("table") is table]
        if not rows:
            return
        headings = []
        head = table.find("thead")
        body_rows = rows
        if head is not None and head.find("tr"):
            headings = [_text_of(cell) for cell in head.find("tr").find_all(["th", "td"])]
            body_rows = [row for row in rows if row.find_parent("thead") is None]
        elif all(cell.name == "th" for cell in rows[0].find_all(["th", "td"])):
            headings = [_text_of(cell) for cell in rows[0].find_all(["th", "td"])]
            body_rows = rows[1:]
        cells = [[self._table_cell(cell) for cell in row.find_all(["th", "td"])] for row in body_rows]
        if any(cell.get("colspan") or cell.get("rowspan") for cell in table.find_all(["th", "td"])):
            self.report("table", "A table with merged cells was flattened; check its layout.")
        width = max([len(headings)] + [len(row) for row in cells])
        headings += [""] * (width - len(headings))
        cells = [row + [("text", "")] * (width - len(row)) for row in cells]
        first_column_is_header = bool(body_rows) and all(
            (row.find(["th", "td"]) is not None and row.find(["th", "td"]).name == "th") for row in body_rows
        )
        columns = []
        for index in range(width):
            rich = any(row[index][0] == "rich_text" for row in cells)
            columns.append({"type": "rich_text" if rich else "text", "heading": headings[index][:255]})
        values = [
            {
                "values": [
                    (value if kind == "rich_text" else f"<p>{html.escape(value, quote=False)}</p>" if value else "")
                    if columns[index]["type"] == "rich_text"
                    else value
                    for index, (kind, value) in enumerate(row)
                ]
            }
            for row in cells
        ]
        if not any(headings):
            self.report("table", "A table without column headings was imported; an editor should add them.")
        self.add(
            "table",
            {
                "table": {"columns": columns, "rows": values, "caption": caption[:255]},
                "first_column_is_header": first_column_is_header,
            },
        )

    def _table_cell(self, cell: Tag):
        if cell.find(["a", "strong", "b", "em", "i", "br", "ul", "ol"]):
            rich = self.rich_text_of(list(cell.contents), autop=False)
            return ("rich_text", rich)
        return ("text", _text_of(cell))


# Helpers


def block_comments(text: str):
    """Yields ``(start, end, name, attrs, kind)`` of each block comment; kind is open, close or void."""
    ends = [match.start() for match in re.finditer("-->", text)]
    pos = 0
    while True:
        match = _BLOCK_START_RE.search(text, pos)
        if not match:
            return
        index = bisect.bisect_left(ends, match.end())
        if index == len(ends):
            return
        end = ends[index]
        rest = _BLOCK_REST_RE.fullmatch(text, match.end(), end)
        if rest is None:
            pos = match.end()
            continue
        kind = "close" if match["close"] else "void" if rest["void"] else "open"
        yield match.start(), end + 3, match["name"], _json_attrs(rest["attrs"]), kind
        pos = end + 3


def parse_blocks(text: str):
    """Top-level block-editor blocks: ``("block", name, attrs, inner)`` and ``("html", None, {}, text)``.

    Blocks nest; only the outermost level is returned (inner markup keeps its comments).
    A closing comment without its opening one is dropped.
    """
    result = []
    pos = 0
    stack = []  # (name, attrs, inner_start)
    for start, end, name, attrs, kind in block_comments(text):
        if not stack and start > pos:
            result.append(("html", None, {}, text[pos:start]))
        if kind == "close":
            if stack and stack[-1][0] == name:
                opened_name, opened_attrs, inner_start = stack.pop()
                if not stack:
                    result.append(("block", opened_name, opened_attrs, text[inner_start:start]))
            if not stack:
                pos = end
            continue
        if kind == "void":
            if not stack:
                result.append(("block", name, attrs, ""))
                pos = end
            continue
        if not stack:
            pos = end
        stack.append((name, attrs, end))
    if stack:
        # An unclosed block: everything after its opening comment belongs to it.
        name, attrs, inner_start = stack[0]
        result.append(("block", name, attrs, text[inner_start:]))
    elif pos < len(text):
        result.append(("html", None, {}, text[pos:]))
    return result


def _to_int(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _json_attrs(raw):
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _strip_block_comments(text: str) -> str:
    pieces, pos = [], 0
    for start, end, _name, _attrs, _kind in block_comments(text):
        pieces.append(text[pos:start])
        pos = end
    pieces.append(text[pos:])
    return "\n".join(pieces)


_SPACED_TAGS = {"br", "p", "div", "li", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "cite"}


def _text_of(node) -> str:
    """The text of an element as a reader sees it: words of adjacent elements stay together."""
    if node is None:
        return ""
    parts = []
    for element in node.descendants:
        if isinstance(element, Comment):
            continue
        if isinstance(element, NavigableString):
            parts.append(str(element))
        elif isinstance(element, Tag) and element.name in _SPACED_TAGS:
            parts.append(" ")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _first_url(text: str) -> str:
    match = re.search(r"https?://\S+", text or "")
    return match.group(0) if match else ""


def _embed_page_url(src: str) -> str:
    """The watch page of an embedded player address (what oEmbed providers understand)."""
    src = src.strip()
    if src.startswith("//"):
        src = "https:" + src
    match = re.match(r"https?://(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]{6,})", src)
    if match:
        return f"https://www.youtube.com/watch?v={match.group(1)}"
    match = re.match(r"https?://player\.vimeo\.com/video/(\d+)", src)
    if match:
        return f"https://vimeo.com/{match.group(1)}"
    return src


def _tidy_breaks(out: str) -> str:
    out = out.replace("\xa0", " ")
    out = re.sub(r"(?:\s*<br/>\s*){3,}", "<br/><br/>", out)
    out = re.sub(r"^(?:\s|<br/>)+|(?:\s|<br/>)+$", "", out)
    out = re.sub(r"<(b|i)>(\s*)</\1>", r"\2", out)
    return re.sub(r"[ \t]{2,}", " ", out)


def _short(text, limit=200):
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
