"""Admin views for the shared snippets (people and organisations)."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from topics.models import Organisation, Person


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    list_display = ["name", "role", "organisation", "email"]
    list_filter = ["locale"]
    search_fields = ["name", "role", "email"]
    ordering = ["name"]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "url"]
    list_filter = ["locale"]
    search_fields = ["name"]
    ordering = ["name"]


class PeopleAndOrganisationsGroup(SnippetViewSetGroup):
    items = (PersonViewSet, OrganisationViewSet)
    menu_icon = "group"
    menu_label = _("People and organisations")
    menu_name = "people"
    menu_order = 300
