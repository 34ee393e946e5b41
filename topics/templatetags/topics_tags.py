from django import template

from topics.models.snippets import localized

register = template.Library()


@register.simple_tag
def people(links):
    """Persons of a page's author/contact/speaker links, in the active language."""
    return localized(
        (link.person for link in links.select_related("person", "person__organisation", "person__photo")),
        select_related=["organisation", "photo"],
    )


@register.simple_tag
def partners(links):
    """Organisations of a page's partner links, in the active language."""
    return localized(
        (link.organisation for link in links.select_related("organisation", "organisation__logo")),
        select_related=["logo"],
    )
