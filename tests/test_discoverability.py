"""What search engines and other sites read: JSON-LD, sitemap, robots.txt, link and meta tags."""

import datetime as dt
import json
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from seminars import services
from seminars.models import Recap, Seminar
from tests.factories import (
    PersonFactory,
    RecapFactory,
    SeminarFactory,
    SeriesFactory,
    TalkFactory,
    ThemeFactory,
    VenueFactory,
    WorkshopFactory,
    london,
)
from tests.html import page

pytestmark = pytest.mark.django_db

SITE_URL = "http://127.0.0.1:8000"
SECRET_LINK = "https://meet.example.org/secret-room"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
DEFAULT_IMAGE = f"{SITE_URL}/static/img/og-default.png"


def json_ld(response):
    [script] = page(response).select('script[type="application/ld+json"]')
    return json.loads(script.string)


def meta(soup, attribute, name):
    [element] = soup.select(f'meta[{attribute}="{name}"]')
    return element["content"]


@pytest.fixture
def series():
    return SeriesFactory(title="Re-imagining professionalism")


@pytest.fixture
def great_hall():
    return VenueFactory(
        name="Great Hall",
        address="University of Leeds\nWoodhouse Lane",
        city="Leeds",
        postcode="LS2 9JT",
    )


GREAT_HALL_PLACE = {
    "@type": "Place",
    "name": "Great Hall",
    "address": {
        "@type": "PostalAddress",
        "streetAddress": "University of Leeds, Woodhouse Lane",
        "addressLocality": "Leeds",
        "postalCode": "LS2 9JT",
        "addressCountry": "GB",
    },
}


# Feeds and calendar linked from every page


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/seminars/",
        "/seminars/open-day/",
        "/people/",
        "/people/ann-able/",
        "/recaps/",
        "/recaps/open-day-recap/",
        "/privacy/",
        "/voices/",
    ],
)
def test_every_public_page_links_the_feeds_and_the_calendar(client, series, url):
    seminar = SeminarFactory(series=series, slug="open-day")
    RecapFactory(seminar=seminar, slug="open-day-recap", authors=[PersonFactory(name="Ann Able")])

    soup = page(client.get(url))

    assert [(link["type"], link["href"]) for link in soup.select("link[rel=alternate]")] == [
        ("application/atom+xml", "/recaps/feed/"),
        ("application/atom+xml", "/seminars/feed/"),
        ("text/calendar", "/calendar.ics"),
    ]


# JSON-LD: Event


def test_seminar_page_describes_the_event_in_json_ld(client, series, great_hall):
    seminar = SeminarFactory(
        series=series,
        title="Power and care",
        slug="power-and-care",
        summary="Who holds power in care.",
        starts_at=london(2031, 7, 1, 10),
        ends_at=london(2031, 7, 1, 16),
        venue=great_hall,
    )
    ann = PersonFactory(name="Ann Able")
    bo = PersonFactory(name="Bo Bright")
    TalkFactory(
        seminar=seminar,
        title="Opening",
        starts_at=london(2031, 7, 1, 10),
        ends_at=london(2031, 7, 1, 10, 45),
        speakers=[bo, ann],
    )
    WorkshopFactory(
        seminar=seminar,
        starts_at=london(2031, 7, 1, 11),
        ends_at=london(2031, 7, 1, 12),
        facilitators=[PersonFactory(name="Cy Quiet", is_listed=False), bo],
    )
    TalkFactory(
        seminar=seminar,
        starts_at=london(2031, 7, 1, 14),
        ends_at=london(2031, 7, 1, 15),
        speakers=[ann],
    )

    data = json_ld(client.get("/seminars/power-and-care/"))

    assert data == {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "Power and care",
        "description": "Who holds power in care.",
        "url": f"{SITE_URL}/seminars/power-and-care/",
        "image": [DEFAULT_IMAGE],
        # British Summer Time.
        "startDate": "2031-07-01T10:00:00+01:00",
        "endDate": "2031-07-01T16:00:00+01:00",
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": GREAT_HALL_PLACE,
        # Programme order, each person once; an unlisted person has no page to link.
        "performer": [
            {"@type": "Person", "name": "Bo Bright", "url": f"{SITE_URL}/people/bo-bright/"},
            {"@type": "Person", "name": "Ann Able", "url": f"{SITE_URL}/people/ann-able/"},
            {"@type": "Person", "name": "Cy Quiet"},
        ],
        "organizer": {
            "@type": "Organization",
            "name": "Re-imagining professionalism",
            "url": f"{SITE_URL}/",
        },
        "isAccessibleForFree": True,
        "offers": {
            "@type": "Offer",
            "price": 0,
            "priceCurrency": "GBP",
            "availability": "https://schema.org/InStock",
            "url": f"{SITE_URL}/seminars/power-and-care/",
        },
    }


def test_seminar_json_ld_gives_gmt_times_in_winter(client, series):
    SeminarFactory(
        series=series,
        slug="winter",
        starts_at=london(2031, 12, 1, 10),
        ends_at=london(2031, 12, 1, 16),
    )

    data = json_ld(client.get("/seminars/winter/"))

    assert (data["startDate"], data["endDate"]) == (
        "2031-12-01T10:00:00+00:00",
        "2031-12-01T16:00:00+00:00",
    )


def test_cancelled_seminar_json_ld_says_cancelled(client, series):
    SeminarFactory(series=series, slug="called-off", status=Seminar.Status.CANCELLED)

    data = json_ld(client.get("/seminars/called-off/"))

    assert data["eventStatus"] == "https://schema.org/EventCancelled"


@pytest.mark.parametrize(
    ("in_person", "online_url", "mode", "location"),
    [
        (True, "", "Offline", GREAT_HALL_PLACE),
        (
            False,
            SECRET_LINK,
            "Online",
            {"@type": "VirtualLocation", "url": f"{SITE_URL}/seminars/where/"},
        ),
        (
            True,
            SECRET_LINK,
            "Mixed",
            [GREAT_HALL_PLACE, {"@type": "VirtualLocation", "url": f"{SITE_URL}/seminars/where/"}],
        ),
    ],
    ids=["venue", "online", "hybrid"],
)
def test_seminar_json_ld_attendance_mode_and_location(
    client, series, great_hall, in_person, online_url, mode, location
):
    SeminarFactory(
        series=series,
        slug="where",
        venue=great_hall if in_person else None,
        online_url=online_url,
    )

    response = client.get("/seminars/where/")
    data = json_ld(response)

    assert data["eventAttendanceMode"] == f"https://schema.org/{mode}EventAttendanceMode"
    assert data["location"] == location
    # The joining link is private: not in the JSON-LD, not anywhere on the page.
    assert "meet.example.org" not in response.content.decode()


@pytest.mark.parametrize(
    ("capacity", "registrations", "availability"),
    [
        (None, 0, "InStock"),
        (6, 0, "InStock"),
        (6, 1, "LimitedAvailability"),
        (2, 0, "LimitedAvailability"),
        (2, 1, "LimitedAvailability"),
        (2, 2, "SoldOut"),
    ],
)
def test_seminar_json_ld_offer_is_free_with_availability_from_capacity(
    client, series, capacity, registrations, availability
):
    seminar = SeminarFactory(series=series, slug="places", capacity=capacity)
    for number in range(registrations):
        services.registration_create(
            seminar=seminar, name=f"Registrant {number}", email=f"r{number}@example.org"
        )

    offer = json_ld(client.get("/seminars/places/"))["offers"]

    assert (offer["price"], offer["priceCurrency"]) == (0, "GBP")
    assert offer["availability"] == f"https://schema.org/{availability}"


# JSON-LD: Article


def test_recap_page_describes_the_article_in_json_ld(client, series):
    seminar = SeminarFactory(
        series=series,
        title="Power and care",
        slug="power-and-care",
        starts_at=london(2025, 7, 1, 10),
        ends_at=london(2025, 7, 1, 16),
    )
    recap = RecapFactory(
        seminar=seminar,
        title="What we heard",
        slug="what-we-heard",
        summary="Notes from Leeds.",
        published_at=london(2025, 7, 3, 9, 30),
        authors=[PersonFactory(name="Zoe Zed"), PersonFactory(name="Amy Able", is_listed=False)],
    )
    recap.refresh_from_db()

    data = json_ld(client.get("/recaps/what-we-heard/"))

    assert data == {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": "What we heard",
        "description": "Notes from Leeds.",
        "url": f"{SITE_URL}/recaps/what-we-heard/",
        "datePublished": "2025-07-03T09:30:00+01:00",
        "dateModified": timezone.localtime(recap.updated_at).isoformat(),
        "author": [
            {"@type": "Person", "name": "Amy Able"},
            {"@type": "Person", "name": "Zoe Zed", "url": f"{SITE_URL}/people/zoe-zed/"},
        ],
        "publisher": {
            "@type": "Organization",
            "name": "Re-imagining professionalism",
            "url": f"{SITE_URL}/",
        },
        "about": {
            "@type": "Event",
            "name": "Power and care",
            "url": f"{SITE_URL}/seminars/power-and-care/",
        },
    }


def test_recap_json_ld_says_nothing_about_a_draft_seminar(client, series):
    seminar = SeminarFactory(series=series, title="Not announced", status=Seminar.Status.DRAFT)
    RecapFactory(seminar=seminar, slug="early")

    response = client.get("/recaps/early/")

    assert "about" not in json_ld(response)
    assert "Not announced" not in response.content.decode()


# Sitemap and robots.txt


def sitemap_paths(response):
    assert response.status_code == 200, response.status_code
    root = ET.fromstring(response.content)
    return {urlsplit(loc.text).path for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)}


def test_sitemap_lists_pages_public_seminars_people_recaps_and_themes(client, series):
    SeminarFactory(series=series, slug="on")
    SeminarFactory(series=series, slug="off", status=Seminar.Status.CANCELLED)
    SeminarFactory(series=series, slug="draft", status=Seminar.Status.DRAFT)
    PersonFactory(slug="listed")
    PersonFactory(slug="unlisted", is_listed=False)
    RecapFactory(seminar=None, slug="out")
    RecapFactory(seminar=None, slug="draft-recap", status=Recap.Status.DRAFT)
    RecapFactory(seminar=None, slug="tomorrow", published_at=timezone.now() + dt.timedelta(days=1))
    SeminarFactory(series=series, slug="tagged", themes=[ThemeFactory(slug="spoken-of")])
    SeminarFactory(
        series=series, status=Seminar.Status.DRAFT, themes=[ThemeFactory(slug="only-in-drafts")]
    )
    ThemeFactory(slug="unused")

    assert sitemap_paths(client.get("/sitemap.xml")) == {
        "/",
        "/seminars/",
        "/people/",
        "/recaps/",
        "/themes/",
        "/privacy/",
        "/accessibility/",
        "/glossary/",
        "/voices/",
        "/seminars/on/",
        "/seminars/off/",
        "/seminars/tagged/",
        "/people/listed/",
        "/recaps/out/",
        "/themes/spoken-of/",
    }


@pytest.mark.parametrize("count", [1, 10])
def test_sitemap_query_count_is_constant(client, series, django_assert_num_queries, count):
    for _ in range(count):
        RecapFactory(
            seminar=SeminarFactory(series=series),
            authors=[PersonFactory()],
            themes=[ThemeFactory()],
        )
    with django_assert_num_queries(8):
        response = client.get("/sitemap.xml")
    assert len(sitemap_paths(response)) == 9 + 4 * count


def test_robots_txt_disallows_private_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "User-agent: *\n"
        "Disallow: /admin/\n"
        "Disallow: /accounts/\n"
        "Disallow: /profile/\n"
        "Disallow: /registrations/\n"
        "Disallow: /subscriptions/\n"
        "Disallow: /seminars/*/register/\n"
        "Disallow: /search/\n"
        f"Sitemap: {SITE_URL}/sitemap.xml\n"
    )


# Canonical link and social cards


def test_seminar_page_has_canonical_link_and_social_card(client, series):
    SeminarFactory(series=series, title="Power and care", slug="power-and-care")

    soup = page(client.get("/seminars/power-and-care/"))

    assert [link["href"] for link in soup.select("link[rel=canonical]")] == [
        f"{SITE_URL}/seminars/power-and-care/"
    ]
    assert meta(soup, "property", "og:title") == "Power and care"
    assert meta(soup, "property", "og:url") == f"{SITE_URL}/seminars/power-and-care/"
    assert meta(soup, "property", "og:image") == DEFAULT_IMAGE
    assert meta(soup, "name", "twitter:card") == "summary_large_image"


def test_person_page_without_a_photo_has_the_default_image(client):
    PersonFactory(name="Ann Able")

    soup = page(client.get("/people/ann-able/"))

    assert [link["href"] for link in soup.select("link[rel=canonical]")] == [
        f"{SITE_URL}/people/ann-able/"
    ]
    assert meta(soup, "property", "og:title") == "Ann Able"
    assert meta(soup, "property", "og:image") == DEFAULT_IMAGE
    assert meta(soup, "name", "twitter:card") == "summary_large_image"
