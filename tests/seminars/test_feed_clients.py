"""Both Atom feeds against RFC 4287's required elements, read from the XML itself, and as
feedparser (the library behind most Python feed readers) reads them."""

import xml.etree.ElementTree as ET

import feedparser
import pytest

from tests.factories import PersonFactory, RecapFactory, SeminarFactory, SeriesFactory

pytestmark = pytest.mark.django_db

SITE_URL = "http://127.0.0.1:8000"
ATOM = {"atom": "http://www.w3.org/2005/Atom"}
FEEDS = ["/recaps/feed/", "/seminars/feed/"]


@pytest.fixture
def content():
    series = SeriesFactory(title="Re-imagining professionalism")
    seminar = SeminarFactory(series=series, slug="open-day", title="Open day")
    RecapFactory(seminar=seminar, slug="with-authors", authors=[PersonFactory(name="Ann Able")])
    RecapFactory(seminar=seminar, slug="by-nobody", authors=[])
    return series


def one(element, path):
    """The text of exactly one child at `path`, which must not be empty."""
    found = element.findall(path, ATOM)
    assert len(found) == 1, (path, len(found))
    assert (found[0].text or "").strip(), path
    return found[0].text


def authors(element):
    return [one(author, "atom:name") for author in element.findall("atom:author", ATOM)]


@pytest.mark.parametrize("url", FEEDS)
def test_feed_and_every_entry_have_rfc_4287_required_elements(client, content, url):
    root = ET.fromstring(client.get(url).content)

    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    one(root, "atom:id")
    one(root, "atom:title")
    one(root, "atom:updated")
    assert authors(root) == ["Re-imagining professionalism"]
    assert [link.get("rel") for link in root.findall("atom:link", ATOM)] == ["alternate", "self"]
    entries = root.findall("atom:entry", ATOM)
    assert entries
    for entry in entries:
        one(entry, "atom:id")
        one(entry, "atom:title")
        one(entry, "atom:updated")
        assert authors(entry), one(entry, "atom:id")
        assert [link.get("href") for link in entry.findall("atom:link", ATOM)] == [
            one(entry, "atom:id")
        ]


@pytest.mark.parametrize("url", FEEDS)
def test_feedparser_reads_the_series_as_author(client, content, url):
    feed = feedparser.parse(client.get(url).content, sanitize_html=False)

    assert feed.bozo is False, feed.get("bozo_exception")
    assert feed.feed.author == "Re-imagining professionalism"
    assert feed.feed.author_detail.href == f"{SITE_URL}/"
    assert all(entry.get("author") for entry in feed.entries)


def test_recap_entries_name_their_authors_or_the_series(client, content):
    feed = feedparser.parse(client.get("/recaps/feed/").content, sanitize_html=False)

    assert {entry.link: [author.name for author in entry.authors] for entry in feed.entries} == {
        f"{SITE_URL}/recaps/with-authors/": ["Ann Able"],
        f"{SITE_URL}/recaps/by-nobody/": ["Re-imagining professionalism"],
    }
