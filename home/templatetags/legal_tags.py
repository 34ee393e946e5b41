from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def fact(page, name):
    """A fact of a legal page, or a visible mark for editors where it is still missing.

    Live legal pages never show the mark: they cannot be published with a fact missing.
    """
    value = getattr(page, name)
    if value is not None and str(value).strip():
        return value
    label = page._meta.get_field(name).verbose_name
    return format_html('<mark class="legal-missing">{}</mark>', _("[missing: %(fact)s]") % {"fact": label})
