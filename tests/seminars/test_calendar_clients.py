"""Our calendars as independent clients read them: Mozilla's ical.js (Thunderbird) and
vobject (Radicale), beside icalendar which writes them."""

import datetime as dt

import icalendar
import pytest
import vobject
from django.core import mail
from django.core.management import call_command

from seminars.calendar import LONDON
from seminars.models import Seminar
from seminars.services import registration_cancel, registration_create
from tests.clients.calendar_readers import ical_js_instants, read_with_ical_js, vobject_instants
from tests.clients.mail_readers import calendar_parts
from tests.factories import SeminarFactory, SeriesFactory, TalkFactory, VenueFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


# Both sides of both UK clock changes of 2027 (BST from 01:00 UTC on 28 March, GMT from
# 01:00 UTC on 31 October), a summer and a winter day, a seminar across the October change,
# and both 01:30s of 31 October: the first in BST (00:30 UTC), the repeated one in GMT.
MOMENTS = {
    "before-spring": (utc(2027, 3, 27, 10), utc(2027, 3, 27, 16)),
    "spring-day": (utc(2027, 3, 28, 9), utc(2027, 3, 28, 15)),
    "after-spring": (utc(2027, 3, 29, 9), utc(2027, 3, 29, 15)),
    "summer": (utc(2027, 7, 1, 9), utc(2027, 7, 1, 15, 30)),
    "before-autumn": (utc(2027, 10, 30, 9), utc(2027, 10, 30, 15)),
    "across-autumn": (utc(2027, 10, 30, 22), utc(2027, 10, 31, 3)),
    "first-half-past-one": (utc(2027, 10, 31, 0, 30), utc(2027, 10, 31, 0, 45)),
    "second-half-past-one": (utc(2027, 10, 31, 1, 30), utc(2027, 10, 31, 2, 30)),
    "autumn-day": (utc(2027, 10, 31, 10), utc(2027, 10, 31, 16)),
    "winter": (utc(2028, 1, 15, 10), utc(2028, 1, 15, 16)),
}


@pytest.fixture
def seminars_around_clock_changes():
    series = SeriesFactory()
    return {
        SeminarFactory(series=series, slug=slug, starts_at=starts, ends_at=ends).pk: (
            starts,
            ends,
        )
        for slug, (starts, ends) in MOMENTS.items()
    }


def expected_by_uid(seminars):
    return {f"seminar-{pk}@127.0.0.1": moments for pk, moments in seminars.items()}


@pytest.mark.parametrize("read", [ical_js_instants, vobject_instants], ids=["ical.js", "vobject"])
def test_calendar_feed_reads_back_at_the_right_instants_across_clock_changes(
    client, seminars_around_clock_changes, read
):
    response = client.get("/calendar.ics")

    assert read(response.content) == expected_by_uid(seminars_around_clock_changes)


@pytest.mark.parametrize("read", [ical_js_instants, vobject_instants], ids=["ical.js", "vobject"])
def test_each_seminar_calendar_reads_back_at_the_right_instant(
    client, seminars_around_clock_changes, read
):
    for slug, moments in MOMENTS.items():
        [instants] = read(client.get(f"/seminars/{slug}/calendar.ics").content).values()
        assert instants == moments, slug


def test_london_times_use_the_rule_based_zone_and_the_repeated_hour_is_in_utc(
    client, seminars_around_clock_changes
):
    calendar = icalendar.Calendar.from_ical(client.get("/calendar.ics").content)
    [zone] = calendar.walk("VTIMEZONE")
    starts = {
        str(event["url"]).rstrip("/").rsplit("/", 1)[1]: event["dtstart"].to_ical().decode()
        for event in calendar.walk("VEVENT")
    }

    assert [
        (str(onset["tzname"]), onset["rrule"].to_ical().decode()) for onset in zone.subcomponents
    ] == [("BST", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"), ("GMT", "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10")]
    assert "RDATE" not in [name for onset in zone.subcomponents for name in onset]
    # Both half past ones are written as the instants they are; every other time in London.
    assert starts["first-half-past-one"] == "20271031T003000Z"
    assert starts["second-half-past-one"] == "20271031T013000Z"
    assert starts["summer"] == "20270701T100000"
    assert starts["winter"] == "20280115T100000"


def test_calendar_events_name_organizer_sequence_and_the_feed_its_refresh(client, settings):
    settings.DEFAULT_FROM_EMAIL = "seminars@example.org"
    series = SeriesFactory(title="Re-imagining professionalism, together; again")
    seminar = SeminarFactory(series=series, slug="open-day", sequence=3)
    SeminarFactory(series=series, slug="other")

    feed = read_with_ical_js(client.get("/calendar.ics").content)
    single = read_with_ical_js(client.get("/seminars/open-day/calendar.ics").content)

    assert feed["method"] == "PUBLISH"
    assert feed["refresh_interval"] == "PT6H"
    assert feed["published_ttl"] == "PT6H"
    assert feed["timezones"] == ["Europe/London"]
    assert [
        (event["organizer"], event["organizer_name"], event["sequence"]) for event in feed["events"]
    ] == [
        ("mailto:seminars@example.org", "Re-imagining professionalism, together; again", 3),
        ("mailto:seminars@example.org", "Re-imagining professionalism, together; again", 0),
    ]
    assert [event["uid"] for event in single["events"]] == [f"seminar-{seminar.pk}@127.0.0.1"]
    assert single["refresh_interval"] is None


def test_calendar_name_with_commas_and_semicolons_is_escaped(client):
    SeminarFactory(slug="tricky", title="Care, power; and trust\\ a question")

    response = client.get("/seminars/tricky/calendar.ics")

    assert b"X-WR-CALNAME:Care\\, power\\; and trust\\\\ a question\r\n" in response.content
    # vobject reads X- properties as text, unescaped (ical.js leaves their value as written).
    calendar = vobject.readOne(response.content.decode())
    assert calendar.contents["x-wr-calname"][0].value == "Care, power; and trust\\ a question"


@pytest.mark.parametrize(
    ("address", "city", "postcode", "expected"),
    [
        (
            "University of Leeds\nWoodhouse Lane\nLeeds",
            "Leeds",
            "LS2 9JT",
            "Great Hall, University of Leeds, Woodhouse Lane, Leeds, LS2 9JT",
        ),
        (
            "Woodhouse Lane\nLeeds LS2 9JT",
            "Leeds",
            "LS2 9JT",
            "Great Hall, Woodhouse Lane, Leeds LS2 9JT",
        ),
        ("Woodhouse Lane", "Leeds", "", "Great Hall, Woodhouse Lane, Leeds"),
    ],
)
def test_calendar_location_names_the_town_once(client, address, city, postcode, expected):
    venue = VenueFactory(name="Great Hall", address=address, city=city, postcode=postcode)
    SeminarFactory(slug="here", venue=venue)

    [event] = read_with_ical_js(client.get("/seminars/here/calendar.ics").content)["events"]

    assert event["location"] == expected


# Emails


def calendar_part(message):
    [part] = calendar_parts(message)
    return part


def test_confirmation_calendar_carries_method_programme_and_reads_back_right(mail_queue):
    seminar = SeminarFactory(
        slug="summer-day", title="Summer day", starts_at=utc(2027, 7, 1, 9), sequence=2
    )
    TalkFactory(seminar=seminar, title="Opening", starts_at=utc(2027, 7, 1, 9, 15))

    registration_create(seminar=seminar, name="Sam Visitor", email="sam@example.org")
    call_command("send_mail", verbosity=0)

    [message] = mail.outbox
    part = calendar_part(message)
    assert part.get_params()[0] == ("text/calendar", "")
    assert part.get_param("method") == "PUBLISH"
    assert part.get_filename() == "summer-day.ics"
    ics = part.get_content().encode()
    [event] = read_with_ical_js(ics)["events"]
    assert event["start"] == "2027-07-01T09:00:00.000Z"
    assert event["sequence"] == 2
    assert event["status"] == "CONFIRMED"
    assert "10:15 Opening" in event["description"].splitlines()
    assert vobject_instants(ics) == {event["uid"]: (utc(2027, 7, 1, 9), utc(2027, 7, 1, 15))}


def test_own_cancellation_email_cancels_the_same_calendar_event(mail_queue):
    seminar = SeminarFactory(slug="leaving", starts_at=utc(2027, 10, 30, 9), sequence=1)
    registration = registration_create(seminar=seminar, name="Sam", email="sam@example.org")
    registration_cancel(registration=registration)
    call_command("send_mail", verbosity=0)

    confirmation, cancellation = mail.outbox
    held = read_with_ical_js(calendar_part(confirmation).get_content().encode())
    part = calendar_part(cancellation)
    cancel = read_with_ical_js(part.get_content().encode())

    assert part.get_param("method") == "CANCEL"
    assert (held["method"], cancel["method"]) == ("PUBLISH", "CANCEL")
    [held_event], [cancel_event] = held["events"], cancel["events"]
    assert cancel_event["uid"] == held_event["uid"] == f"seminar-{seminar.pk}@127.0.0.1"
    assert cancel_event["status"] == "CANCELLED"
    assert cancel_event["sequence"] >= held_event["sequence"] == 1
    assert cancel_event["organizer"] == held_event["organizer"]


def test_a_cancelled_seminar_is_cancelled_in_every_calendar(client):
    SeminarFactory(slug="off", status=Seminar.Status.CANCELLED)

    [event] = read_with_ical_js(client.get("/seminars/off/calendar.ics").content)["events"]

    assert event["status"] == "CANCELLED"


def london_changes(year):
    """The UTC instants London's clock changed in `year`, found from tzdata (zoneinfo)."""
    changes, moment = [], utc(year, 1, 1)
    while moment.year == year:
        later = moment + dt.timedelta(hours=1)
        if later.astimezone(LONDON).utcoffset() != moment.astimezone(LONDON).utcoffset():
            changes.append(later)
        moment = later
    return changes


def test_the_written_rules_agree_with_tzdata_for_years_to_come(client):
    series = SeriesFactory()
    expected = {}
    for year in range(2026, 2041):
        for change in london_changes(year):
            # Clear of the repeated hour, which is written in UTC: zone rules decide these.
            for hours in [-2, 1]:
                starts = change + dt.timedelta(hours=hours, minutes=15)
                seminar = SeminarFactory(
                    series=series, starts_at=starts, ends_at=starts + dt.timedelta(minutes=30)
                )
                expected[f"seminar-{seminar.pk}@127.0.0.1"] = (seminar.starts_at, seminar.ends_at)
    ics = client.get("/calendar.ics").content

    assert len(expected) == 15 * 2 * 2
    assert ical_js_instants(ics) == expected
    assert vobject_instants(ics) == expected
