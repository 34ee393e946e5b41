from django import template

from core import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def site_settings(context):
    """The site settings in the active language (falling back to German), or None.

    A ``core.navigation.SiteChrome``: plain values, cached per content generation; the
    legal pages as ``imprint``/``privacy`` (``{"title", "url"}`` when live, else None).
    """
    return navigation.site_settings(context.get("request"))
