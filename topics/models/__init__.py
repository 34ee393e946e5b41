from topics.models.essays import RelatedTopic, TopicIndexPage, TopicPage
from topics.models.events import EventPage, EventSeriesPage
from topics.models.snippets import (
    Organisation,
    PageAuthor,
    PageContact,
    PagePartner,
    PageSpeaker,
    Person,
)
from topics.models.working_groups import WorkingGroupIndexPage, WorkingGroupPage

__all__ = [
    "EventPage",
    "EventSeriesPage",
    "Organisation",
    "PageAuthor",
    "PageContact",
    "PagePartner",
    "PageSpeaker",
    "Person",
    "RelatedTopic",
    "TopicIndexPage",
    "TopicPage",
    "WorkingGroupIndexPage",
    "WorkingGroupPage",
]
