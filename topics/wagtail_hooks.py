from wagtail.snippets.models import register_snippet

from topics.views import PeopleAndOrganisationsGroup

register_snippet(PeopleAndOrganisationsGroup)
