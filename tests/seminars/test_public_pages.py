import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from seminars.models import Break, Recap, Seminar
from tests.factories import (
    PersonFactory,
    RecapFactory,
    RegistrationFactory,
    SeminarFactory,
    SeriesFactory,
    TalkFactory,
    VenueFactory,
    WorkshopFactory,
    london,
    seminars_with_programmes,
)
from tests.html import links, page, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def series():
    return SeriesFactory(
        title="Re-imagining professionalism",
        strapline="Towards co-production",
        funder="A research council",
    )


def test_home_shows_series_next_seminar_upcoming_and_recaps(client, series):
    SeminarFactory(series=series, title="Soonest", days_from_now=7)
    SeminarFactory(series=series, title="Later", days_from_now=40)
    SeminarFactory(series=series, title="Cancelled soon", days_from_now=3, status="cancelled")
    SeminarFactory(series=series, title="Secret draft", days_from_now=5, status="draft")
    RecapFactory(title="Older recap", published_at=timezone.now() - dt.timedelta(days=9))
    RecapFactory(title="Newer recap", published_at=timezone.now() - dt.timedelta(days=2))
    RecapFactory(title="Draft recap", status=Recap.Status.DRAFT)

    soup = page(client.get("/"))

    assert text(soup, "h1") == "Re-imagining professionalism"
    assert text(soup, "#about-title + .lead-summary") == "Towards co-production"
    assert text(soup, "#next-title + div h3") == "Soonest"
    assert texts(soup, "section[aria-labelledby=upcoming-title] h3") == [
        "Cancelled soon Cancelled",
        "Later",
    ]
    assert texts(soup, "section[aria-labelledby=recaps-title] h3") == ["Newer recap", "Older recap"]


def test_home_puts_the_next_seminars_places_and_register_button_first(client, series):
    soonest = SeminarFactory(series=series, title="Soonest", days_from_now=7, capacity=30)
    RegistrationFactory(seminar=soonest)
    SeminarFactory(series=series, title="Later", days_from_now=40)

    soup = page(client.get("/"))

    assert [section["aria-labelledby"] for section in soup.select("main section")][:2] == [
        "next-title",
        "about-title",
    ]
    assert text(soup, "#next-availability") == "Registration is open: 29 places left."
    register = soup.select_one("#next-register")
    assert (text(soup, "#next-register"), register["href"]) == (
        "Register for Soonest",
        "/seminars/soonest/register/",
    )


def test_home_offers_the_waiting_list_of_a_full_next_seminar(client, series):
    full = SeminarFactory(series=series, title="Full", days_from_now=7, capacity=1)
    full.waitlist_enabled = True
    full.save()
    RegistrationFactory(seminar=full)

    soup = page(client.get("/"))

    assert (
        text(soup, "#next-availability") == "This seminar is full. You can join the waiting list."
    )
    assert text(soup, "#next-register") == "Join the waiting list for Full"


def test_home_without_any_seminar_says_so(client):
    soup = page(client.get("/"))

    assert text(soup, "h1") == "Co-production seminars"
    assert "No seminar is scheduled just now." in text(soup, "section[aria-labelledby=next-title]")


def test_seminar_list_upcoming_soonest_first_then_past_newest_first(client, series):
    for title, days in [("In a month", 30), ("Next week", 7), ("Last year", -365)]:
        SeminarFactory(series=series, title=title, days_from_now=days)
    SeminarFactory(series=series, title="Last month", days_from_now=-30)
    SeminarFactory(series=series, title="Hidden draft", days_from_now=10, status="draft")

    soup = page(client.get(reverse("seminars:seminar_list")))

    assert texts(soup, "section[aria-labelledby=upcoming-title] h3") == ["Next week", "In a month"]
    assert texts(soup, "section[aria-labelledby=past-title] h3") == ["Last month", "Last year"]


def test_seminar_detail_shows_london_time_venue_access_and_interleaved_programme(client, series):
    venue = VenueFactory(
        name="Great Hall",
        address="Woodhouse Lane",
        city="Leeds",
        postcode="LS2 9JT",
        access_info="Step-free entrance. Hearing loop.",
    )
    seminar = SeminarFactory(
        series=series,
        number=3,
        title="Power and care",
        slug="power-and-care",
        starts_at=london(2031, 7, 1, 9, 30),
        ends_at=london(2031, 7, 1, 16, 0),
        venue=venue,
        online_url="https://meet.example.org/secret-room",
    )
    ann = PersonFactory(name="Ann Able")
    bo = PersonFactory(name="Bo Bright")
    unlisted = PersonFactory(name="Cy Quiet", is_listed=False)
    TalkFactory(
        seminar=seminar,
        title="Opening",
        kind="keynote",
        starts_at=london(2031, 7, 1, 9, 45),
        ends_at=london(2031, 7, 1, 10, 30),
        speakers=[bo, ann],
        abstract="Why **power** matters.",
    )
    WorkshopFactory(
        seminar=seminar,
        title="Mutuality",
        starts_at=london(2031, 7, 1, 11, 0),
        ends_at=london(2031, 7, 1, 12, 30),
        facilitators=[unlisted],
    )
    TalkFactory(
        seminar=seminar,
        title="Closing",
        starts_at=london(2031, 7, 1, 14, 0),
        ends_at=london(2031, 7, 1, 14, 30),
        speakers=[ann],
    )

    soup = page(client.get("/seminars/power-and-care/"))

    assert text(soup, "h1") == "Power and care"
    # British Summer Time: 09:30 in London is 08:30 UTC.
    assert text(soup, "#when-title + p") == "Tuesday 1 July 2031, 09:30 to 16:00 (UK time)"
    assert soup.select_one("#when-title + p time")["datetime"] == "2031-07-01T09:30:00+01:00"
    assert text(soup, "address") == "Great Hall Woodhouse Lane Leeds LS2 9JT"
    assert text(soup, ".access-info") == "Access Step-free entrance. Hearing loop."
    assert texts(soup, ".programme h3") == ["Opening", "Mutuality", "Closing"]
    assert texts(soup, ".programme .time") == ["09:45 – 10:30", "11:00 – 12:30", "14:00 – 14:30"]
    # Each time straight after its heading: moving from heading to heading, one hears it next.
    assert texts(soup, ".programme h3 + p.time") == texts(soup, ".programme .time")
    assert texts(soup, ".programme .kind") == ["Keynote", "Workshop", "Talk"]
    assert links(soup, "#talk-opening") == [
        ("Bo Bright", "/people/bo-bright/"),
        ("Ann Able", "/people/ann-able/"),
    ]
    assert text(soup, "#talk-opening .prose") == "Why power matters."
    assert text(soup, "#workshop-mutuality p.mb-1") == "Facilitator: Cy Quiet"
    assert links(soup, "#workshop-mutuality") == []
    assert b"meet.example.org" not in client.get("/seminars/power-and-care/").content


def test_seminar_detail_in_winter_shows_gmt_times(client, series):
    SeminarFactory(
        series=series,
        slug="winter",
        starts_at=london(2016, 1, 5, 10),
        ends_at=london(2016, 1, 5, 16),
    )

    soup = page(client.get("/seminars/winter/"))

    assert text(soup, "#when-title + p") == "Tuesday 5 January 2016, 10:00 to 16:00 (UK time)"
    assert soup.select_one("#when-title + p time")["datetime"] == "2016-01-05T10:00:00+00:00"


def test_seminar_detail_online_only_says_link_is_sent_to_registrants(client, series):
    SeminarFactory(series=series, slug="online", venue=None, online_url="https://x.example/r")

    soup = page(client.get("/seminars/online/"))

    assert text(soup, "#when-title ~ p:last-of-type") == (
        "Online. The joining link is sent to people who register."
    )


def test_cancelled_seminar_says_so_prominently(client, series):
    SeminarFactory(series=series, slug="called-off", status=Seminar.Status.CANCELLED)

    soup = page(client.get("/seminars/called-off/"))

    assert text(soup, ".status-banner") == (
        "This seminar has been cancelled. It will not take place as planned."
    )


def test_seminar_detail_lists_only_published_recaps(client, series):
    seminar = SeminarFactory(series=series, slug="done", days_from_now=-10)
    writer = PersonFactory(name="Pat Writer")
    RecapFactory(seminar=seminar, title="What we heard", authors=[writer])
    RecapFactory(seminar=seminar, title="Not yet", status=Recap.Status.DRAFT)

    soup = page(client.get("/seminars/done/"))

    assert texts(soup, "section[aria-labelledby=recaps-title] h3") == ["What we heard"]
    assert ("Pat Writer", "/people/pat-writer/") in links(soup, "#recaps-title ~ ul")
    # Near the top, straight after the heading: the reason most people open a past seminar.
    recap_url = Recap.objects.get(title="What we heard").get_absolute_url()
    assert soup.select_one("h1").find_next_sibling()["id"] == "recap-links"
    assert links(soup, "#recap-links") == [("Read the recap", recap_url)]


def test_seminar_detail_names_each_of_several_recaps_near_the_top(client, series):
    seminar = SeminarFactory(series=series, slug="done", days_from_now=-10)
    RecapFactory(seminar=seminar, title="What we heard")
    RecapFactory(seminar=seminar, title="A second view")

    soup = page(client.get("/seminars/done/"))

    assert sorted(text for text, _ in links(soup, "#recap-links")) == [
        "Read the recap “A second view”",
        "Read the recap “What we heard”",
    ]


def test_upcoming_seminar_has_no_recap_links(client, series):
    SeminarFactory(series=series, slug="soon")

    assert page(client.get("/seminars/soon/")).select("#recap-links") == []


def test_draft_seminar_and_recap_answer_404_with_our_page(client, series):
    SeminarFactory(series=series, slug="draft-seminar", status=Seminar.Status.DRAFT)
    RecapFactory(slug="draft-recap", status=Recap.Status.DRAFT)

    for url in ["/seminars/draft-seminar/", "/recaps/draft-recap/", "/seminars/no-such/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()


def test_future_dated_recap_is_not_public_yet(client):
    RecapFactory(slug="tomorrow", published_at=timezone.now() + dt.timedelta(days=1))

    assert client.get("/recaps/tomorrow/").status_code == 404
    assert "No recaps have been published yet." in text(page(client.get("/recaps/")), "main")


def test_recap_list_newest_first_with_authors(client):
    ann = PersonFactory(name="Ann Able")
    RecapFactory(title="First", published_at=timezone.now() - dt.timedelta(days=20), authors=[ann])
    RecapFactory(title="Second", published_at=timezone.now() - dt.timedelta(days=2))

    soup = page(client.get("/recaps/"))

    assert text(soup, "h1") == "Recaps"
    assert texts(soup, ".card-list h2") == ["Second", "First"]
    assert ("Ann Able", "/people/ann-able/") in links(soup, ".card-list")


def test_recap_detail_renders_sanitised_markdown_and_links_seminar(client, series):
    seminar = SeminarFactory(series=series, title="Leeds", slug="leeds", days_from_now=-3)
    RecapFactory(
        seminar=seminar,
        slug="leeds-recap",
        title="Leeds recap",
        body="## What happened\n\nWe talked. <script>alert('x')</script>[bad](javascript:alert(1))",
        authors=[PersonFactory(name="Pam Writer")],
    )

    response = client.get("/recaps/leeds-recap/")
    soup = page(response)

    assert text(soup, "h1") == "Leeds recap"
    assert texts(soup, ".prose h2") == ["What happened"]
    assert soup.select(".prose script") == []
    assert b"javascript:" not in response.content
    assert ("Leeds", "/seminars/leeds/") in links(soup, "article")
    assert ("Pam Writer", "/people/pam-writer/") in links(soup, "article")


@pytest.mark.parametrize("count", [1, 10])
def test_home_query_count_is_constant(client, series, django_assert_num_queries, count):
    seminars_with_programmes(count, series)
    with django_assert_num_queries(4):
        client.get("/")


@pytest.mark.parametrize("count", [1, 10])
def test_seminar_list_query_count_is_constant(client, series, django_assert_num_queries, count):
    seminars_with_programmes(count, series)
    SeminarFactory(series=series, days_from_now=-10)
    with django_assert_num_queries(3):
        client.get("/seminars/")


@pytest.mark.parametrize("count", [1, 10])
def test_seminar_detail_query_count_is_constant(client, series, django_assert_num_queries, count):
    seminar = SeminarFactory(series=series, slug="big")
    for _ in range(count):
        people = [PersonFactory(), PersonFactory()]
        TalkFactory(seminar=seminar, speakers=people)
        WorkshopFactory(seminar=seminar, facilitators=people)
        RecapFactory(seminar=seminar, authors=people)
        Break.objects.create(
            seminar=seminar,
            starts_at=seminar.starts_at + dt.timedelta(minutes=45),
            ends_at=seminar.starts_at + dt.timedelta(minutes=60),
        )
    with django_assert_num_queries(8):
        client.get("/seminars/big/")


@pytest.mark.parametrize("count", [1, 10])
def test_recap_list_query_count_is_constant(client, series, django_assert_num_queries, count):
    seminars_with_programmes(count, series)
    with django_assert_num_queries(3):
        client.get("/recaps/")


@pytest.mark.parametrize("count", [1, 10])
def test_recap_detail_query_count_is_constant(client, django_assert_num_queries, count):
    RecapFactory(slug="r", authors=[PersonFactory() for _ in range(count)])
    with django_assert_num_queries(2):
        client.get("/recaps/r/")
