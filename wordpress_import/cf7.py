"""Contact Form 7 forms → the fields and settings of a ``forms.FormPage``.

The grammar follows Contact Form 7's form-tags (documented at
contactform7.com/tag-syntax and implemented in its ``form-tags-manager.php``)::

    [type* name option key:value "value" "label|value"]
    [textarea name]default text[/textarea]
    [[text not-a-tag]]             ← escaped: the text "[text not-a-tag]"

Labels come from the HTML around each tag: the ``<label>`` that holds it, else the
text before it in the same paragraph or line (``Ihr Name<br>[text* your-name]``),
else the text after it on the same line. Every tag keeps its CF7 name as the field's
``clean_name``, so submissions keep their familiar column names.

What the forms app cannot do (file uploads, quizzes, mail templates, mail-tags in
subjects, number ranges …) is listed as :class:`~wordpress_import.interfaces.Issue`.
"""

from __future__ import annotations

import bisect
import html
import re

from .interfaces import ContactFormSource, FormSpec, FormTag, Issue, PHPUnserializeError
from .php import unserialize_php

# Contact Form 7's own tag types and those of common add-ons (which the forms app
# cannot rebuild but which must not leak to visitors as text).
KNOWN_TYPES = {
    "text",
    "email",
    "url",
    "tel",
    "textarea",
    "number",
    "range",
    "date",
    "select",
    "checkbox",
    "radio",
    "acceptance",
    "file",
    "quiz",
    "hidden",
    "submit",
    "captchac",
    "captchar",
    "response",
    "count",
    "recaptcha",
    "honeypot",
    "stripe",
    "dynamictext",
    "dynamichidden",
    "multistep",
    "conditional",
    "group",
}
NAMELESS_TYPES = {"submit", "response", "recaptcha", "stripe"}
# An acceptance box about data protection is the form's own privacy consent.
PRIVACY_CONSENT_RE = re.compile(
    r"datenschutz|daten|dsgvo|privacy|personal data|gdpr|speicher|verarbeit|data protection", re.IGNORECASE
)

# (\[?)\[type(?:\s+attributes)?(?:\s+/)?\](?:content[/type])?(\]?) — as CF7 scans, but for
# any word-like type: unknown types are reported instead of leaking as text. The tag
# ends at the next "]" (found by bisecting, so broken templates stay linear).
_TAG_START_RE = re.compile(r"(?P<open>\[?)\[(?P<type>[a-zA-Z][a-zA-Z0-9_-]*\*?)(?=[\s\u00a0\u200b\]])")
_TAG_INNER_RE = re.compile(r"(?:[\s\u00a0\u200b]+(?P<attr>.*?))?(?:[\s\u00a0\u200b]+(?P<slash>/))?", re.DOTALL)


class _TagMatch:
    """What CF7's tag regex would have matched: the groups ``_build_tag`` reads."""

    def __init__(self, text, start, end, groups):
        self.text, self._start, self._end, self.groups = text, start, end, groups

    def __getitem__(self, name):
        return self.groups.get(name)

    def start(self):
        return self._start

    def end(self):
        return self._end

    def group(self, _index=0):
        return self.text[self._start : self._end]


def _tag_matches(text):
    brackets = [index for index, char in enumerate(text) if char == "]"]
    pos = 0
    while True:
        match = _TAG_START_RE.search(text, pos)
        if not match:
            return
        index = bisect.bisect_left(brackets, match.end())
        if index == len(brackets):
            return
        close = brackets[index]
        inner = _TAG_INNER_RE.fullmatch(text, match.end(), close)
        if inner is None:
            pos = match.start() + 1
            continue
        end = close + 1
        content = None
        type_ = match["type"]
        if not inner["slash"]:
            next_open = text.find("[", end)
            closing = f"[/{type_}]"
            if next_open != -1 and text.startswith(closing, next_open):
                content = text[end:next_open]
                end = next_open + len(closing)
        trailing = "]" if text.startswith("]", end) else ""
        end += len(trailing)
        groups = {
            "open": match["open"],
            "type": type_,
            "attr": inner["attr"],
            "slash": inner["slash"],
            "content": content,
            "close": trailing,
        }
        yield _TagMatch(text, match.start(), end, groups)
        pos = end


_ATTR_RE = re.compile(
    r"^(?P<options>[-+*=0-9a-zA-Z:.!?#$&@_/|%\s]*?)(?P<values>(?:\s*\"[^\"]*\"|\s*'[^']*')*)$",
    re.DOTALL,
)
_VALUE_RE = re.compile(r"\"([^\"]*)\"|'([^']*)'")
_NAME_RE = re.compile(r"^[A-Za-z][-A-Za-z0-9_:.]*$")

# Mail-tags such as [your-name] or [_site_title] in mail settings.
MAIL_TAG_RE = re.compile(r"\[\s*([a-zA-Z_][-a-zA-Z0-9_:.]*)\s*\]")
EMAIL_RE = re.compile(r"[^\s<>@,;\"]+@[^\s<>@,;\"]+\.[^\s<>@,;\"]+")

AUTOCOMPLETE_BY_TYPE = {"email": "email", "tel": "tel"}

# Markers authors put into labels; the forms app marks required fields itself.
_LABEL_MARKERS_RE = re.compile(
    r"\s*(?:\*|\((?:required|pflichtfeld|pflicht|erforderlich|optional|freiwillig)\))\s*$", re.IGNORECASE
)
_BLOCK_BOUNDARY_RE = re.compile(
    r"\n[ \t]*\n|</?(?:p|div|li|ul|ol|tr|td|th|table|fieldset|h[1-6]|section)\b[^>]*>|</label\s*>",
    re.IGNORECASE,
)
_LINE_BREAK_RE = re.compile(r"<br\s*/?>|\n", re.IGNORECASE)
_HTML_TAG_RE = re.compile(r"<[^>]*>")
_LABEL_OPEN_RE = re.compile(r"<label\b[^>]*>", re.IGNORECASE)
_LABEL_CLOSE_RE = re.compile(r"</label\s*>", re.IGNORECASE)
# <label for="…">Text</label><br>[tag]: a label element just before the tag.
_LABEL_BEFORE_RE = re.compile(
    r"<label\b[^>]*>(?P<text>(?:(?!</?label\b).)*?)</label\s*>(?:\s|<br\s*/?>)*$", re.IGNORECASE | re.DOTALL
)

DEFAULT_ADDITIONAL_SETTING_NOTES = {
    "do_not_store": "The forms app always stores submissions (it needs them to resend failed e-mails); "
    "they are deleted after the form's retention period.",
    "demo_mode": "Demo mode (no e-mail is sent) has no equivalent; the form sends e-mails.",
    "skip_mail": "“skip_mail” has no equivalent; the form sends its e-mails. Clear the recipient "
    "to send to the site's contact address instead.",
    "subscribers_only": "“subscribers_only” has no equivalent; the form is open to every visitor.",
    "on_sent_ok": "JavaScript from “on_sent_ok” is never imported.",
    "on_submit": "JavaScript from “on_submit” is never imported.",
}


# Parsing


def parse_form_template(text: str) -> list[FormTag]:
    """All form-tags of a CF7 ``_form`` template, in order; escaped ``[[…]]`` are skipped."""
    return [tag for tag, _escaped in _scan(text or "") if tag is not None]


def _scan(text):
    """Yields ``(FormTag | None, match)``: ``None`` for escaped tags and invalid ones."""
    for match in _tag_matches(text):
        if match["open"] == "[" and match["close"] == "]":
            yield None, match
            continue
        yield _build_tag(match), match


def _build_tag(match) -> FormTag | None:
    type_ = match["type"]
    basetype = type_.rstrip("*")
    raw = match.group(0)
    # An unmatched "[" or "]" around the tag is text, not part of it.
    start = match.start() + len(match["open"])
    end = match.end() - len(match["close"])
    raw = text_slice = raw[len(match["open"]) : len(raw) - len(match["close"]) or None]
    attr = re.sub(r"[\u00a0\u200b]+", " ", match["attr"] or "").strip()
    parsed = _ATTR_RE.match(attr)
    options, values = [], []
    if parsed:
        options = parsed["options"].split()
        values = [m.group(1) if m.group(1) is not None else m.group(2) for m in _VALUE_RE.finditer(parsed["values"])]
    elif basetype in KNOWN_TYPES:
        return FormTag(
            type=type_, basetype=basetype, name="", raw=text_slice, start=start, end=end, options=["!invalid"]
        )
    name = ""
    if basetype not in NAMELESS_TYPES and options:
        candidate = options.pop(0)
        if _NAME_RE.match(candidate):
            name = candidate.replace(".", "_")
        else:
            options.insert(0, candidate)
    labels = [value.split("|", 1)[0].strip() for value in values]
    return FormTag(
        type=type_,
        basetype=basetype,
        name=name,
        options=options,
        values=[value.strip() for value in values],
        labels=labels,
        content=_clean_content(match["content"] or ""),
        raw=raw,
        start=start,
        end=end,
    )


def _clean_content(content):
    content = content.strip()
    return re.sub(r"<br[\r\n\t ]*/?>$", "", content, flags=re.MULTILINE)


def option_value(tag: FormTag, name: str) -> str | None:
    """The value of ``name:value`` (case-insensitive name), or ``None``."""
    prefix = name.lower() + ":"
    for option in tag.options:
        if option.lower().startswith(prefix):
            return option[len(prefix) :]
    return None


def has_option(tag: FormTag, name: str) -> bool:
    return any(option.lower() == name or option.lower().startswith(name + ":") for option in tag.options)


# Labels


_INLINE_TAG_RE = re.compile(r"</?(?:a|b|strong|em|i|span|u|small|abbr|sup|sub|code|mark|q)\b[^>]*>", re.IGNORECASE)


def _html_to_text(fragment: str) -> str:
    text = _INLINE_TAG_RE.sub("", fragment)
    text = _HTML_TAG_RE.sub(" ", text)
    text = html.unescape(text)
    return re.sub(r"\s+", " ", text).strip()


def _tidy_label(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _LABEL_MARKERS_RE.sub("", text).strip()
    return text.rstrip(":").strip()


class _LabelElements:
    """Positions of every ``<label>`` and ``</label>`` of a template, looked up by bisecting."""

    def __init__(self, template):
        self.template = template
        self.opens = [(match.start(), match.end()) for match in _LABEL_OPEN_RE.finditer(template)]
        self.closes = [(match.start(), match.end()) for match in _LABEL_CLOSE_RE.finditer(template)]

    @staticmethod
    def _first_from(elements, position):
        index = bisect.bisect_left(elements, (position, -1))
        return elements[index] if index < len(elements) else None

    def around(self, tag):
        """``(start, end, inner text)`` of the ``<label>`` around the tag, if any."""
        index = bisect.bisect_left(self.opens, (tag.start, -1)) - 1
        if index < 0:
            return None
        opening = self.opens[index]
        close_after_opening = self._first_from(self.closes, opening[1])
        if close_after_opening and close_after_opening[0] < tag.start:
            return None
        closing = self._first_from(self.closes, tag.end)
        if not closing:
            return None
        open_after_tag = self._first_from(self.opens, tag.end)
        if open_after_tag and open_after_tag[0] < closing[0]:
            return None
        return opening[0], closing[1], self.template[opening[1] : closing[0]]


def _segment_before(template, tag, floor):
    """The text between the last boundary (paragraph, block element, previous tag) and the tag."""
    start = floor
    for boundary in _BLOCK_BOUNDARY_RE.finditer(template, floor, tag.start):
        start = boundary.end()
    return start, template[start : tag.start]


def _segment_after(template, tag, ceiling):
    end = ceiling
    for pattern in (_BLOCK_BOUNDARY_RE, _LINE_BREAK_RE):
        found = pattern.search(template, tag.end, ceiling)
        if found:
            end = min(end, found.start())
    return end, template[tag.end : end]


def _find_labels(template: str, tags: list[FormTag]):
    """Returns ``{index of tag: label}`` and the consumed character ranges."""
    labels, consumed = {}, []
    all_spans = [(tag.start, tag.end) for tag in tags]
    label_elements = _LabelElements(template)
    for index, tag in enumerate(tags):
        consumed.append((tag.start, tag.end))
        label = ""
        enclosing = label_elements.around(tag)
        if enclosing:
            start, end, inner = enclosing
            inner_text = inner
            for other in tags:
                if start <= other.start and other.end <= end:
                    inner_text = inner_text.replace(other.raw, " ")
            label = _tidy_label(_html_to_text(inner_text))
            consumed.append((start, end))
        floor = all_spans[index - 1][1] if index else 0
        if not label:
            label_for = _LABEL_BEFORE_RE.search(template[floor : tag.start])
            if label_for:
                label = _tidy_label(_html_to_text(label_for["text"]))
                consumed.append((floor + label_for.start(), tag.start))
        if not label:
            start, segment = _segment_before(template, tag, floor)
            lines = [line for line in _LINE_BREAK_RE.split(segment) if _html_to_text(line)]
            if lines:
                label = _tidy_label(_html_to_text(lines[-1]))
                last_start = segment.rfind(lines[-1])
                consumed.append((start + last_start, tag.start))
        if not label and tag.basetype not in ("submit", "hidden"):
            ceiling = all_spans[index + 1][0] if index + 1 < len(tags) else len(template)
            end, segment = _segment_after(template, tag, ceiling)
            if _html_to_text(segment):
                label = _tidy_label(_html_to_text(segment))
                consumed.append((tag.end, end))
        labels[index] = label
    return labels, consumed


def _leftover_text(template, consumed):
    """``(offset, text)`` of the template's text that is neither a tag nor a label."""
    consumed = sorted(consumed)
    pieces, pos = [], 0
    for start, end in consumed:
        if start > pos:
            pieces.append((pos, template[pos:start]))
        pos = max(pos, end)
    pieces.append((pos, template[pos:]))
    texts = []
    for offset, piece in pieces:
        part_start = 0
        for boundary in [*_BLOCK_BOUNDARY_RE.finditer(piece), None]:
            part_end = boundary.start() if boundary else len(piece)
            text = _html_to_text(piece[part_start:part_end])
            if re.search(r"\w{2,}", text):
                texts.append((offset + part_start, text))
            part_start = boundary.end() if boundary else part_end
    return texts


def humanise_name(name: str) -> str:
    words = re.sub(r"^your[-_]", "", name)
    words = re.sub(r"[-_:]+", " ", words).strip()
    return words[:1].upper() + words[1:]


# Converting


def convert_contact_form(source: ContactFormSource) -> FormSpec:
    spec = FormSpec(page_fields={"title": source.title})
    template = source.form or ""
    scanned = list(_scan(template))
    tags = [tag for tag, _match in scanned if tag is not None]
    labels, consumed = _find_labels(template, tags)
    for _tag, match in scanned:
        if _tag is None:
            consumed.append((match.start(), match.end()))
    seen_names = set()
    for index, tag in enumerate(tags):
        field = _convert_tag(tag, labels[index], spec)
        if field is None:
            continue
        if field["clean_name"] in seen_names:
            spec.issues.append(
                Issue("cf7_tag", f"The name “{tag.name}” is used twice; kept the first. Dropped: {tag.raw}")
            )
            continue
        seen_names.add(field["clean_name"])
        spec.fields.append(field)
    first_tag = tags[0].start if tags else len(template)
    intro = []
    for offset, text in _leftover_text(template, consumed):
        if offset < first_tag:
            intro.append(text)  # words above the first field introduce the form
        else:
            spec.issues.append(Issue("cf7_text", f"Text in the form not carried over: “{text}”"))
    if intro:
        spec.page_fields["intro"] = "".join(f"<p>{html.escape(text, quote=False)}</p>" for text in intro)
    _convert_mail(source, spec)
    _convert_messages(source, spec)
    _convert_additional_settings(source, spec)
    from forms.models import FormPage

    finish_page_fields(spec, FormPage)
    return spec


def _base_field(tag, label, field_type, spec=None):
    if not label and spec is not None:
        _report(
            spec, "cf7_label", tag, f"no label found in the form; named “{humanise_name(tag.name)}” after the field."
        )
    field = {
        "clean_name": tag.name,
        "label": (label or humanise_name(tag.name))[:255],
        "field_type": field_type,
        "required": tag.required,
        "help_text": "",
        "placeholder": "",
        "default_value": "",
        "choices": "",
        "autocomplete": "",
    }
    return field


def _text_default_and_placeholder(tag, field):
    first = tag.labels[0] if tag.labels else ""
    if tag.basetype == "textarea" and tag.content:
        first = tag.content
    if has_option(tag, "placeholder") or has_option(tag, "watermark"):
        field["placeholder"] = first[:255]
    elif first:
        field["default_value"] = first


def _autocomplete_tokens():
    """The autofill purposes the forms app offers (``FormField.autocomplete``)."""
    from forms.models import AUTOCOMPLETE_CHOICES

    return {value for value, _label in AUTOCOMPLETE_CHOICES}


def _report(spec, kind, tag, detail):
    spec.issues.append(Issue(kind, f"{tag.raw}: {detail}"))


def _convert_tag(tag: FormTag, label: str, spec: FormSpec):
    basetype = tag.basetype
    if "!invalid" in tag.options:
        _report(spec, "cf7_tag", tag, "not a valid form-tag (its options cannot be read); dropped.")
        return None
    if basetype == "submit":
        text = tag.labels[0] if tag.labels else ""
        if text:
            spec.page_fields.setdefault("_submit_text", text)
        return None
    if basetype in ("response", "count", "honeypot"):
        return None
    if basetype in ("recaptcha", "captchac", "captchar"):
        if basetype != "captchar":
            _report(spec, "cf7_tag", tag, "CAPTCHA dropped: every form has the site's own spam protection.")
        return None
    if basetype not in KNOWN_TYPES or basetype in ("stripe", "dynamictext", "dynamichidden", "multistep"):
        _report(spec, "cf7_tag", tag, "form-tag type not supported by the forms app; dropped.")
        return None
    if basetype in ("conditional", "group"):
        _report(spec, "cf7_tag", tag, "conditional groups are not supported; their fields are always shown.")
        return None
    if not tag.name:
        _report(spec, "cf7_tag", tag, "form-tag without a valid name; dropped.")
        return None
    if basetype == "file":
        _report(spec, "cf7_tag", tag, "file uploads are not supported by the forms app; field dropped.")
        return None
    if basetype == "quiz":
        _report(spec, "cf7_tag", tag, "quiz questions are not supported (the site has its own spam protection).")
        return None
    if basetype == "hidden":
        if tag.values and not has_option(tag, "default"):
            field = _base_field(tag, label or humanise_name(tag.name), "hidden")
            field["required"] = False
            field["default_value"] = tag.values[0]
            return field
        _report(spec, "cf7_tag", tag, "hidden field with a value computed by WordPress; dropped.")
        return None

    field_type = {
        "text": "singleline",
        "email": "email",
        "url": "url",
        "tel": "tel",
        "textarea": "multiline",
        "number": "number",
        "range": "number",
        "date": "date",
    }.get(basetype)
    if field_type:
        field = _base_field(tag, label, field_type, spec)
        _text_default_and_placeholder(tag, field)
        autocomplete = option_value(tag, "autocomplete")
        if autocomplete and autocomplete in _autocomplete_tokens():
            field["autocomplete"] = autocomplete
        elif basetype in AUTOCOMPLETE_BY_TYPE and not autocomplete:
            field["autocomplete"] = AUTOCOMPLETE_BY_TYPE[basetype]
        _report_limits(tag, field, spec)
        if has_option(tag, "default"):
            _report(spec, "cf7_tag", tag, "a default taken from the visitor's request or account is not carried over.")
        return field

    if basetype == "select":
        choices = list(tag.labels)
        field = _base_field(tag, label, "multiselect" if has_option(tag, "multiple") else "dropdown", spec)
        if has_option(tag, "first_as_label") and choices:
            first = choices.pop(0)
            field["help_text"] = ""
            _report(spec, "cf7_tag", tag, f"the first entry “{first}” was a prompt, not a choice; removed.")
        if has_option(tag, "include_blank") and field["field_type"] == "dropdown":
            _report(spec, "cf7_tag", tag, "drop-downs have no empty first entry; the first choice is preselected.")
        return _with_choices(tag, field, choices, spec)
    if basetype in ("checkbox", "radio"):
        exclusive = basetype == "radio" or has_option(tag, "exclusive")
        field = _base_field(tag, label, "radio" if exclusive else "checkboxes", spec)
        if basetype == "radio":
            field["required"] = True
        if has_option(tag, "free_text"):
            _report(spec, "cf7_tag", tag, "the free-text input of the last choice is not supported; kept as a choice.")
        return _with_choices(tag, field, list(tag.labels), spec)
    if basetype == "acceptance":
        text = _tidy_label(_html_to_text(tag.content) or label or humanise_name(tag.name))
        if (
            PRIVACY_CONSENT_RE.search(text)
            and not has_option(tag, "optional")
            and not has_option(tag, "invert")
            and "consent_label" not in spec.page_fields
        ):
            # Every form has its privacy consent checkbox already: it takes CF7's wording
            # instead of showing a second, near-identical box.
            spec.page_fields["consent_label"] = text[:500]
            _report(
                spec,
                "cf7_consent",
                tag,
                "became the form's privacy consent checkbox with its text; "
                "its answers are stored in the column “privacy_consent”.",
            )
            return None
        field = _base_field(tag, text, "consent")
        field["required"] = not has_option(tag, "optional")
        if has_option(tag, "invert"):
            _report(spec, "cf7_tag", tag, "“invert” (tick to refuse) is not supported; the box now means consent.")
        return field
    return None


def _with_choices(tag, field, choices, spec):
    if not choices:
        _report(spec, "cf7_tag", tag, "no choices given; field dropped.")
        return None
    if any("|" in value for value in tag.values):
        _report(
            spec,
            "cf7_tag",
            tag,
            "the values after “|” (sent in the e-mail instead of the label, e.g. a recipient) are dropped; "
            "the visible labels are kept.",
        )
    if len(choices) == 1 and "," in choices[0]:
        _report(spec, "cf7_tag", tag, "a single choice containing a comma would be split in two; check it.")
    field["choices"] = "\n".join(choices)
    default = option_value(tag, "default")
    if default and re.fullmatch(r"[0-9_]+", default):
        picked = []
        for number in default.split("_"):
            position = int(number) - 1
            if 0 <= position < len(tag.labels) and tag.labels[position] in choices:
                picked.append(tag.labels[position])
        field["default_value"] = "\n".join(picked)
    elif default:
        _report(spec, "cf7_tag", tag, "a default taken from the visitor's request or account is not carried over.")
    return field


def _report_limits(tag, field, spec):
    unsupported = []
    for name in ("min", "max", "step", "minlength", "maxlength"):
        value = option_value(tag, name)
        if value is not None:
            unsupported.append(f"{name}:{value}")
    size_max = next((m.group(1) for o in tag.options if (m := re.fullmatch(r"[0-9]*x?[0-9]*/([0-9]+)", o))), None)
    if size_max:
        unsupported.append(f"maxlength {size_max}")
    if unsupported:
        note = " (single-line fields take up to 255 characters)" if field["field_type"] == "singleline" else ""
        _report(spec, "cf7_tag", tag, f"limits not enforced by the forms app: {', '.join(unsupported)}{note}.")
    if tag.basetype == "range":
        _report(spec, "cf7_tag", tag, "a slider became a number field.")


# Mail, messages and settings


def _parsed(value, what, spec):
    if value in (None, "", b""):
        return {}
    if isinstance(value, dict):
        return value
    try:
        parsed = unserialize_php(value)
    except PHPUnserializeError as error:
        spec.issues.append(Issue("cf7_mail", f"{what} could not be read: {error}"))
        return {}
    if not isinstance(parsed, dict):
        spec.issues.append(Issue("cf7_mail", f"{what} is not a list of settings; ignored."))
        return {}
    return parsed


def _addresses(value):
    return EMAIL_RE.findall(_strip_tags_of_mail(value))


def _strip_tags_of_mail(value):
    return MAIL_TAG_RE.sub(" ", str(value or ""))


def _mail_text(value, what, spec):
    """A subject-like text without mail-tags; reports what was removed."""
    value = str(value or "").strip()
    if not MAIL_TAG_RE.search(value):
        return value
    remaining = MAIL_TAG_RE.sub("", value)
    remaining = re.sub(r"^[\s\"'„“”:–-]+|[\s\"'„“”:–-]+$", "", remaining)
    remaining = re.sub(r"\s*[\"'„“”]\s*[\"'„“”]\s*", " ", remaining)
    remaining = re.sub(r"\s+", " ", remaining).strip()
    if len(re.findall(r"\w", remaining)) < 3:
        remaining = ""
    spec.issues.append(
        Issue(
            "cf7_mail",
            f"{what} “{value}” uses mail-tags, which the forms app does not fill in; "
            + (f"kept “{remaining}”." if remaining else "left empty (the default is used)."),
        )
    )
    return remaining


def _convert_mail(source, spec):
    mail = _parsed(source.mail, "The e-mail settings (_mail)", spec)
    if mail:
        recipient = str(mail.get("recipient", ""))
        addresses = _addresses(recipient)
        tags = MAIL_TAG_RE.findall(recipient)
        if addresses:
            spec.page_fields["to_address"] = ", ".join(addresses)[:255]
        if tags and tags != ["_site_admin_email"]:
            spec.issues.append(
                Issue("cf7_mail", f"Recipient “{recipient}” depends on the form's entries; not carried over.")
            )
        elif tags and not addresses:
            spec.issues.append(
                Issue("cf7_mail", "Recipient was the WordPress admin address; the site's contact e-mail is used.")
            )
        sender = _addresses(mail.get("sender", ""))
        if sender:
            spec.page_fields["from_address"] = sender[0]
        elif mail.get("sender"):
            spec.issues.append(Issue("cf7_mail", f"Sender “{mail['sender']}” has no fixed address; not carried over."))
        subject = _mail_text(mail.get("subject"), "The subject", spec)
        if subject:
            spec.page_fields["subject"] = subject[:255]
        _report_mail_extras(mail, "The e-mail to staff", spec)
    mail_2 = _parsed(source.mail_2, "The confirmation settings (_mail_2)", spec)
    if mail_2 and _truthy(mail_2.get("active")):
        spec.page_fields["send_confirmation"] = True
        subject = _mail_text(mail_2.get("subject"), "The confirmation subject", spec)
        if subject:
            spec.page_fields["confirmation_subject"] = subject[:255]
        text = _confirmation_opening(mail_2.get("body", ""))
        if text:
            spec.page_fields["confirmation_text"] = text
        recipient_tags = MAIL_TAG_RE.findall(str(mail_2.get("recipient", "")))
        first_email = next((field["clean_name"] for field in spec.fields if field["field_type"] == "email"), None)
        if recipient_tags and first_email not in recipient_tags:
            spec.issues.append(
                Issue(
                    "cf7_mail",
                    f"The confirmation went to “{mail_2.get('recipient')}”; it now goes to the form's first "
                    "e-mail field" + (f" ({first_email})." if first_email else ", and this form has none."),
                )
            )
        _report_mail_extras(mail_2, "The confirmation", spec, body_kept=True)


def _truthy(value):
    return value in (True, 1, "1", "true", "on", "yes")


def _confirmation_opening(body):
    """The lines of the confirmation body before the first mail-tag, without the signature."""
    lines = []
    for line in str(body or "").replace("\r\n", "\n").split("\n"):
        if MAIL_TAG_RE.search(line) or line.strip() == "--":
            break
        lines.append(line.rstrip())
    return "\n".join(lines).strip()


def _report_mail_extras(mail, what, spec, body_kept=False):
    body = str(mail.get("body", "")).strip()
    if body:
        spec.issues.append(
            Issue(
                "cf7_mail",
                f"{what}: its text template is not carried over"
                + (" beyond the opening words" if body_kept else "")
                + "; the forms app sends a summary of all fields.",
            )
        )
    headers = str(mail.get("additional_headers", "")).strip()
    for line in headers.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        header = line.split(":", 1)[0].strip().lower()
        field_names = {field["clean_name"] for field in spec.fields}
        if header == "reply-to" and set(MAIL_TAG_RE.findall(line)) & field_names:
            continue  # the forms app answers to the sender's e-mail field
        spec.issues.append(Issue("cf7_mail", f"{what}: header “{line.strip()}” not carried over."))
    if str(mail.get("attachments", "")).strip():
        spec.issues.append(Issue("cf7_mail", f"{what}: attachments “{mail['attachments']}” not carried over."))
    if _truthy(mail.get("use_html")):
        spec.issues.append(Issue("cf7_mail", f"{what} was HTML; the forms app sends plain text."))


def _convert_messages(source, spec):
    messages = _parsed(source.messages, "The messages (_messages)", spec)
    text = str(messages.get("mail_sent_ok", "")).strip() if messages else ""
    if text:
        spec.page_fields["thank_you_text"] = f"<p>{html.escape(text, quote=False)}</p>"


def parse_additional_settings(text: str) -> list[tuple[str, str]]:
    settings = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        if ":" not in line or not line.strip():
            continue
        key, value = line.split(":", 1)
        settings.append((key.strip(), value.strip()))
    return settings


def _convert_additional_settings(source, spec):
    for key, value in parse_additional_settings(source.additional_settings):
        if key == "acceptance_as_validation":
            continue  # consent boxes are always validated: honoured as it is
        if key == "do_not_store" and not _truthy(value.lower()):
            continue
        if key in ("demo_mode", "skip_mail", "subscribers_only") and not _truthy(value.lower()):
            continue
        note = DEFAULT_ADDITIONAL_SETTING_NOTES.get(key, "not supported; ignored.")
        spec.issues.append(Issue("cf7_setting", f"Additional setting “{key}: {value}”: {note}"))


def finish_page_fields(spec: FormSpec, page_model) -> FormSpec:
    """Moves the submit text to the page's button field if ``page_model`` has one, else reports it."""
    text = spec.page_fields.pop("_submit_text", None)
    if not text or text.strip().lower() in ("senden", "absenden", "send", "submit", "abschicken"):
        return spec
    names = {field.name for field in page_model._meta.get_fields()}
    for candidate in ("submit_button_text", "submit_text", "button_text"):
        if candidate in names:
            spec.page_fields[candidate] = text
            return spec
    spec.issues.append(
        Issue("cf7_tag", f"The send button text “{text}” is not carried over (the button says “Senden”).")
    )
    return spec
