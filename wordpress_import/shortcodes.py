"""WordPress shortcodes: a tokenizer, and what each known shortcode becomes.

The tokenizer follows WordPress' own rules (``get_shortcode_regex`` and
``shortcode_parse_atts`` in ``wp-includes/shortcodes.php``): ``[name attr="v" attr='v'
attr=v "positional"]``, self-closing ``[name /]``, enclosing ``[name]…[/name]`` up to
the first closing tag of that name, and ``[[name]]`` as the escaped, literal text
``[name]``. WordPress only expands registered names; an export does not say which
plugins were active, so every bracketed word that looks like a shortcode is treated
as one — the known ones are converted, the others dropped and reported — while
bracketed prose such as ``[Anm. d. Red.]`` or ``[sic]`` stays text.

Conversion lives in :mod:`wordpress_import.content`, which calls :func:`convert` for
each shortcode it meets.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field

# Handled here; all other shortcodes are dropped and reported.
CONVERTED = {"caption", "wp_caption", "gallery", "embed", "video", "audio", "contact-form-7", "contact-form"}
# Bracketed words that are prose, not shortcodes.
PROSE_WORDS = {"sic", "ebd", "ff", "etc", "usw", "sinngemäß", "lacht", "applaus"}

# The start of an opening tag; its end is the next "]" (WordPress' attribute pattern
# takes anything but "]"), found by bisecting the positions of all "]" so that long
# texts full of brackets stay linear.
_OPEN_RE = re.compile(r"\[(?P<escape>\[?)(?P<name>[a-zA-Z][\w-]*)(?![\w-])")
_STRAY_CLOSING_RE = re.compile(r"\[/([a-zA-Z][\w-]*)\]")
_ATTR_RE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)"""
    r"""|'([^']*)'(?:\s|$)"""
    r"""|(\S+)(?:\s|$)"""
)


@dataclass
class Shortcode:
    name: str
    attrs: dict[str, str] = field(default_factory=dict)
    positional: list[str] = field(default_factory=list)
    content: str | None = None
    raw: str = ""

    @property
    def enclosing(self) -> bool:
        return self.content is not None


def parse_attributes(text: str) -> tuple[dict[str, str], list[str]]:
    """``shortcode_parse_atts``: named attributes (lower-cased keys) and positional values."""
    attrs, positional = {}, []
    text = re.sub(r"[\u00a0\u200b]", " ", text or "")
    # The visual editor sometimes stores the quotes as entities or typographic quotes.
    text = re.sub(r"[\u201c\u201d\u201e\u2033]", '"', html.unescape(text))
    for match in _ATTR_RE.finditer(text):
        if match.group(1):
            attrs[match.group(1).lower()] = match.group(2)
        elif match.group(3):
            attrs[match.group(3).lower()] = match.group(4)
        elif match.group(5):
            attrs[match.group(5).lower()] = match.group(6)
        elif match.group(7) is not None:
            positional.append(match.group(7))
        elif match.group(8) is not None:
            positional.append(match.group(8))
        elif match.group(9):
            positional.append(match.group(9))
    return attrs, positional


def _looks_like_shortcode(name, attrs_text, selfclose, closed):
    if name.lower() in CONVERTED or selfclose or closed:
        return True
    if "=" in attrs_text or '"' in attrs_text or "'" in attrs_text:
        return True
    if "_" in name or "-" in name:
        return True
    # A lone lower-case word without attributes: a shortcode unless it is prose.
    return not attrs_text.strip() and name.islower() and name.isascii() and name.lower() not in PROSE_WORDS


def tokenize(text: str) -> list[str | Shortcode]:
    """Splits text into literal strings and :class:`Shortcode` objects, in order."""
    tokens: list[str | Shortcode] = []
    pos = 0
    buffer = []
    # Where each closing tag stands, found once: looking it up per opening tag stays cheap
    # however many shortcodes a post has.
    closings: dict[str, list[int]] = {}
    for closing_match in _STRAY_CLOSING_RE.finditer(text):
        closings.setdefault(closing_match.group(1), []).append(closing_match.start())
    brackets = [index for index, char in enumerate(text) if char == "]"]
    while True:
        match = _OPEN_RE.search(text, pos)
        if not match:
            break
        next_bracket = bisect.bisect_left(brackets, match.end())
        if next_bracket == len(brackets):
            break  # no "]" after this point: no more shortcodes
        close = brackets[next_bracket]
        attrs_text = text[match.end() : close]
        selfclose = attrs_text.endswith("/")
        if selfclose:
            attrs_text = attrs_text[:-1]
        name = match["name"]
        after = close + 1
        content = None
        end = after
        if not selfclose:
            positions = closings.get(name, [])
            index = bisect.bisect_left(positions, after)
            closing = positions[index] if index < len(positions) else -1
            if closing != -1:
                content = text[after:closing]
                end = closing + len(name) + 3
        escaped = match["escape"] == "[" and text[end : end + 1] == "]"
        if escaped:
            buffer.append(text[pos : match.start()])
            buffer.append(text[match.start() + 1 : end])
            pos = end + 1
            continue
        if match["escape"] == "[":
            # "[[name]" without the closing "]]": the first "[" is text.
            buffer.append(text[pos : match.start() + 1])
            pos = match.start() + 1
            continue
        if not _looks_like_shortcode(name, attrs_text, selfclose, content is not None):
            buffer.append(text[pos:after])
            pos = after
            continue
        buffer.append(text[pos : match.start()])
        if "".join(buffer):
            tokens.append("".join(buffer))
        buffer = []
        attrs, positional = parse_attributes(attrs_text)
        tokens.append(
            Shortcode(
                name=name.lower(), attrs=attrs, positional=positional, content=content, raw=text[match.start() : end]
            )
        )
        pos = end
    buffer.append(text[pos:])
    if "".join(buffer):
        tokens.append("".join(buffer))
    return _split_stray_closings(tokens)


def _split_stray_closings(tokens):
    """A closing tag without its opening one (``[/su_box]``) is a shortcode fragment too."""
    result = []
    for token in tokens:
        if not isinstance(token, str):
            result.append(token)
            continue
        pos = 0
        for match in _STRAY_CLOSING_RE.finditer(token):
            if match.start() > pos:
                result.append(token[pos : match.start()])
            result.append(Shortcode(name="/" + match.group(1).lower(), raw=match.group(0)))
            pos = match.end()
        if pos < len(token):
            result.append(token[pos:])
    return result


# Conversion (called by content.Converter, ``ctx``)


def convert(shortcode: Shortcode, ctx) -> None:
    """Adds the blocks a shortcode stands for to ``ctx`` (a ``content.Converter``), or reports it."""
    if shortcode.name.startswith("/"):
        ctx.report("shortcode", f"Closing shortcode without its opening one dropped: {shortcode.raw}")
        return
    handler = _HANDLERS.get(shortcode.name)
    if handler is None:
        ctx.report("shortcode", f"Unknown shortcode dropped: {_short(shortcode.raw)}")
        if shortcode.content and shortcode.content.strip():
            ctx.convert_fragment(shortcode.content)
        return
    handler(shortcode, ctx)


def _short(text, limit=200):
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _int(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _caption(shortcode, ctx):
    content = shortcode.content or ""
    caption = shortcode.attrs.get("caption", "")
    attachment_id = _int(re.sub(r"^attachment_", "", shortcode.attrs.get("id", "")))
    ctx.convert_captioned_image(content, caption=caption, attachment_id=attachment_id, raw=shortcode.raw)


def _gallery(shortcode, ctx):
    ids = [_int(part) for part in re.split(r"[\s,]+", shortcode.attrs.get("ids", shortcode.attrs.get("include", "")))]
    ids = [attachment_id for attachment_id in ids if attachment_id]
    if not ids:
        ctx.report(
            "shortcode",
            f"Gallery without a list of images dropped (it showed the page's attachments): {_short(shortcode.raw)}",
        )
        return
    ctx.add_gallery([{"attachment_id": attachment_id} for attachment_id in ids], raw=shortcode.raw)


def _embed(shortcode, ctx):
    url = (shortcode.content or shortcode.attrs.get("src") or shortcode.attrs.get("url") or "").strip()
    if not url:
        ctx.report("shortcode", f"Embed without an address dropped: {_short(shortcode.raw)}")
        return
    ctx.add_embed(url, raw=shortcode.raw)


def _media(shortcode, ctx):
    kind = shortcode.name  # video or audio
    sources = [shortcode.attrs.get("src", "")]
    sources += [value for key, value in shortcode.attrs.items() if key in ("mp4", "m4v", "webm", "ogv", "wmv", "flv")]
    sources += [value for key, value in shortcode.attrs.items() if key in ("mp3", "ogg", "oga", "wav", "m4a", "wma")]
    sources += re.findall(r"""src=["']([^"']+)""", shortcode.content or "")
    url = next((source.strip() for source in sources if source and source.strip()), "")
    if not url:
        ctx.report("media", f"{kind.title()} without a file dropped: {_short(shortcode.raw)}")
        return
    ctx.add_media_file(url, kind=kind, raw=shortcode.raw)


def _contact_form_7(shortcode, ctx):
    identifier = shortcode.attrs.get("id", "").strip()
    title = shortcode.attrs.get("title") or None
    ctx.add_form(identifier=identifier, title=title, raw=shortcode.raw)


def _contact_form_legacy(shortcode, ctx):
    # [contact-form 3 "Kontakt"]: the post ID, then the title (Contact Form 7 before 2.0).
    identifier = shortcode.positional[0] if shortcode.positional else shortcode.attrs.get("id", "")
    title = shortcode.positional[1] if len(shortcode.positional) > 1 else shortcode.attrs.get("title")
    ctx.add_form(identifier=str(identifier).strip(), title=title or None, raw=shortcode.raw)


_HANDLERS = {
    "caption": _caption,
    "wp_caption": _caption,
    "gallery": _gallery,
    "embed": _embed,
    "video": _media,
    "audio": _media,
    "contact-form-7": _contact_form_7,
    "contact-form": _contact_form_legacy,
}
