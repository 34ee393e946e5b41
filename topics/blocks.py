from django.utils.translation import gettext_lazy as _

from wagtail import blocks


class ProgrammeItemBlock(blocks.StructBlock):
    time = blocks.CharBlock(label=_("Time"), max_length=40, required=False, help_text=_("For example “10:00–10:30”."))
    title = blocks.CharBlock(label=_("Title"), max_length=250)
    description = blocks.TextBlock(label=_("Description"), required=False)
    speakers = blocks.CharBlock(
        label=_("Speakers"), max_length=250, required=False, help_text=_("Names as they should appear.")
    )

    class Meta:
        icon = "time"
        label = _("Programme item")
        template = "topics/blocks/programme_item_block.html"


class ProgrammeStreamBlock(blocks.StreamBlock):
    item = ProgrammeItemBlock()

    class Meta:
        label = _("Programme")


class ListItemStreamBlock(blocks.StreamBlock):
    """A plain list of short texts, e.g. the topics of a working group."""

    item = blocks.TextBlock(label=_("Item"))

    class Meta:
        label = _("List")
