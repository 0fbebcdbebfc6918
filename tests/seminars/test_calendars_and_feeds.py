"""The subscribable outputs: iCalendar files and Atom feeds, read with the real parsers."""

import datetime as dt
import warnings

import feedparser
import icalendar
import pytest
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from django.utils import timezone

from seminars.models import Recap, Seminar
from tests.factories import (
    PersonFactory,
    RecapFactory,
    SeminarFactory,
    SeriesFactory,
    TalkFactory,
    VenueFactory,
    WorkshopFactory,
    london,
    seminars_with_programmes,
)

pytestmark = pytest.mark.django_db

SITE_URL = "http://127.0.0.1:8000"
SECRET_LINK = "https://meet.example.org/secret-room"


def calendar_events(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def events_by_uid(response):
    return {str(event["uid"]): event for event in calendar_events(response)}


def atom(response):
    assert response.status_code == 200, response.status_code
    # feedparser cleans HTML itself unless told not to: what the site sends is what is tested.
    feed = feedparser.parse(response.content, sanitize_html=False)
    assert feed.bozo is False, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def unfolded(response):
    """The .ics text with folded lines joined, so a value split across lines is still found."""
    return response.content.decode().replace("\r\n ", "")


@pytest.fixture
def series():
    return SeriesFactory(title="Re-imagining professionalism")


# iCalendar


def test_calendar_has_one_event_per_public_seminar_and_none_for_drafts(client, series):
    published = SeminarFactory(series=series, title="On", days_from_now=10)
    cancelled = SeminarFactory(series=series, title="Off", days_from_now=20, status="cancelled")
    SeminarFactory(series=series, title="Draft", days_from_now=15, status="draft")
    past = SeminarFactory(series=series, title="Last year", days_from_now=-365)

    events = events_by_uid(client.get("/calendar.ics"))

    assert {uid: str(event["summary"]) for uid, event in events.items()} == {
        f"seminar-{published.pk}@127.0.0.1": "On",
        f"seminar-{cancelled.pk}@127.0.0.1": "Off",
        f"seminar-{past.pk}@127.0.0.1": "Last year",
    }
    assert {uid: str(event["status"]) for uid, event in events.items()} == {
        f"seminar-{published.pk}@127.0.0.1": "CONFIRMED",
        f"seminar-{cancelled.pk}@127.0.0.1": "CANCELLED",
        f"seminar-{past.pk}@127.0.0.1": "CONFIRMED",
    }
    assert all("dtstamp" in event for event in events.values())


def test_calendar_uids_are_stable_across_requests_and_edits(client, series):
    seminar = SeminarFactory(series=series, title="Before")
    other = SeminarFactory(series=series)
    expected = {f"seminar-{seminar.pk}@127.0.0.1", f"seminar-{other.pk}@127.0.0.1"}

    assert set(events_by_uid(client.get("/calendar.ics"))) == expected
    assert set(events_by_uid(client.get("/calendar.ics"))) == expected

    seminar.title = "After"
    seminar.save()

    events = events_by_uid(client.get("/calendar.ics"))
    assert set(events) == expected
    assert str(events[f"seminar-{seminar.pk}@127.0.0.1"]["summary"]) == "After"


def test_calendar_times_are_london_times_across_bst_and_gmt(client, series):
    summer = SeminarFactory(
        series=series,
        starts_at=london(2031, 7, 1, 10),
        ends_at=london(2031, 7, 1, 16),
    )
    winter = SeminarFactory(
        series=series,
        starts_at=london(2031, 12, 1, 10),
        ends_at=london(2031, 12, 1, 16),
    )

    response = client.get("/calendar.ics")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = events_by_uid(response)
    summer_event = events[f"seminar-{summer.pk}@127.0.0.1"]
    winter_event = events[f"seminar-{winter.pk}@127.0.0.1"]

    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert summer_event["dtstart"].params["TZID"] == "Europe/London"
    assert summer_event["dtend"].params["TZID"] == "Europe/London"
    assert summer_event.decoded("dtstart") == london(2031, 7, 1, 10)
    assert summer_event.decoded("dtend") == london(2031, 7, 1, 16)
    # British Summer Time in July, Greenwich Mean Time in December.
    assert summer_event.decoded("dtstart").astimezone(dt.UTC) == dt.datetime(
        2031, 7, 1, 9, tzinfo=dt.UTC
    )
    assert winter_event.decoded("dtstart").astimezone(dt.UTC) == dt.datetime(
        2031, 12, 1, 10, tzinfo=dt.UTC
    )


def test_calendar_event_has_venue_address_url_and_programme(client, series):
    venue = VenueFactory(
        name="Great Hall",
        address="University of Leeds\nWoodhouse Lane",
        city="Leeds",
        postcode="LS2 9JT",
        access_info="Step-free entrance. Hearing loop.",
    )
    seminar = SeminarFactory(
        series=series,
        slug="power-and-care",
        summary="Who holds power in care.",
        starts_at=london(2031, 7, 1, 9, 30),
        ends_at=london(2031, 7, 1, 16),
        venue=venue,
    )
    ann = PersonFactory(name="Ann Able")
    bo = PersonFactory(name="Bo Bright")
    TalkFactory(
        seminar=seminar,
        title="Opening",
        starts_at=london(2031, 7, 1, 9, 45),
        ends_at=london(2031, 7, 1, 10, 30),
        speakers=[bo, ann],
    )
    WorkshopFactory(
        seminar=seminar,
        title="Mutuality",
        starts_at=london(2031, 7, 1, 11),
        ends_at=london(2031, 7, 1, 12, 30),
        facilitators=[PersonFactory(name="Cy Quiet", is_listed=False)],
    )
    TalkFactory(
        seminar=seminar,
        title="Closing",
        starts_at=london(2031, 7, 1, 14),
        ends_at=london(2031, 7, 1, 14, 30),
    )

    for url in ["/calendar.ics", "/seminars/power-and-care/calendar.ics"]:
        [event] = calendar_events(client.get(url))

        assert str(event["location"]) == (
            "Great Hall, University of Leeds, Woodhouse Lane, Leeds, LS2 9JT"
        )
        assert str(event["url"]) == f"{SITE_URL}/seminars/power-and-care/"
        assert str(event["description"]).splitlines() == [
            "Who holds power in care.",
            "",
            "Programme:",
            "09:45 Opening (Bo Bright, Ann Able)",
            "11:00 Mutuality (Cy Quiet)",
            "14:00 Closing",
            "",
            "Access: Step-free entrance. Hearing loop.",
            "",
            f"Details: {SITE_URL}/seminars/power-and-care/",
        ]


def test_calendar_online_seminar_says_online_and_never_carries_the_private_link(client, series):
    online = SeminarFactory(series=series, slug="online", venue=None, online_url=SECRET_LINK)
    SeminarFactory(series=series, slug="hybrid", online_url=f"{SECRET_LINK}-hybrid")

    events = events_by_uid(client.get("/calendar.ics"))

    assert str(events[f"seminar-{online.pk}@127.0.0.1"]["location"]) == "Online"
    for url in ["/calendar.ics", "/seminars/online/calendar.ics", "/seminars/hybrid/calendar.ics"]:
        assert "meet.example.org" not in unfolded(client.get(url))


def test_seminar_calendar_has_exactly_one_event(client, series):
    seminar = SeminarFactory(series=series, slug="just-this", title="Just this")
    SeminarFactory(series=series, title="Another")

    response = client.get("/seminars/just-this/calendar.ics")
    events = calendar_events(response)

    assert [str(event["uid"]) for event in events] == [f"seminar-{seminar.pk}@127.0.0.1"]
    assert [str(event["summary"]) for event in events] == ["Just this"]
    assert response["Content-Disposition"] == 'attachment; filename="just-this.ics"'


def test_seminar_calendar_of_a_draft_or_unknown_seminar_is_404(client, series):
    SeminarFactory(series=series, slug="secret", status=Seminar.Status.DRAFT)

    assert client.get("/seminars/secret/calendar.ics").status_code == 404
    assert client.get("/seminars/no-such/calendar.ics").status_code == 404


# Conditional GET


@pytest.mark.parametrize(
    "url",
    ["/calendar.ics", "/seminars/open-day/calendar.ics", "/recaps/feed/", "/seminars/feed/"],
)
def test_unchanged_calendar_or_feed_answers_304_to_its_etag(client, series, url):
    seminar = SeminarFactory(series=series, slug="open-day")
    RecapFactory(seminar=seminar, authors=[PersonFactory()])

    first = client.get(url)
    again = client.get(url, headers={"if-none-match": first["ETag"]})

    assert first.status_code == 200
    assert first.content != b""
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("url", ["/calendar.ics", "/seminars/open-day/calendar.ics"])
def test_calendar_etag_changes_when_the_seminar_is_edited(client, series, url):
    seminar = SeminarFactory(series=series, slug="open-day", title="Open day")
    old_etag = client.get(url)["ETag"]

    seminar.title = "Open day (new room)"
    seminar.save()
    response = client.get(url, headers={"if-none-match": old_etag})

    assert response.status_code == 200
    assert response["ETag"] != old_etag
    assert [str(event["summary"]) for event in calendar_events(response)] == ["Open day (new room)"]


# Recap feed


def test_recap_feed_lists_public_recaps_newest_first(client):
    now = timezone.now()
    SeriesFactory(title="Re-imagining professionalism in mental health", short_name="CoPro")
    RecapFactory(title="First", published_at=now - dt.timedelta(days=20))
    RecapFactory(title="Latest", published_at=now - dt.timedelta(days=2))
    RecapFactory(title="Middle", published_at=now - dt.timedelta(days=9))
    RecapFactory(title="Draft", status=Recap.Status.DRAFT)
    RecapFactory(title="Tomorrow", published_at=now + dt.timedelta(days=1))

    feed = atom(client.get("/recaps/feed/"))

    assert feed.feed.title == "Recaps · CoPro"
    assert feed.feed.link == f"{SITE_URL}/recaps/"
    assert [entry.title for entry in feed.entries] == ["Latest", "Middle", "First"]


def test_recap_feed_entry_has_sanitised_content_authors_dates_and_link(client):
    recap = RecapFactory(
        slug="leeds-recap",
        title="Leeds recap",
        summary="What we heard in Leeds.",
        body="**bold** <script>alert('x')</script>[bad](javascript:alert(1))",
        published_at=timezone.now() - dt.timedelta(days=3),
        # Stored without an order: a recap's authors come back in name order.
        authors=[PersonFactory(name="Zoe Zed"), PersonFactory(name="Amy Able")],
    )
    recap.refresh_from_db()

    response = client.get("/recaps/feed/")
    [entry] = atom(response).entries

    assert [author.name for author in recap.authors.all()] == ["Amy Able", "Zoe Zed"]
    assert [author.name for author in entry.authors] == ["Amy Able", "Zoe Zed"]
    assert [author.href for author in entry.authors] == [
        f"{SITE_URL}/people/amy-able/",
        f"{SITE_URL}/people/zoe-zed/",
    ]
    assert entry.content[0].type == "text/html"
    assert entry.content[0].value == (
        '<p><strong>bold</strong> <a rel="noopener noreferrer nofollow">bad</a></p>'
    )
    assert "alert" not in response.content.decode()
    assert "javascript" not in response.content.decode()
    assert entry.summary == "What we heard in Leeds."
    assert entry.published == recap.published_at.isoformat()
    assert entry.updated == recap.updated_at.isoformat()
    assert entry.link == f"{SITE_URL}/recaps/leeds-recap/"
    assert entry.id == f"{SITE_URL}/recaps/leeds-recap/"


# Upcoming seminar feed


def test_seminar_feed_lists_public_upcoming_seminars_soonest_first(client, series):
    SeminarFactory(series=series, title="In a month", slug="in-a-month", days_from_now=30)
    SeminarFactory(series=series, title="Next week", slug="next-week", days_from_now=7)
    SeminarFactory(
        series=series,
        title="Called off",
        slug="called-off",
        days_from_now=14,
        status=Seminar.Status.CANCELLED,
    )
    SeminarFactory(series=series, title="Last month", days_from_now=-30)
    SeminarFactory(series=series, title="Hidden draft", days_from_now=10, status="draft")

    feed = atom(client.get("/seminars/feed/"))

    assert feed.feed.link == f"{SITE_URL}/seminars/"
    assert [entry.title for entry in feed.entries] == [
        "Next week",
        "Cancelled: Called off",
        "In a month",
    ]
    assert [entry.link for entry in feed.entries] == [
        f"{SITE_URL}/seminars/next-week/",
        f"{SITE_URL}/seminars/called-off/",
        f"{SITE_URL}/seminars/in-a-month/",
    ]


def test_seminar_feed_entry_summary_gives_london_time_and_place(client, series):
    SeminarFactory(
        series=series,
        summary="Who holds power in care.",
        starts_at=london(2031, 7, 1, 10),
        ends_at=london(2031, 7, 1, 16),
        venue=VenueFactory(name="Great Hall", city="Leeds"),
    )
    SeminarFactory(
        series=series,
        summary="",
        starts_at=london(2031, 12, 1, 10),
        ends_at=london(2031, 12, 1, 12),
        venue=None,
    )

    feed = atom(client.get("/seminars/feed/"))

    assert [entry.summary for entry in feed.entries] == [
        "Tuesday 1 July 2031, 10:00 (UK time), Great Hall, Leeds. Who holds power in care.",
        "Monday 1 December 2031, 10:00 (UK time), Online.",
    ]


def test_seminar_feed_is_never_dated_in_the_future(client, series):
    # Upcoming seminars start in the future; the feed's date says when it last changed.
    SeminarFactory(series=series, starts_at=london(2031, 7, 1, 10), ends_at=london(2031, 7, 1, 16))

    feed = atom(client.get("/seminars/feed/"))

    assert dt.datetime.fromisoformat(feed.feed.updated) <= timezone.now()


# Query counts


@pytest.mark.parametrize("count", [1, 10])
def test_calendar_query_count_is_constant(client, series, django_assert_num_queries, count):
    seminars_with_programmes(count, series)
    with django_assert_num_queries(5):
        response = client.get("/calendar.ics")
    assert len(calendar_events(response)) == count


@pytest.mark.parametrize("count", [1, 10])
def test_recap_feed_query_count_is_constant(client, series, django_assert_num_queries, count):
    seminars_with_programmes(count, series)
    # The series' name comes from the cache (seminars/identity.py): no query for it.
    with django_assert_num_queries(2):
        response = client.get("/recaps/feed/")
    assert len(atom(response).entries) == count


@pytest.mark.parametrize("count", [1, 10])
def test_seminar_feed_query_count_is_constant(client, series, django_assert_num_queries, count):
    seminars_with_programmes(count, series)
    with django_assert_num_queries(1):
        response = client.get("/seminars/feed/")
    assert len(atom(response).entries) == count


@pytest.mark.parametrize("url", ["/recaps/feed/", "/seminars/feed/"])
def test_feeds_answer_conditional_requests_by_etag_not_by_date(client, url):
    RecapFactory(title="Only recap")
    SeminarFactory(title="Only seminar")

    response = client.get(url)

    assert response.has_header("ETag")
    assert not response.has_header("Last-Modified")


def _summaries_as_html(response):
    """Each entry's <summary type="html"> as the HTML a feed reader renders."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        feed = BeautifulSoup(response.content, "html.parser")
    return [summary.get_text() for summary in feed.find_all("summary")]


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/recaps/feed/", lambda summary: RecapFactory(summary=summary)),
        ("/seminars/feed/", lambda summary: SeminarFactory(summary=summary, venue=None)),
    ],
)
def test_feed_summary_is_plain_text_that_a_reader_shows_not_runs(client, url, make):
    make("Tea & <script>alert(1)</script>")

    [summary] = _summaries_as_html(client.get(url))

    assert "<script>" not in summary
    assert summary.endswith("Tea &amp; &lt;script&gt;alert(1)&lt;/script&gt;")


def test_feeds_drop_control_characters_instead_of_failing(client):
    seminar = SeminarFactory(title="Tea\x0bbreak", summary="Pasted\x1b text")
    RecapFactory(seminar=seminar, title="After\x08wards", summary="Short\x01 summary")

    recaps = client.get("/recaps/feed/")
    seminars = client.get("/seminars/feed/")

    assert (recaps.status_code, seminars.status_code) == (200, 200)
    assert [entry.title for entry in atom(recaps).entries] == ["Afterwards"]
    assert [entry.title for entry in atom(seminars).entries] == ["Teabreak"]
