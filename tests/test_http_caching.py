"""What browsers, proxies and pollers read from our responses' caching headers, asked over
real HTTP (the standard library's http.client against a live server)."""

import http.client
from urllib.parse import urlsplit

import pytest

from seminars.services import registration_create
from tests.factories import RecapFactory, SeminarFactory, UserFactory

PUBLIC = [
    "/",
    "/seminars/",
    "/seminars/open-day/",
    "/seminars/open-day/calendar.ics",
    "/calendar.ics",
    "/seminars/feed/",
    "/recaps/",
    "/recaps/feed/",
    "/sitemap.xml",
]


def directives(value):
    """Cache-Control as a dict of directive: value (None for a bare directive)."""
    pairs = (part.strip().partition("=") for part in value.split(",") if part.strip())
    return {name.lower(): (argument or None) for name, _, argument in pairs}


def ask(server, method, path, headers=None):
    connection = http.client.HTTPConnection(urlsplit(server.url).netloc, timeout=20)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture
def site(transactional_db, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    seminar = SeminarFactory(slug="open-day", capacity=10)
    RecapFactory(seminar=seminar)
    return registration_create(seminar=seminar, name="Sam Visitor", email="sam@example.org")


@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_calendars_and_feeds_may_be_kept_as_long_as_the_page_cache(
    live_server, site, path
):
    status, headers, _ = ask(live_server, "GET", path)

    assert status == 200
    assert directives(headers["Cache-Control"]) == {"public": None, "max-age": "60"}
    assert "Cookie" in headers["Vary"]


@pytest.mark.parametrize("path", PUBLIC)
def test_head_gets_the_same_etag_as_get_and_a_304_for_it(live_server, site, path):
    _, got, body = ask(live_server, "GET", path)
    status, headed, head_body = ask(live_server, "HEAD", path)
    revalidated, _, _ = ask(live_server, "HEAD", path, {"If-None-Match": got["ETag"]})

    assert body and head_body == b""
    assert status == 200
    assert headed["ETag"] == got["ETag"]
    assert revalidated == 304


def test_private_and_personal_pages_are_never_kept(live_server, site, client):
    client.force_login(UserFactory())
    session = client.cookies["sessionid"].value
    private = [
        ask(live_server, "GET", f"/registrations/{site.token}/"),
        ask(live_server, "GET", "/seminars/open-day/register/"),
        ask(live_server, "GET", "/", {"Cookie": f"sessionid={session}"}),
        ask(live_server, "GET", "/profile/", {"Cookie": f"sessionid={session}"}),
    ]

    for status, headers, _ in private:
        assert status == 200
        cache_control = directives(headers["Cache-Control"])
        assert "private" in cache_control and "no-store" in cache_control, cache_control
        assert "public" not in cache_control
