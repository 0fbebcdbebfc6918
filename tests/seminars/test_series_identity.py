"""Who runs the series and how to reach them: header, titles, footer, emails, error pages."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from coproseries.health import DatabaseUnavailableMiddleware
from tests.factories import SeminarFactory, SeriesFactory
from tests.html import page, text
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
    assert len(cold) == len(warm) + 1


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


def test_the_server_error_page_names_the_organisers_without_the_database(
    settings, django_assert_num_queries, series
):
    settings.SITE_NAME = "Seminars on co-production"
    settings.ORGANISERS_EMAIL = "team@example.org"
    handler = get_resolver().resolve_error_handler(500)

    with django_assert_num_queries(0):
        response = handler(RequestFactory().get("/"))

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
