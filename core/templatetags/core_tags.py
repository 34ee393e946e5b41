import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core import navigation
from core.email_protection import protect_emails, protected_link

register = template.Library()


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    return {"menu_items": navigation.main_menu(context["request"], context.get("page"))}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    ancestors = navigation.breadcrumbs(page, context.get("request")) if page else []
    return {"ancestors": ancestors, "page": page}


@register.simple_tag(takes_context=True)
def page_translations(context):
    page = context.get("page")
    if page is not None and not hasattr(page, "get_translations"):
        page = None
    return navigation.translations(context["request"], page)


@register.simple_tag(takes_context=True)
def home_page(context):
    return navigation.locale_home(context["request"])


@register.filter(name="protect_emails")
def protect_emails_filter(html):
    """Rich text with every e-mail address replaced by a harvester-proof link."""
    return protect_emails(html)


@register.simple_tag
def email_link(address):
    return protected_link(address) if address else ""


@register.filter
def iframe_title(html, title):
    """Gives provider embed code's iframes a title, which screen readers announce."""
    return mark_safe(  # noqa: S308 - embed HTML comes from the oEmbed provider, the title is escaped
        re.sub(r"<iframe(?![^>]*\btitle=)", lambda m: f'<iframe title="{escape(title)}"', str(html))
    )
