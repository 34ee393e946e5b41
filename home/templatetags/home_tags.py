from django import template

from wagtail.models import Locale

from home.models import SiteSettings

register = template.Library()


@register.simple_tag
def site_settings():
    """The site settings in the active language (falling back to German), or None."""
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        return None
    return SiteSettings.for_locale(locale)
