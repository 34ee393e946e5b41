"""The contract between the WordPress importer and its converters.

The importer (management command, WXR reader, models) hands raw WordPress data to
the converters and implements :class:`Resolver` so that converters can turn old
addresses and IDs into Wagtail objects. The converters never touch the database
themselves except through the resolver, and never raise on bad content: whatever
they cannot convert is listed as an :class:`Issue`.

Converters (all pure functions):

- ``wordpress_import.content.convert_content(html, resolver) -> ConvertedContent``
  classic-editor HTML (wpautop) or block-editor content → raw StreamField data for
  ``core.blocks.BaseStreamBlock``.
- ``wordpress_import.cf7.parse_form_template(text) -> list[FormTag]``
  Contact Form 7's form-tag grammar.
- ``wordpress_import.cf7.convert_contact_form(ContactFormSource) -> FormSpec``
  a ``wpcf7_contact_form`` item → the fields of a ``forms.FormPage``.
- ``wordpress_import.php.unserialize_php(bytes | str) -> object``
  a safe parser of PHP's ``serialize()`` format (``_mail``, ``_messages`` …); never
  executes anything and refuses objects (``O:``/``C:``) with :class:`PHPUnserializeError`.

This file is stable: fields and methods are only ever added, never changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.models import Page

    from forms.models import FormPage


@runtime_checkable
class Resolver(Protocol):
    """Looks up what the import has created (or will create) for old WordPress things.

    Every method returns ``None`` when nothing matches; the converter then keeps the
    old address as an external link (or the text alone) and reports an issue.
    """

    def page_for_url(self, url: str) -> Page | None:
        """The imported page for an old permalink, ``?p=ID`` or ``?page_id=ID`` address
        (absolute on the old site's host, or site-relative)."""

    def page_for_wp_id(self, post_id: int) -> Page | None:
        """The imported page for a WordPress post ID."""

    def document_for_url(self, url: str) -> Document | None:
        """The document created from an upload address (``/wp-content/uploads/…``)."""

    def image_for_url(self, url: str) -> Image | None:
        """The image created from an upload address, including WordPress' resized
        variants (``photo-300x200.jpg`` → the image of ``photo.jpg``)."""

    def image_for_attachment_id(self, attachment_id: int) -> Image | None:
        """The image created from an attachment post ID (``wp-image-123``, ``[gallery ids]``)."""

    def form_for_cf7(
        self, *, post_id: int | None = None, hash_prefix: str | None = None, title: str | None = None
    ) -> FormPage | None:
        """The FormPage converted from a Contact Form 7 form, resolved as CF7 does:
        by hash prefix (``_hash`` meta starting with it, at least 7 characters), then by
        post ID, then by title. The converter passes whatever the shortcode gave."""


@dataclass(frozen=True)
class Issue:
    """Something that needs a human's eye.

    ``kind`` is a short stable identifier for grouping in the report, e.g.
    ``"shortcode"`` (unknown shortcode dropped; ``detail`` holds its text),
    ``"link"`` (unresolved internal link), ``"media"`` (image or upload not found),
    ``"form"`` (form not found), ``"html"`` (markup dropped), ``"cf7_tag"``
    (form tag not converted), ``"cf7_mail"``, ``"cf7_setting"``, ``"vague_link"``;
    also ``"block"`` (block-editor block not supported or broken), ``"embed"``
    (embed titled generically or unknown service), ``"table"`` (merged cells, no
    headings), ``"image_alt"`` (image without alternative text), ``"cf7_label"``
    (no label found), ``"cf7_text"`` (text in a form template not carried over),
    ``"cf7_consent"`` (acceptance merged into the form's privacy consent).
    ``detail`` is a sentence in English for the operator.
    """

    kind: str
    detail: str


@dataclass
class ConvertedContent:
    """The result of :func:`wordpress_import.content.convert_content`.

    ``blocks`` is raw StreamField data for ``core.blocks.BaseStreamBlock``: a list of
    ``{"type": <block name>, "value": <raw value>}`` (no ``id``: Wagtail adds one),
    ready for ``page.body = blocks`` (a StreamField accepts the raw list).
    ``excerpt_text`` is plain text of the first paragraph(s), at most ~300 characters,
    for an intro or search description when the post has no excerpt.
    """

    blocks: list[dict[str, Any]] = field(default_factory=list)
    excerpt_text: str = ""
    issues: list[Issue] = field(default_factory=list)


@dataclass
class FormTag:
    """One Contact Form 7 form-tag, e.g. ``[select* topic include_blank "A" "B|b"]``.

    ``basetype`` is the type without ``*``; ``options`` are the bare words after the
    name (``include_blank``, ``min:1``, ``placeholder``, ``class:x`` …); ``values`` the
    quoted strings; for piped values ``labels`` hold the part before ``|`` (what the
    visitor sees) and ``values`` keep the raw strings. ``content`` is the enclosed text
    of ``[textarea x]…[/textarea]``. ``raw`` is the tag as written (for reports);
    ``start``/``end`` its character offsets in the template.
    """

    type: str
    basetype: str
    name: str
    options: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    content: str = ""
    raw: str = ""
    start: int = 0
    end: int = 0

    @property
    def required(self) -> bool:
        return self.type.endswith("*")


@dataclass
class ContactFormSource:
    """A ``wpcf7_contact_form`` item as found in the WXR export.

    ``form`` is the ``_form`` meta (the template text). ``mail``, ``mail_2`` and
    ``messages`` are the ``_mail``, ``_mail_2`` and ``_messages`` metas exactly as
    exported (PHP-serialized strings; a dict is accepted too when already parsed).
    ``additional_settings`` is the ``_additional_settings`` text (``key: value`` lines).
    ``hash`` is the ``_hash`` meta (CF7 ≥ 5.8) when present; ``locale`` the ``_locale`` meta.
    """

    post_id: int
    title: str
    form: str
    mail: str | bytes | dict | None = None
    mail_2: str | bytes | dict | None = None
    messages: str | bytes | dict | None = None
    additional_settings: str = ""
    hash: str = ""
    locale: str = ""


@dataclass
class FormSpec:
    """What :func:`wordpress_import.cf7.convert_contact_form` builds.

    ``page_fields``: keyword arguments for ``forms.models.FormPage`` (only fields that
    exist there, e.g. ``title``, ``intro`` (text above the first field), ``to_address``, ``from_address``, ``subject``,
    ``thank_you_text``, ``send_confirmation``, ``confirmation_subject``,
    ``confirmation_text``, ``consent_label``, ``submit_button_text`` if it exists …).
    ``fields``: one dict per form field, keyword arguments for ``forms.models.FormField``
    (``label``, ``field_type``, ``required``, ``choices``, ``default_value``,
    ``help_text``, ``placeholder``, ``clean_name`` = the CF7 name, …) in form order;
    the importer sets ``page`` and ``sort_order``.
    ``issues``: tags, mail settings and additional settings that could not be carried over.
    """

    page_fields: dict[str, Any] = field(default_factory=dict)
    fields: list[dict[str, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


class PHPUnserializeError(ValueError):
    """The data is not valid PHP ``serialize()`` output or holds what we refuse (objects).

    The message names the problem and the byte offset."""
