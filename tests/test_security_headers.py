"""Security headers on every kind of response, the health check, and the 503 page."""

import pytest

from tests.factories import RecapFactory, SeminarFactory

pytestmark = pytest.mark.django_db

URLS = [
    "/",
    "/seminars/",
    "/seminars/open/",
    "/seminars/open/register/",
    "/recaps/feed/",
    "/calendar.ics",
    "/accounts/login/",
    "/admin/login/",
    "/no-such-page/",
    "/healthz",
]


@pytest.mark.parametrize("url", URLS)
def test_every_response_carries_the_security_headers(client, url):
    SeminarFactory(slug="open")
    RecapFactory()

    response = client.get(url)

    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_health_check_reports_a_reachable_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]
