"""iCalendar for seminars: one builder for the .ics pages, the subscribable feed and emails.

Every client reads what is written here (checked with ical.js and vobject in the tests):
- Times are London times with a rule-based Europe/London VTIMEZONE (the yearly RRULEs that
  tzdata itself uses), except a time the clock shows twice (the hour repeated when summer
  time ends), which is written in UTC so that no client has to guess which one is meant.
- Every event names its ORGANIZER (the series, at the address emails come from) and its
  SEQUENCE (`Seminar.sequence`, raised whenever registrants are told of a change), as
  RFC 5546 asks of every scheduling message.
"""

import datetime as dt
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from coproseries.text import one_line, printable_lines

LONDON = ZoneInfo("Europe/London")
METHODS = {"PUBLISH", "REQUEST", "CANCEL"}
# How often a subscribed calendar app should look again (REFRESH-INTERVAL, RFC 7986, and
# Outlook's X-PUBLISHED-TTL). Polls of an unchanged feed cost a 304.
REFRESH_INTERVAL = dt.timedelta(hours=6)


def london_timezone():
    """Europe/London as the rules UK clocks follow (since 1996): British Summer Time from
    01:00 UTC on the last Sunday of March, Greenwich Mean Time from 01:00 UTC on the last
    Sunday of October. DTSTART is the local time each onset is written in."""
    zone = icalendar.Timezone()
    zone.add("tzid", "Europe/London")
    zone.add("x-lic-location", "Europe/London")
    for kind, name, offset_from, offset_to, start, month in [
        (icalendar.TimezoneDaylight, "BST", 0, 1, dt.datetime(1996, 3, 31, 1), 3),
        (icalendar.TimezoneStandard, "GMT", 1, 0, dt.datetime(1996, 10, 27, 2), 10),
    ]:
        onset = kind()
        onset.add("tzname", name)
        onset.add("tzoffsetfrom", dt.timedelta(hours=offset_from))
        onset.add("tzoffsetto", dt.timedelta(hours=offset_to))
        onset.add("dtstart", start)
        onset.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(onset)
    return zone


def calendar_time(moment):
    """A moment as London time, or in UTC when London's clock shows that time twice."""
    local = timezone.localtime(moment, LONDON)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return moment.astimezone(dt.UTC)
    return local


def organiser_address():
    """The series' address: where emails come from, and the ORGANIZER of every event."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


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
    lines = [line.strip() for line in venue.address.splitlines() if line.strip()]
    city, postcode = venue.city.strip(), venue.postcode.strip()
    # Addresses are often typed with the town and postcode as their last lines already
    # ("Leeds", "Leeds LS2 9JT"): a line that is the town, once any postcode is taken out.
    squashed = [" ".join(line.casefold().split()) for line in lines]
    has_postcode = bool(postcode) and any(
        " ".join(postcode.casefold().split()) in line for line in squashed
    )
    bare = [
        line.replace(" ".join(postcode.casefold().split()), "").strip(" ,") if postcode else line
        for line in squashed
    ]
    parts = [venue.name, *lines]
    if city and city.casefold() not in bare:
        parts.append(city)
    if postcode and not has_postcode:
        parts.append(postcode)
    return one_line(", ".join(part for part in parts if part))


def seminar_event(seminar, *, programme=(), method="PUBLISH", attendee=None, dtstamp=None):
    """One VEVENT. Its UID never changes.

    By default DTSTAMP and LAST-MODIFIED follow the seminar's last save, so an unchanged
    calendar is byte-for-byte the same (and answers 304 to a poll); an email passes the
    moment it is written as `dtstamp`, which orders its message after earlier ones of the
    same SEQUENCE (RFC 5546 §2.1.5). `attendee` (an email address) names the one person a
    REQUEST or CANCEL is about. CANCEL marks the event cancelled.

    Text goes in without control characters, and on one line where iCalendar wants one, so
    that odd text already stored (a line break in a title) never breaks a calendar.
    """
    if method not in METHODS:
        raise ValueError(f"Unknown iTIP method {method!r}.")
    event = icalendar.Event()
    host = urlsplit(settings.SITE_URL).hostname or "coproseries"
    event.add("uid", f"seminar-{seminar.pk}@{host}")
    event.add("dtstamp", dtstamp or seminar.updated_at)
    event.add("last-modified", seminar.updated_at)
    event.add("sequence", seminar.sequence)
    event.add(
        "organizer",
        f"mailto:{organiser_address()}",
        parameters={"CN": settings.DEFAULT_FROM_NAME or seminar.series.title},
    )
    if attendee:
        event.add("attendee", f"mailto:{attendee}", parameters={"ROLE": "REQ-PARTICIPANT"})
    event.add("dtstart", calendar_time(seminar.starts_at))
    event.add("dtend", calendar_time(seminar.ends_at))
    event.add("summary", one_line(seminar.title))
    event.add("location", _location(seminar))
    event.add("url", f"{settings.SITE_URL}{seminar.get_absolute_url()}")
    event.add("description", _event_description(seminar, programme))
    cancelled = seminar.is_cancelled or method == "CANCEL"
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _calendar(*, name, method, refresh, with_timezone):
    if method not in METHODS:
        raise ValueError(f"Unknown iTIP method {method!r}.")
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//coproseries//seminars//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", icalendar.vText(one_line(name)))
    calendar.add("x-wr-timezone", "Europe/London")
    if refresh:
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL))
    if with_timezone:
        calendar.add_component(london_timezone())
    return calendar


def seminars_calendar(events, *, name, method="PUBLISH", refresh=False):
    """A VCALENDAR holding `events` and the Europe/London VTIMEZONE they refer to, as bytes.

    `refresh` adds the polling interval a subscribed calendar app should keep.
    """
    calendar = _calendar(name=name, method=method, refresh=refresh, with_timezone=bool(events))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


_END = b"END:VCALENDAR\r\n"


def seminars_calendar_written(events, *, name, refresh=False):
    """`seminars_calendar` of events already written (each `event.to_ical()`, which the page
    cache keeps seminar by seminar): the same bytes."""
    calendar = _calendar(name=name, method="PUBLISH", refresh=refresh, with_timezone=bool(events))
    written = calendar.to_ical()
    return written[: -len(_END)] + b"".join(events) + _END


def seminar_ics(seminar, *, programme=(), method="PUBLISH", attendee=None, dtstamp=None):
    """One seminar's calendar, as bytes: its page's .ics and the emails' attachment."""
    event = seminar_event(
        seminar, programme=programme, method=method, attendee=attendee, dtstamp=dtstamp
    )
    return seminars_calendar([event], name=seminar.title, method=method)
