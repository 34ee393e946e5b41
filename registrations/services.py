"""Registering, confirming, cancelling and moving up: every change of places in one locked transaction.

``lock_places`` is the first statement of each such transaction: an UPDATE of the
event's ``PlaceCounter`` row. On PostgreSQL it holds that row's lock until commit, so
concurrent registrations for the same event queue behind it (other events are not
blocked); on SQLite the write takes the database's write lock before anything is
counted. Counting and inserting therefore never interleave, and an event is never
overbooked. Each mail is queued in the outbox inside the same transaction, so it
exists exactly when the change does; the outbox worker sends it.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .availability import availability
from .models import PlaceCounter, Registration


class RegistrationRefused(Exception):
    """Registration is closed or full; ``availability`` says which."""

    def __init__(self, availability):
        super().__init__(availability.state)
        self.availability = availability


class AlreadyRegistered(Exception):
    def __init__(self, registration):
        super().__init__(registration.pk)
        self.registration = registration


def ensure_counter(event_key):
    if not PlaceCounter.objects.filter(pk=event_key).exists():
        try:
            with transaction.atomic():
                PlaceCounter.objects.create(pk=event_key)
        except IntegrityError:  # created at the same moment by another request
            pass


def lock_places(event_key):
    """Takes the event's lock (must be the first statement of the transaction)."""
    PlaceCounter.objects.filter(pk=event_key).update(changes=F("changes") + 1)


def register(page, *, name, email, answers=None, consent=None, language="de", now=None):
    """Registers a person: a place if one is free, else the waiting list; then the mail.

    Raises ``RegistrationRefused`` when registration is closed or full without a waiting
    list, ``AlreadyRegistered`` when the address has an active registration for the event.
    """
    from . import emails

    now = now or timezone.now()
    ensure_counter(page.translation_key)
    with transaction.atomic():
        lock_places(page.translation_key)
        state = availability(page, now=now)
        if not state.accepts_registrations:
            raise RegistrationRefused(state)
        existing = Registration.objects.for_event(page).active().filter(email__iexact=email).first()
        if existing:
            raise AlreadyRegistered(existing)
        has_place = state.gives_places
        registration = Registration.objects.create(
            event=page,
            event_key=page.translation_key,
            name=name,
            email=email,
            answers=answers or {},
            consent=consent or {},
            language=language,
            status=Registration.Status.REGISTERED if has_place else Registration.Status.WAITING,
            created_at=now,
            place_since=now if has_place else None,
            email_confirmed_at=None if page.registration_double_opt_in else now,
        )
        # Queued in the same transaction: the mail exists exactly when the registration does.
        if page.registration_double_opt_in:
            emails.send_opt_in(registration)
        else:
            emails.send_status(registration)
    return registration


def fill_places(page, now=None):
    """Inside the lock: moves confirmed people up from the waiting list while places are free."""
    now = now or timezone.now()
    if page.is_past:
        return []
    capacity = page.registration_capacity
    registrations = Registration.objects.for_event(page)
    queue = registrations.waiting().filter(email_confirmed_at__isnull=False).order_by("created_at", "pk")
    if capacity is not None:
        free = capacity - registrations.holding_places().count()
        if free <= 0:
            return []
        queue = queue[:free]
    promoted = list(queue)
    for registration in promoted:
        registration.status = Registration.Status.REGISTERED
        registration.place_since = now
        registration.save(update_fields=["status", "place_since"])
    return promoted


def confirm_email(registration, now=None):
    """Double opt-in: the address is confirmed; a held place becomes the person's. Idempotent."""
    from . import emails

    now = now or timezone.now()
    page = registration.event
    ensure_counter(registration.event_key)
    with transaction.atomic():
        lock_places(registration.event_key)
        registration = Registration.objects.select_related("event").get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED or registration.email_confirmed:
            return registration
        registration.email_confirmed_at = now
        registration.save(update_fields=["email_confirmed_at"])
        if registration.status == Registration.Status.WAITING:
            fill_places(page, now)
            registration.refresh_from_db()
        emails.send_status(registration)
    return registration


def cancel(registration, reason=Registration.CancelReason.PARTICIPANT, now=None, notify=True):
    """Cancels; a freed place goes to the first confirmed person on the waiting list, who gets a mail.

    Returns the registrations that moved up. Cancelling twice changes nothing.
    """
    from . import emails

    now = now or timezone.now()
    ensure_counter(registration.event_key)
    with transaction.atomic():
        lock_places(registration.event_key)
        registration = Registration.objects.select_related("event").get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return []
        had_place = registration.has_place
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.cancel_reason = reason
        registration.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        promoted = fill_places(registration.event, now) if had_place else []
        if notify and reason != Registration.CancelReason.UNCONFIRMED:
            emails.send_cancelled(registration)
        for moved_up in promoted:
            emails.send_promoted(moved_up)
    return promoted


def promote_waiting(page, now=None):
    """After an editor added places: fills them from the waiting list and mails those who moved up."""
    from . import emails

    ensure_counter(page.translation_key)
    with transaction.atomic():
        lock_places(page.translation_key)
        promoted = fill_places(page, now)
        for moved_up in promoted:
            emails.send_promoted(moved_up)
    return promoted


def waiting_position(registration):
    """1 for the first in the queue."""
    if registration.status != Registration.Status.WAITING:
        return None
    earlier = (
        Registration.objects.for_event(registration.event)
        .waiting()
        .filter(created_at__lt=registration.created_at)
        .count()
    )
    return earlier + 1


def confirm_window():
    return datetime.timedelta(hours=settings.REGISTRATIONS_CONFIRM_HOURS)


def release_unconfirmed(now=None):
    """Cancels registrations whose address was not confirmed in time; their places go to the waiting list."""
    now = now or timezone.now()
    expired = Registration.objects.unconfirmed().filter(created_at__lt=now - confirm_window()).select_related("event")
    released = []
    for registration in expired:
        cancel(registration, reason=Registration.CancelReason.UNCONFIRMED, now=now)
        released.append(registration)
    return released
