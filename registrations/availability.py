"""What an event's registration looks like right now: open, few places, waiting list, full or closed."""

import enum
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# "Only a few places left" from this many places down (or a tenth of the places, if more).
FEW_PLACES = 3


class State(enum.StrEnum):
    OPEN = "open"
    FEW = "few"
    WAITING_LIST = "waiting_list"
    FULL = "full"
    CLOSED = "closed"
    OVER = "over"


LABELS = {
    State.WAITING_LIST: _("Fully booked – waiting list"),
    State.FULL: _("Fully booked"),
    State.CLOSED: _("Registration closed"),
    State.OVER: _("This event is over."),
}


@dataclass(frozen=True, slots=True)
class Availability:
    state: State
    capacity: int | None
    taken: int

    @property
    def places_left(self):
        return None if self.capacity is None else max(0, self.capacity - self.taken)

    @property
    def accepts_registrations(self):
        return self.state in (State.OPEN, State.FEW, State.WAITING_LIST)

    @property
    def gives_places(self):
        return self.state in (State.OPEN, State.FEW)

    @property
    def label(self):
        if self.state in LABELS:
            return str(LABELS[self.state])
        if self.capacity is None:
            return str(_("Registration open"))
        left = self.places_left
        return ngettext("%(count)s place left", "%(count)s places left", left) % {"count": left}


def count_taken(page):
    from .models import Registration

    return Registration.objects.for_event(page).holding_places().count()


def availability(page, now=None, taken=None):
    """The registration state of ``page``; ``taken`` may come from an annotation (lists of events)."""
    now = now or timezone.now()
    capacity = page.registration_capacity
    if page.is_past or page.start <= now:
        return Availability(State.OVER if page.is_past else State.CLOSED, capacity, taken or 0)
    if page.registration_deadline and page.registration_deadline < now:
        return Availability(State.CLOSED, capacity, taken or 0)
    if taken is None:
        taken = count_taken(page) if capacity is not None else 0
    if capacity is None or taken < capacity:
        left = None if capacity is None else capacity - taken
        few = left is not None and left <= max(FEW_PLACES, capacity // 10)
        return Availability(State.FEW if few else State.OPEN, capacity, taken)
    return Availability(State.WAITING_LIST if page.registration_waiting_list else State.FULL, capacity, taken)


def with_places_taken(events):
    """Annotates ``registrations_taken`` (places held, all languages) on a queryset of event pages: one query."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from .models import Registration

    taken = (
        Registration.objects.filter(event_key=OuterRef("translation_key"), status=Registration.Status.REGISTERED)
        .order_by()
        .values("event_key")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return events.annotate(registrations_taken=Coalesce(Subquery(taken, output_field=IntegerField()), 0))
