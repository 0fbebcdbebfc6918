"""iCalendar for seminars: one builder for the .ics pages and the confirmation email."""

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from coproseries.text import one_line, printable_lines

LONDON = ZoneInfo("Europe/London")


def _event_description(seminar, programme):
    lines = [seminar.summary] if seminar.summary else []
    if programme:
        lines.append("")
        lines.append("Programme:")
        for item in programme:
            start = timezone.localtime(item.starts_at, LONDON).strftime("%H:%M")
            names = ", ".join(person.name for person in item.people)
            lines.append(f"{start} {item.title}" + (f" ({names})" if names else ""))
    if seminar.venue and seminar.venue.access_info:
        lines += ["", f"Access: {seminar.venue.access_info}"]
    lines += ["", f"Details: {settings.SITE_URL}{seminar.get_absolute_url()}"]
    return printable_lines("\n".join(lines))


def _location(seminar):
    if seminar.venue is None:
        return "Online"
    venue = seminar.venue
    parts = [venue.name, *venue.address.splitlines(), venue.city, venue.postcode]
    return one_line(", ".join(part.strip() for part in parts if part and part.strip()))


def seminar_event(seminar, *, programme=()):
    """One VEVENT. Its UID never changes; DTSTAMP and LAST-MODIFIED follow the seminar's last
    save, so an unchanged calendar is byte-for-byte the same (and answers 304 to a poll).

    Text goes in without control characters, and on one line where iCalendar wants one, so
    that odd text already stored (a line break in a title) never breaks a calendar."""
    event = icalendar.Event()
    host = urlsplit(settings.SITE_URL).hostname or "coproseries"
    event.add("uid", f"seminar-{seminar.pk}@{host}")
    event.add("dtstamp", seminar.updated_at)
    event.add("last-modified", seminar.updated_at)
    event.add("dtstart", timezone.localtime(seminar.starts_at, LONDON))
    event.add("dtend", timezone.localtime(seminar.ends_at, LONDON))
    event.add("summary", one_line(seminar.title))
    event.add("location", _location(seminar))
    event.add("url", f"{settings.SITE_URL}{seminar.get_absolute_url()}")
    event.add("description", _event_description(seminar, programme))
    event.add("status", "CANCELLED" if seminar.is_cancelled else "CONFIRMED")
    return event


def seminars_calendar(events, *, name):
    """A VCALENDAR holding `events`, with the Europe/London VTIMEZONE they refer to."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//coproseries//seminars//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", one_line(name))
    calendar.add("x-wr-timezone", "Europe/London")
    for event in events:
        calendar.add_component(event)
    if events:
        starts = [event.decoded("dtstart").date() for event in events]
        calendar.add_missing_timezones(
            first_date=min(starts) - dt.timedelta(days=1),
            last_date=max(starts) + dt.timedelta(days=400),
        )
    return calendar.to_ical()


def seminar_ics(seminar, *, programme=()):
    return seminars_calendar([seminar_event(seminar, programme=programme)], name=seminar.title)


_ATTACHMENTS = {}


def seminar_attachment_ics(seminar):
    """The seminar's .ics for emails, built once per version of the seminar in each process.

    Building it costs more than the rest of a registration; the key holds every value the
    file is made from, so an edited seminar gets a fresh file.
    """
    venue = seminar.venue
    key = (
        settings.SITE_URL,
        seminar.pk,
        seminar.slug,
        seminar.title,
        seminar.summary,
        seminar.starts_at,
        seminar.ends_at,
        seminar.status,
        venue and (venue.name, venue.address, venue.city, venue.postcode, venue.access_info),
    )
    cached = _ATTACHMENTS.get(key)
    if cached is None:
        if len(_ATTACHMENTS) >= 64:
            _ATTACHMENTS.clear()
        cached = _ATTACHMENTS[key] = seminar_ics(seminar)
    return cached
