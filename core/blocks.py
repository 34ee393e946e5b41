"""The blocks editors build every page body from.

``BaseStreamBlock`` is the one StreamBlock shared by all page types; app-specific
bodies (an event programme) live in their app's ``blocks.py``.
"""

import re

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

from core.page_blocks import LocalizedPageChooserBlock, localized_page
from forms.blocks import FormBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]

# Link texts that say nothing out of context (WCAG 2.4.4). Compared case-insensitively
# after stripping punctuation, so "hier.", "Hier!" and "click here" are all caught.
VAGUE_LINK_TEXTS = {
    "hier",
    "here",
    "klicken sie hier",
    "hier klicken",
    "click here",
    "mehr",
    "more",
    "weiter",
    "link",
    "read more",
    "weiterlesen",
    "mehr erfahren",
}


def is_vague_link_text(text):
    normalised = re.sub(r"[^\w\s]", "", text or "").strip().lower()
    normalised = re.sub(r"\s+", " ", normalised)
    return normalised in VAGUE_LINK_TEXTS


class LinkStructValue(blocks.StructValue):
    """Resolves whichever target an editor chose: a page, a document or a URL.

    The method is ``href``, not ``url``: templates look up ``value.url`` as the block's
    own ``url`` child first, so a method of that name would never be called there.
    """

    def href(self):
        if page := self.get("page"):
            return localized_page(page).url
        if document := self.get("document"):
            return document.url
        return self.get("url") or ""

    def is_document(self):
        return bool(self.get("document"))


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading (H2)")), ("h3", _("Sub-heading (H3)"))],
        default="h2",
        help_text=_("Use H2 for sections and H3 for parts of a section; never skip a level."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "core/blocks/heading_block.html"


class GuidingQuestionsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        required=False,
        max_length=200,
        help_text=_('For example "Leitfragen". Leave empty to show the questions without a heading.'),
    )
    questions = blocks.ListBlock(
        blocks.TextBlock(label=_("Question")),
        label=_("Questions"),
        min_num=1,
        help_text=_("One question per item."),
    )

    class Meta:
        icon = "help"
        label = _("Guiding questions")
        template = "core/blocks/guiding_questions_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(
        label=_("Source"), required=False, max_length=200, help_text=_("Who said or wrote it.")
    )

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "core/blocks/quote_block.html"


class CaptionedImageBlock(blocks.StructBlock):
    """An image with Wagtail's own alt text rules (alt text, or marked decorative) and a caption."""

    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "core/blocks/image_block.html"


class GalleryBlock(blocks.StructBlock):
    """Several images shown together, each with its own alternative text and caption."""

    caption = blocks.CharBlock(
        label=_("Caption of the gallery"),
        required=False,
        max_length=300,
        help_text=_("Optional: what the images show together, e.g. “Impressions of the symposium 2024”."),
    )
    images = blocks.ListBlock(CaptionedImageBlock(), label=_("Images"), min_num=1)

    class Meta:
        icon = "image"
        label = _("Gallery")
        template = "core/blocks/gallery_block.html"


TABLE_CELL_FEATURES = ["bold", "italic", "link", "document-link"]


class TableStructValue(blocks.StructValue):
    def has_headings(self):
        table = self.get("table")
        return bool(table and any(column["heading"] for column in table.columns))


class TableBlock(blocks.StructBlock):
    """A data table with a caption and headings, so screen readers can announce each cell's context."""

    table = TypedTableBlock(
        [
            ("text", blocks.CharBlock(label=_("Text"), required=False)),
            (
                "rich_text",
                blocks.RichTextBlock(label=_("Formatted text"), features=TABLE_CELL_FEATURES, required=False),
            ),
        ],
        label=_("Table"),
        help_text=_("Give every column a heading. The caption says what the table is about."),
    )
    first_column_is_header = blocks.BooleanBlock(
        label=_("First column holds row headings"),
        required=False,
        default=False,
        help_text=_("Tick if the first cell of each row names the row, e.g. a year or a city."),
    )

    class Meta:
        icon = "table"
        label = _("Table")
        template = "core/blocks/table_block.html"
        value_class = TableStructValue


class LinkBlock(blocks.StructBlock):
    """A link to a page, a document or another website, with text that makes sense alone."""

    text = blocks.CharBlock(
        label=_("Link text"),
        max_length=300,
        help_text=_(
            'Say where the link leads, e.g. "Documentation of the 4th symposium (PDF)". '
            'Never "here" or "hier": screen reader users hear link texts out of context.'
        ),
    )
    page = LocalizedPageChooserBlock(label=_("Page"), required=False)
    document = DocumentChooserBlock(label=_("Document"), required=False)
    url = blocks.URLBlock(label=_("Web address"), required=False)
    description = blocks.CharBlock(
        label=_("Description"), required=False, max_length=300, help_text=_("Optional line under the link.")
    )

    class Meta:
        icon = "link"
        label = _("Document or link")
        template = "core/blocks/link_block.html"
        value_class = LinkStructValue
        help_text = _(
            "Choose one target: a page, a document or a web address. "
            "Without a target the text is shown as a reference without a link."
        )

    def clean(self, value):
        errors = {}
        if is_vague_link_text(value.get("text")):
            errors["text"] = ErrorList(
                [
                    ValidationError(
                        _("Write a link text that says where the link leads, not “%(text)s”.")
                        % {"text": value.get("text")}
                    )
                ]
            )
        targets = [name for name in ("page", "document", "url") if value.get(name)]
        if len(targets) > 1:
            for name in targets:
                errors[name] = ErrorList(
                    [ValidationError(_("Choose only one target: a page, a document or a web address."))]
                )
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return super().clean(value)


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = blocks.TextBlock(label=_("Text"), required=False)
    button_text = blocks.CharBlock(
        label=_("Button text"), max_length=100, help_text=_('Say what happens, e.g. "Request tender documents".')
    )
    page = LocalizedPageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Web address"), required=False)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "core/blocks/call_to_action_block.html"
        value_class = LinkStructValue

    def clean(self, value):
        errors = {}
        if is_vague_link_text(value.get("button_text")):
            errors["button_text"] = ErrorList([ValidationError(_("Write a button text that says what happens."))])
        if bool(value.get("page")) == bool(value.get("url")):
            errors["page"] = ErrorList([ValidationError(_("Choose either a page or a web address."))])
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return super().clean(value)


class AccessibleEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("Video or other media"), help_text=_("Address of a video, e.g. on YouTube or Vimeo."))
    title = blocks.CharBlock(
        label=_("Title"), max_length=200, help_text=_("Describes the media for screen reader users.")
    )

    class Meta:
        icon = "media"
        label = _("Embedded media")
        template = "core/blocks/embed_block.html"


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=RICH_TEXT_FEATURES, icon="pilcrow", template="core/blocks/paragraph_block.html"
    )
    guiding_questions = GuidingQuestionsBlock()
    quote = QuoteBlock()
    image = CaptionedImageBlock()
    gallery = GalleryBlock()
    table = TableBlock()
    link = LinkBlock()
    embed = AccessibleEmbedBlock()
    call_to_action = CallToActionBlock()
    form = FormBlock()

    class Meta:
        label = _("Body")
