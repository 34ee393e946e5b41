"""A streaming, safe reader of WordPress eXtended RSS exports (WXR 1.0, 1.1, 1.2).

WordPress' Tools → Export writes one ``<rss>`` document: the channel (site address,
authors, categories, tags, Polylang terms) and one ``<item>`` per post, page,
attachment, form or menu entry. Exports of large sites reach hundreds of megabytes,
so nothing here holds the whole file:

- :func:`scan` reads the file once, in chunks, with expat, and returns a
  :class:`WXRIndex`: the channel and, per item, its small fields and the byte range
  where it sits in the file — but not its content, which can be large.
- :meth:`WXRIndex.load` reads one item's full text (content, excerpt, metadata)
  again from its byte range, so the importer can visit items in any order while the
  memory stays flat.

Safety: the parser refuses any document type declaration, entity declaration and
external entity (XXE, "billion laughs") and never opens a network connection. Any
such file, and any file that is not well-formed XML, raises :class:`WXRError` naming
the problem and the line, before the importer has written anything.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote
from xml.parsers import expat

CHUNK_SIZE = 1024 * 1024
SUPPORTED_VERSIONS = {"1.0", "1.1", "1.2"}


class WXRError(Exception):
    """The file cannot be read as a WordPress export; ``line`` says where (1-based)."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self):
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class Term:
    taxonomy: str
    slug: str
    name: str
    term_id: int | None = None
    parent: str = ""
    description: str = ""


@dataclass
class Item:
    """One ``<item>``. From :func:`scan` without ``content``/``excerpt``; from :meth:`WXRIndex.load` complete."""

    post_id: int = 0
    post_type: str = ""
    status: str = ""
    title: str = ""
    slug: str = ""
    link: str = ""
    guid: str = ""
    parent: int = 0
    menu_order: int = 0
    date: str = ""
    date_gmt: str = ""
    creator: str = ""
    password: str = ""
    attachment_url: str = ""
    content: str = ""
    excerpt: str = ""
    categories: list[tuple[str, str, str]] = field(default_factory=list)  # (domain, nicename, name)
    meta: dict[str, str] = field(default_factory=dict)
    comments: int = 0
    line: int = 0
    start: int = 0
    end: int = 0

    def terms(self, domain):
        return [(nicename, name) for item_domain, nicename, name in self.categories if item_domain == domain]

    @property
    def language(self):
        """Polylang's language of the item (``de``, ``en``), or ``""``."""
        terms = self.terms("language")
        return terms[0][0] if terms else ""

    @property
    def translation_group(self):
        """Polylang's ``post_translations`` term shared by an item and its translations, or ``""``."""
        terms = self.terms("post_translations")
        return terms[0][0] if terms else ""

    @property
    def decoded_slug(self):
        return unquote(self.slug)


@dataclass
class WXRIndex:
    path: Path
    version: str = ""
    title: str = ""
    link: str = ""
    language: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    encoding: str = "utf-8"
    authors: dict[str, str] = field(default_factory=dict)  # login → display name
    terms: list[Term] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    size: int = 0

    @property
    def source(self):
        """The old site's address: identifies it when items are remembered."""
        return (self.base_blog_url or self.base_site_url or self.link).rstrip("/")

    def by_id(self):
        return {item.post_id: item for item in self.items}

    def load(self, item: Item) -> Item:
        """The complete item (content, excerpt, metadata), read again from its place in the file."""
        with open(self.path, "rb") as handle:
            handle.seek(item.start)
            data = handle.read(item.end - item.start)
        declaration = f'<?xml version="1.0" encoding="{self.encoding}"?>'.encode("ascii")
        reader = _Reader(keep_bodies=True, fragment=True)
        try:
            reader.feed(declaration + data + b"</item>", final=True)
        except WXRError as error:
            raise WXRError(error.message, (error.line or 1) + item.line - 1) from None
        full = reader.items[0]
        full.line, full.start, full.end = item.line, item.start, item.end
        return full


def scan(path, progress=None) -> WXRIndex:
    """Reads the whole export once, safely; returns the channel and every item without its content.

    ``progress(bytes_read, total)`` is called after every chunk.
    """
    path = Path(path)
    try:
        total = path.stat().st_size
        handle = open(path, "rb")  # noqa: SIM115
    except OSError as error:
        raise WXRError(f"cannot open {path}: {error.strerror}") from None
    reader = _Reader(keep_bodies=False, fragment=False)
    reader.index.path = path
    reader.index.size = total
    with handle:
        done = 0
        while chunk := handle.read(CHUNK_SIZE):
            reader.feed(chunk, final=False)
            done += len(chunk)
            if progress:
                progress(done, total)
        reader.feed(b"", final=True)
    index = reader.index
    if not reader.saw_rss:
        raise WXRError("this is not a WordPress export: the document is not an <rss> feed", 1)
    if not index.version:
        raise WXRError("this is not a WordPress export (WXR): <wp:wxr_version> is missing", 1)
    if index.version not in SUPPORTED_VERSIONS:
        raise WXRError(f"WXR version {index.version} is not supported (1.0, 1.1 and 1.2 are)", 1)
    index.items = reader.items
    return index


def _text(value):
    return html.unescape(value.strip()) if value else ""


def _int(value):
    try:
        return int(value.strip())
    except (AttributeError, ValueError):
        return 0


ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "guid": "guid",
    "dc:creator": "creator",
    "content:encoded": "content",
    "excerpt:encoded": "excerpt",
    "wp:post_id": "post_id",
    "wp:post_date": "date",
    "wp:post_date_gmt": "date_gmt",
    "wp:post_name": "slug",
    "wp:status": "status",
    "wp:post_parent": "parent",
    "wp:menu_order": "menu_order",
    "wp:post_type": "post_type",
    "wp:post_password": "password",
    "wp:attachment_url": "attachment_url",
}
INT_FIELDS = {"post_id", "parent", "menu_order"}
RAW_FIELDS = {"content", "excerpt"}  # HTML: kept as written, converted later
BODY_FIELDS = {"content:encoded", "excerpt:encoded"}
# Metadata the scan keeps (small, needed before an item is loaded).
SCAN_META = {"_hash", "_wp_attached_file", "_wp_attachment_image_alt", "_locale"}
CHANNEL_FIELDS = {
    "title": "title",
    "link": "link",
    "language": "language",
    "wp:wxr_version": "version",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
}


class _Reader:
    """expat handlers building the index (or, for one item, the full item)."""

    def __init__(self, keep_bodies, fragment):
        self.keep_bodies = keep_bodies
        self.fragment = fragment
        self.index = WXRIndex(path=Path())
        self.items = []
        self.saw_rss = False
        self.stack = []
        self.text = []
        self.item = None
        self.item_depth = None
        self.block = None  # {"kind": "author"|"term"|"meta"|"comment", ...}
        self.category_attrs = None
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.XmlDeclHandler = self._xml_declaration
        parser.StartDoctypeDeclHandler = self._refuse_doctype
        parser.EntityDeclHandler = self._refuse_entity
        parser.UnparsedEntityDeclHandler = self._refuse_entity
        parser.NotationDeclHandler = self._refuse_notation
        parser.ExternalEntityRefHandler = self._refuse_external
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._characters
        self.parser = parser

    def feed(self, data, final):
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError as error:
            raise WXRError(
                f"the file is not well-formed XML ({expat.ErrorString(error.code)}, column {error.offset + 1})",
                error.lineno,
            ) from None

    # Refusals

    def _line(self):
        return self.parser.CurrentLineNumber

    def _xml_declaration(self, version, encoding, standalone):
        if encoding:
            self.index.encoding = encoding

    def _refuse_doctype(self, name, system_id, public_id, has_internal_subset):
        raise WXRError(
            "the file declares a document type (<!DOCTYPE>); WordPress exports have none, and a DTD can "
            "define entities that read local files or expand without end, so the file is refused",
            self._line(),
        )

    def _refuse_entity(self, name, *args):
        raise WXRError(f"the file declares the entity '{name}'; entity declarations are refused", self._line())

    def _refuse_notation(self, name, *args):
        raise WXRError(f"the file declares the notation '{name}'; it is refused", self._line())

    def _refuse_external(self, context, base, system_id, public_id):
        raise WXRError(f"the file refers to the external entity '{system_id}'; it is refused", self._line())

    # Elements

    def _start(self, name, attrs):
        self.stack.append(name)
        self.text = []
        depth = len(self.stack)
        if depth == 1:
            if self.fragment:
                if name != "item":
                    raise WXRError("expected an <item>", self._line())
            elif name != "rss":
                raise WXRError(f"this is not a WordPress export: the document starts with <{name}>, not <rss>", 1)
            else:
                self.saw_rss = True
        if name == "item" and self.item is None and (self.fragment or depth == 3):
            self.item = Item(line=self._line(), start=self.parser.CurrentByteIndex)
            self.item_depth = depth
            return
        if self.item is not None:
            relative = depth - self.item_depth
            if relative == 1 and name == "category":
                self.category_attrs = (attrs.get("domain", ""), attrs.get("nicename", ""))
            elif relative == 1 and name == "wp:postmeta":
                self.block = {"kind": "meta"}
            elif relative == 1 and name == "wp:comment":
                self.item.comments += 1
                self.block = {"kind": "comment"}
            return
        if depth == 3 and name == "wp:author":
            self.block = {"kind": "author"}
        elif depth == 3 and name in ("wp:category", "wp:tag", "wp:term"):
            self.block = {"kind": "term", "element": name}

    def _characters(self, data):
        if self.item is not None and not self.keep_bodies and self.stack[-1] in BODY_FIELDS:
            return
        if self.block is not None and self.block["kind"] == "comment":
            return
        self.text.append(data)

    def _end(self, name):
        depth = len(self.stack)
        text = "".join(self.text)
        self.text = []
        self.stack.pop()
        if self.item is not None:
            relative = depth - self.item_depth
            if relative == 0:
                self.item.end = self.parser.CurrentByteIndex
                self.items.append(self.item)
                self.item = None
            elif relative == 1:
                self._end_item_field(name, text)
            elif relative == 2 and self.block and self.block["kind"] == "meta":
                self.block[name] = text
            return
        if depth == 3 and self.block is not None:
            self._end_channel_block()
            self.block = None
        elif depth == 4 and self.block is not None:
            self.block[name] = text
        elif depth == 3 and self.stack[-2:] == ["rss", "channel"] and name in CHANNEL_FIELDS:
            setattr(self.index, CHANNEL_FIELDS[name], text.strip())

    def _end_item_field(self, name, text):
        item = self.item
        if name == "category":
            domain, nicename = self.category_attrs or ("", "")
            item.categories.append((domain, nicename, _text(text)))
            self.category_attrs = None
        elif name == "wp:postmeta":
            key = (self.block or {}).get("wp:meta_key", "").strip()
            if key and (self.keep_bodies or key in SCAN_META):
                item.meta[key] = (self.block or {}).get("wp:meta_value", "")
            self.block = None
        elif name == "wp:comment":
            self.block = None
        elif name in ITEM_FIELDS:
            attr = ITEM_FIELDS[name]
            if attr in INT_FIELDS:
                setattr(item, attr, _int(text))
            elif attr in RAW_FIELDS:
                setattr(item, attr, text)
            else:
                setattr(item, attr, _text(text) if attr == "title" else text.strip())

    def _end_channel_block(self):
        block = self.block
        if block["kind"] == "author":
            login = block.get("wp:author_login", "").strip()
            if login:
                self.index.authors[login] = _text(block.get("wp:author_display_name", "")) or login
            return
        element = block["element"]
        if element == "wp:category":
            term = Term(
                "category",
                block.get("wp:category_nicename", "").strip(),
                _text(block.get("wp:cat_name", "")),
                _int(block.get("wp:term_id", "")) or None,
                block.get("wp:category_parent", "").strip(),
                _text(block.get("wp:category_description", "")),
            )
        elif element == "wp:tag":
            term = Term(
                "post_tag",
                block.get("wp:tag_slug", "").strip(),
                _text(block.get("wp:tag_name", "")),
                _int(block.get("wp:term_id", "")) or None,
            )
        else:
            term = Term(
                block.get("wp:term_taxonomy", "").strip(),
                block.get("wp:term_slug", "").strip(),
                _text(block.get("wp:term_name", "")),
                _int(block.get("wp:term_id", "")) or None,
                block.get("wp:term_parent", "").strip(),
                block.get("wp:term_description", ""),
            )
        if term.slug:
            self.index.terms.append(term)
