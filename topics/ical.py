"""iCalendar (RFC 5545) export of events, built with the ``icalendar`` package."""

import zoneinfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags

from icalendar import Calendar, Event, Timezone

# Events happen in the site's time zone (settings.TIME_ZONE, German time).
BERLIN = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def build_calendar(title, events, request=None, private=False):
    """A calendar with one VEVENT per event, times in the site's time zone with a VTIMEZONE.

    ``private`` calendars (a participant's confirmation mail) carry the join link of
    online events; public ones (downloads, the series feed) carry it only for events
    without registration on this website.
    """
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.WAGTAIL_SITE_NAME}//vsop-cms//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", title)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add_component(Timezone.from_tzid(settings.TIME_ZONE))
    for page in events:
        calendar.add_component(build_event(page, request, private=private))
    return calendar


def build_event(page, request=None, private=False):
    event = Event()
    event.add("uid", f"event-{page.translation_key}-{page.locale.language_code}@vsop-cms")
    event.add("summary", page.title)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(page.start, BERLIN))
    if page.end:
        event.add("dtend", timezone.localtime(page.end, BERLIN))
    if page.last_published_at:
        event.add("last-modified", page.last_published_at)
    join_url = page.join_url if (private or page.join_url_is_public) else ""
    description = [page.intro] if page.intro else []
    if join_url:
        description.append(join_url)
    if description:
        event.add("description", "\n\n".join(strip_tags(part) for part in description))
    location = page.place or join_url
    if location:
        event.add("location", location)
    url = page.get_full_url(request)
    if url:
        event.add("url", url)
    return event


def calendar_response(page, events, request=None):
    calendar = build_calendar(page.title, events, request)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{page.slug}.ics"'
    response["Cache-Control"] = f"max-age={getattr(settings, 'ICAL_MAX_AGE', 300)}"
    return response
