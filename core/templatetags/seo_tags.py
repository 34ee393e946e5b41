from django import template

from wagtail.models import Page

from core.seo import page_meta

register = template.Library()


@register.simple_tag(takes_context=True)
def page_seo(context, settings_obj=None):
    """Title, description, canonical, OpenGraph and JSON-LD of the page being shown, or None."""
    page = context.get("page")
    request = context.get("request")
    if request is None or not isinstance(page, Page) or page.pk is None:
        return None
    return page_meta(request, page, settings_obj)
