"""iCalendar downloads for events and series (RFC 5545, parsed back with ``icalendar``)."""

import datetime
import zoneinfo

import pytest
from icalendar import Calendar

from tests.factories import EventPageFactory, EventSeriesPageFactory

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(home_page):
    return EventSeriesPageFactory(parent=home_page, title="Programmreihe 2021", slug="programmreihe-2021")


def test_event_calendar_has_start_in_berlin_time(client, series):
    start = datetime.datetime(2030, 3, 4, 14, 30, tzinfo=BERLIN)
    event = EventPageFactory(
        parent=series,
        title="Gleichwertige Lebensverhältnisse",
        slug="auftakt",
        start=start,
        end=start + datetime.timedelta(hours=2),
        place="Haus der Region, Hannover",
    )
    response = client.get(f"{event.url}ical/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="auftakt.ics"' in response["Content-Disposition"]

    raw = response.content.decode()
    assert "DTSTART;TZID=Europe/Berlin:20300304T143000" in raw
    assert "BEGIN:VTIMEZONE" in raw

    calendar = Calendar.from_ical(response.content)
    [vevent] = calendar.walk("VEVENT")
    assert vevent["SUMMARY"] == "Gleichwertige Lebensverhältnisse"
    assert vevent.decoded("DTSTART") == start
    assert vevent.decoded("DTSTART").tzinfo.key == "Europe/Berlin"
    assert vevent.decoded("DTEND") == start + datetime.timedelta(hours=2)
    assert vevent["LOCATION"] == "Haus der Region, Hannover"
    assert str(vevent["URL"]).endswith("/de/programmreihe-2021/auftakt/")
    assert vevent["UID"]


def test_summer_time_is_kept(client, series):
    start = datetime.datetime(2030, 7, 1, 9, 0, tzinfo=BERLIN)
    event = EventPageFactory(parent=series, slug="sommer", start=start, end=None)
    calendar = Calendar.from_ical(client.get(f"{event.url}ical/").content)
    [vevent] = calendar.walk("VEVENT")
    assert vevent.decoded("DTSTART").utcoffset() == datetime.timedelta(hours=2)
    assert "DTEND" not in vevent


def test_series_calendar_lists_all_its_live_events(client, series):
    events = [
        EventPageFactory(parent=series, title=f"Termin {n}", start=datetime.datetime(2030, 1, n, 10, tzinfo=BERLIN))
        for n in range(1, 6)
    ]
    past = EventPageFactory(parent=series, title="Vergangen", start=datetime.datetime(2020, 5, 1, 10, tzinfo=BERLIN))
    draft = EventPageFactory(parent=series, title="Entwurf", live=False)
    response = client.get(f"{series.url}ical/")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    summaries = [str(vevent["SUMMARY"]) for vevent in calendar.walk("VEVENT")]
    assert summaries == ["Vergangen"] + [event.title for event in events]
    assert draft.title not in summaries
    assert past.title in summaries
    assert len({str(vevent["UID"]) for vevent in calendar.walk("VEVENT")}) == len(summaries)


def test_pages_link_their_calendar_file(client, series):
    event = EventPageFactory(parent=series, slug="termin")
    assert f'href="{event.url}ical/"' in client.get(event.url).content.decode()
    assert f'href="{series.url}ical/"' in client.get(series.url).content.decode()
