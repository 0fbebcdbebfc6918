"""The calendars and feeds are visible on the pages, and what their links give is read by
the clients people would paste them into (ical.js for calendars, feedparser for feeds)."""

import feedparser
import pytest

from tests.clients.calendar_readers import read_with_ical_js
from tests.factories import RecapFactory, SeminarFactory, SeriesFactory
from tests.html import page, text

pytestmark = pytest.mark.django_db

SITE_URL = "http://127.0.0.1:8000"


@pytest.fixture
def seminar():
    seminar = SeminarFactory(series=SeriesFactory(), slug="open-day", title="Open day")
    RecapFactory(seminar=seminar, title="What we heard")
    return seminar


def test_seminar_page_links_its_calendar_file_visibly(client, seminar):
    soup = page(client.get("/seminars/open-day/"))

    [link] = soup.find_all("a", string="Add to your calendar (calendar file)")
    assert link["href"] == "/seminars/open-day/calendar.ics"
    [event] = read_with_ical_js(client.get(link["href"]).content)["events"]
    assert (event["uid"], event["summary"]) == (f"seminar-{seminar.pk}@127.0.0.1", "Open day")


@pytest.mark.parametrize("url", ["/", "/seminars/", "/recaps/"])
def test_lists_have_a_subscribe_area_whose_links_clients_read(client, seminar, url):
    soup = page(client.get(url))

    [heading] = soup.find_all("h2", string="Subscribe")
    links = {a.get_text(): a["href"] for a in heading.find_parent("section").find_all("a")}
    assert links == {
        "Every seminar in your calendar app": f"{SITE_URL}/calendar.ics",
        "Upcoming seminars": f"{SITE_URL}/seminars/feed/",
        "Recaps": f"{SITE_URL}/recaps/feed/",
        "New seminars by email": "/subscribe/",
    }
    assert (
        text(page(client.get(links["New seminars by email"])), "h1")
        == "Get emails about new seminars"
    )
    path = links["Every seminar in your calendar app"].removeprefix(SITE_URL)
    calendar = read_with_ical_js(client.get(path).content)
    assert [event["summary"] for event in calendar["events"]] == ["Open day"]
    seminars = feedparser.parse(client.get("/seminars/feed/").content)
    recaps = feedparser.parse(client.get("/recaps/feed/").content)
    assert [entry.title for entry in seminars.entries] == ["Open day"]
    assert [entry.title for entry in recaps.entries] == ["What we heard"]
