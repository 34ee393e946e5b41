from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from core.page_blocks import LocalizedPageChooserBlock, localized_page


class FormBlock(blocks.StructBlock):
    """Embeds a form page's form (or a link to it) where an old shortcode stood."""

    form_page = LocalizedPageChooserBlock(
        label=_("Form"),
        page_type="forms.FormPage",
        help_text=_("Choose the form page whose form should appear here."),
    )
    display = blocks.ChoiceBlock(
        label=_("Display"),
        choices=[("embed", _("Show the form here")), ("link", _("Link to the form page"))],
        default="embed",
    )

    class Meta:
        icon = "form"
        label = _("Form")
        template = "forms/blocks/form_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        form_page = value.get("form_page")
        form_page = localized_page(form_page.specific) if form_page else None
        context["form_page"] = form_page if form_page and form_page.live else None
        request = (parent_context or {}).get("request")
        if context["form_page"] and value.get("display") == "embed":
            context["form"] = context["form_page"].get_form(
                page=context["form_page"], user=getattr(request, "user", None)
            )
        return context
