from django import template

register = template.Library()


@register.inclusion_tag("search/includes/search_form.html", takes_context=True)
def search_form(context):
    """The header search field; search/static/search/js/autocomplete.js adds suggestions to it."""
    return {"search_query": context.get("search_query", "")}
