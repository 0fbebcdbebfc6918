"""Who runs the series and how to reach them: header, titles, footer, emails, error pages."""

import json

import feedparser
import icalendar
import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from coproseries.health import DatabaseUnavailableMiddleware
from people.services import person_invite
from tests.factories import (
    PersonFactory,
    RecapFactory,
    SeminarFactory,
    SeriesFactory,
    UserFactory,
)
from tests.html import links, page, page_with_status, text
from tests.seminars.test_registration import form_data

pytestmark = pytest.mark.django_db

CONTACT = "Contact the organisers: organisers@example.org, phone 0113 496 0000."


def footer_contact(soup):
    return soup.select_one("footer p:last-child").get_text()


@pytest.fixture
def series():
    return SeriesFactory(
        title="Re-imagining professionalism in mental health",
        short_name="Co-production in mental health",
        contact_email="organisers@example.org",
        contact_phone="0113 496 0000",
    )


def test_every_page_names_the_series_and_its_organisers_contact(client, series):
    SeminarFactory(series=series, slug="open", title="An open seminar")

    for url in ["/", "/seminars/open/", "/people/", "/privacy/"]:
        soup = page(client.get(url))
        assert text(soup, ".site-name") == "Co-production in mental health"
        assert text(soup, "title").endswith(" · Co-production in mental health")
        assert footer_contact(soup) == CONTACT
        assert soup.select_one("footer a[href='mailto:organisers@example.org']")


def test_a_series_without_a_short_name_uses_its_title_and_the_site_address(
    client, settings, series
):
    settings.ORGANISERS_EMAIL = "seminars@example.org"
    series.short_name, series.contact_email, series.contact_phone = "", "", ""
    series.save()

    soup = page(client.get("/"))

    assert text(soup, ".site-name") == "Re-imagining professionalism in mental health"
    assert footer_contact(soup) == ("Contact the organisers: seminars@example.org.")


def test_an_edited_series_shows_at_once_and_pages_cost_no_query_for_it(client, series):
    client.get("/privacy/")
    series.short_name = "CoPro"
    series.save()

    with CaptureQueriesContext(connection) as warm:
        soup = page(client.get("/privacy/"))
    cache.clear()  # as if the cache had lost everything: one query reads the series again
    with CaptureQueriesContext(connection) as cold:
        client.get("/privacy/")

    assert text(soup, ".site-name") == "CoPro"
    # ... and one the next moment a page changes by itself, which the page cache keeps too.
    assert len(cold) == len(warm) + 2


def test_without_a_series_the_settings_name_the_site(client, settings):
    settings.SITE_NAME = "Seminars on co-production"
    settings.ORGANISERS_EMAIL = "team@example.org"

    soup = page(client.get("/privacy/"))

    assert text(soup, ".site-name") == "Seminars on co-production"
    assert footer_contact(soup) == "Contact the organisers: team@example.org."


def test_every_email_has_the_organisers_as_reply_to(client, series, mail_queue):
    seminar = SeminarFactory(series=series, slug="open", capacity=10)

    client.post(f"/seminars/{seminar.slug}/register/", form_data())
    call_command("send_mail", verbosity=0)

    (email,) = mail.outbox
    assert email.reply_to == ["organisers@example.org"]
    assert email.message()["Reply-To"] == "organisers@example.org"


def test_an_unknown_private_link_names_the_organisers(client, series):
    response = client.get("/registrations/no-such-token/")

    soup = (
        page(response)
        if response.status_code == 200
        else BeautifulSoup(response.content, "html.parser")
    )
    assert response.status_code == 404
    assert "write to the organisers at organisers@example.org" in text(soup, "main")


def test_the_server_error_page_names_the_series_from_the_cache_without_the_database(
    settings, django_assert_num_queries, series
):
    settings.SITE_NAME = "Seminars on co-production"
    settings.ORGANISERS_EMAIL = "team@example.org"
    handler = get_resolver().resolve_error_handler(500)

    with django_assert_num_queries(0):
        response = handler(RequestFactory().get("/"))

    soup = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 500
    assert text(soup, ".site-name") == "Co-production in mental health"
    assert "write to the organisers at organisers@example.org" in text(soup, "main")


def refuse_every_query(execute, sql, params, many, context):
    raise OperationalError("the database is away")


def test_the_server_error_page_uses_the_settings_when_neither_cache_nor_database_answers(
    settings, series
):
    """The site's own default cache is the database: with the database away, reading the
    cached series fails too, and the page still renders, from settings alone."""
    settings.SITE_NAME = "Seminars on co-production"
    settings.ORGANISERS_EMAIL = "team@example.org"
    settings.CACHES = {**settings.CACHES, "default": settings.CACHES["database"]}
    series.save()  # the series' identity is now in the database cache
    handler = get_resolver().resolve_error_handler(500)
    with_database = BeautifulSoup(handler(RequestFactory().get("/")).content, "html.parser")

    with connection.execute_wrapper(refuse_every_query):
        response = handler(RequestFactory().get("/"))

    assert text(with_database, ".site-name") == "Co-production in mental health"

    soup = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 500
    assert text(soup, ".site-name") == "Seminars on co-production"
    assert "write to the organisers at team@example.org" in text(soup, "main")


def test_the_database_unavailable_page_names_the_series_from_settings_alone(
    settings, django_assert_num_queries, series
):
    settings.SITE_NAME = "Seminars on co-production"
    cache.clear()  # nothing cached: reading the series would need the database
    middleware = DatabaseUnavailableMiddleware(lambda request: None)

    with django_assert_num_queries(0):
        response = middleware.process_exception(RequestFactory().get("/"), OperationalError())

    soup = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 503
    assert text(soup, ".site-name") == "Seminars on co-production"


# Every page that says something went wrong, or that a link no longer works, names them.

HELP = "If you need help, write to the organisers at organisers@example.org or phone 0113 496 0000."


@pytest.mark.parametrize(
    ("status", "heading"),
    [(400, "Something was wrong with the request"), (403, "You cannot see this page")],
)
def test_bad_request_and_forbidden_pages_name_the_organisers(series, status, heading):
    handler = get_resolver().resolve_error_handler(status)

    response = handler(RequestFactory().get("/"), exception=Exception("refused"))

    soup = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == status
    assert text(soup, "h1") == heading
    assert text(soup, "#organisers-help") == HELP
    assert footer_contact(soup) == CONTACT


def test_an_expired_form_names_the_organisers(series):
    seminar = SeminarFactory(series=series, slug="open", capacity=10)

    response = Client(enforce_csrf_checks=True).post(
        f"/seminars/{seminar.slug}/register/", form_data()
    )

    soup = page_with_status(response, 403)
    assert text(soup, "h1") == "This form has expired"
    assert text(soup, "#organisers-help") == HELP


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/accounts/password/reset/MQ/not-a-token/", 200),
        ("/accounts/invitation/MQ/not-a-token/", 200),
        ("/subscriptions/no-such-token/confirm/", 404),
        ("/subscriptions/no-such-token/unsubscribe/", 404),
    ],
)
def test_a_link_that_no_longer_works_names_the_organisers(client, series, url, status):
    response = client.get(url, follow=True)

    assert text(page_with_status(response, status), "#organisers-help") == HELP


def test_the_too_many_registrations_page_names_the_organisers(client, settings, series):
    settings.REGISTRATION_RATE_LIMIT = 0
    seminar = SeminarFactory(series=series, slug="open", capacity=10)

    response = client.post(f"/seminars/{seminar.slug}/register/", form_data())

    assert text(page_with_status(response, 429), "#organisers-help") == HELP


def test_the_too_many_logins_page_names_the_series_contact(client, settings, series):
    settings.DEFAULT_FROM_EMAIL = "Seminars <no-reply@example.org>"
    settings.LOGIN_RATE_LIMIT = 0

    response = client.post("/accounts/login/", {"username": "ann@example.org", "password": "x"})

    soup = page_with_status(response, 429)
    assert ("organisers@example.org", "mailto:organisers@example.org") in links(
        soup, "#limit-advice"
    )


# The series' name, not the software's, wherever the site names itself.


def test_feeds_calendar_and_structured_data_use_the_series_name(client, series):
    seminar = SeminarFactory(series=series, slug="open")
    RecapFactory(seminar=seminar, slug="what-we-heard")

    recaps = feedparser.parse(client.get("/recaps/feed/").content)
    seminars = feedparser.parse(client.get("/seminars/feed/").content)
    calendar = icalendar.Calendar.from_ical(client.get("/calendar.ics").content)
    soup = page(client.get("/recaps/what-we-heard/"))
    article = json.loads(soup.select_one("script[type='application/ld+json']").string)

    assert (recaps.feed.title, recaps.feed.author) == (
        "Recaps · Co-production in mental health",
        "Co-production in mental health",
    )
    assert seminars.feed.title == "Upcoming seminars · Co-production in mental health"
    assert str(calendar["X-WR-CALNAME"]) == "Co-production in mental health"
    assert article["publisher"]["name"] == "Co-production in mental health"


def test_no_public_page_calls_the_site_coproseries(client, series):
    seminar = SeminarFactory(series=series, slug="open")
    RecapFactory(seminar=seminar, slug="what-we-heard")
    urls = [
        "/",
        "/seminars/",
        "/seminars/open/",
        "/recaps/",
        "/recaps/what-we-heard/",
        "/people/",
        "/themes/",
        "/voices/",
        "/privacy/",
        "/accessibility/",
        "/glossary/",
        "/accounts/login/",
        "/subscribe/",
        "/recaps/feed/",
        "/seminars/feed/",
    ]

    named = [url for url in urls if "coproseries" in client.get(url).content.decode().lower()]

    assert named == []


def test_the_admin_is_named_after_the_series(organiser_client, series):
    soup = page(organiser_client.get("/admin/"))

    assert text(soup, "#site-name") == "Co-production in mental health admin"
    assert text(soup, "title").endswith("| Co-production in mental health admin")


def test_every_email_is_signed_with_the_series_and_its_contact(client, series, mail_queue):
    seminar = SeminarFactory(series=series, slug="open", capacity=10)
    UserFactory(email="speaker@example.org")

    client.post(f"/seminars/{seminar.slug}/register/", form_data())
    client.post("/accounts/password/reset/", {"email": "speaker@example.org"})
    person_invite(person=PersonFactory(name="Ann Able", email="invited@example.org"))
    call_command("send_mail", verbosity=0)

    signature = (
        "\n-- \nCo-production in mental health\n"
        "Questions? Reply to this email, or write to organisers@example.org, "
        "or phone 0113 496 0000.\n"
    )
    assert [(email.subject, email.body.endswith(signature)) for email in mail.outbox] == [
        (f"Your place at {seminar.title}", True),
        ("Reset your password for Co-production in mental health", True),
        ("You are invited to edit your speaker profile for Co-production in mental health", True),
    ]
    # The invitation names the series in full, so that it reads as from people the person knows.
    assert f"The organisers of the seminar series “{series.title}” have invited you" in " ".join(
        mail.outbox[2].body.split()
    )
