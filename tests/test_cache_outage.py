"""Redis going away, for real: a Redis server of the test's own is stopped under the site.

The cache is an optimisation: meanwhile pages render, registrations and logins work, rate
limits are counted in the database, one warning is logged, and /healthz says "degraded".
When Redis comes back (with what it held before, as a restarted Redis with persistence
does), the site uses it again without a restart and serves no page older than an edit made
during the outage.
"""

import logging
import time

import pytest
from django.core.cache import cache, caches

from seminars.models import Registration, Seminar
from tests.factories import PersonFactory, SeminarFactory, UserFactory
from tests.redis_server import RedisServer

pytestmark = pytest.mark.faults

RETRY_SECONDS = 0.5
PAGES = ["/", "/seminars/", "/seminars/open/", "/people/", "/recaps/", "/calendar.ics"]


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path, keep_data=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(settings, redis_server):
    """The site's settings with REDIS_URL set: Redis, and the database while it is away."""
    settings.CACHES = {
        "default": {
            "BACKEND": "coproseries.cache.RedisWithFallbackCache",
            "LOCATION": redis_server.url,
            "FALLBACK": "database",
            "RETRY_SECONDS": RETRY_SECONDS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        },
        "database": settings.CACHES["database"],
    }
    caches["database"].clear()
    yield redis_server
    caches["database"].clear()


def _register(client, number, address):
    return client.post(
        "/seminars/open/register/",
        {
            "name": f"Outage Person {number}",
            "email": f"outage{number}@example.org",
            "access_requirements": "Step-free access, please.",
            "consent": "on",
            "homepage": "",
        },
        REMOTE_ADDR=address,
    )


def _cache_warnings(caplog):
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "coproseries.cache" and record.levelno == logging.WARNING
    ]


@pytest.mark.django_db(transaction=True)
def test_redis_going_away_leaves_the_site_working_and_coming_back_serves_no_stale_page(
    client, redis_cache, settings, caplog
):
    settings.REGISTRATION_RATE_LIMIT = 5
    SeminarFactory(slug="open", title="Before the outage", capacity=100)
    PersonFactory(name="Ann Able", user=UserFactory(email="ann@example.org"))
    assert "Before the outage" in client.get("/seminars/open/").content.decode()
    assert redis_cache.client().dbsize() > 0  # the page went to Redis

    redis_cache.stop()
    served = [client.get(page).status_code for _ in range(5) for page in PAGES]
    healthz = client.get("/healthz")
    registered = [_register(client, n, f"192.0.2.{n // 4}").status_code for n in range(20)]
    limited = [_register(client, 100 + n, "198.51.100.7").status_code for n in range(6)]
    login = client.post("/accounts/login/", {"username": "ann@example.org", "password": "x"})
    login = client.post(
        "/accounts/login/", {"username": "ann@example.org", "password": "a-long-test-password"}
    )
    profile = client.get("/profile/")
    client.logout()
    seminar = Seminar.objects.get(slug="open")
    seminar.title = "Renamed during the outage"
    seminar.save()
    time.sleep(RETRY_SECONDS * 2)  # Redis is tried again, and still away
    renamed_during = client.get("/seminars/open/").content.decode()

    assert served == [200] * 30
    assert healthz.status_code == 200
    assert healthz.json() == {"status": "degraded", "database": "ok", "cache": "degraded"}
    assert registered == [302] * 20
    assert limited == [302] * 5 + [429]  # the limit still holds, counted in the database
    assert Registration.objects.filter(email__startswith="outage").count() == 25
    assert (login.status_code, login["Location"]) == (302, "/profile/")
    assert profile.status_code == 200
    assert "Renamed during the outage" in renamed_during
    assert len(_cache_warnings(caplog)) == 1  # once a minute at most, however many requests

    redis_cache.start()  # with the page and the versions it held before the outage
    time.sleep(RETRY_SECONDS * 2)
    after = client.get("/seminars/open/").content.decode()

    assert "Renamed during the outage" in after
    assert "Before the outage" not in after
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert not cache.degraded
    keys = {key.decode() for key in redis_cache.client().keys("*")}
    assert any("pagecache:page:" in key for key in keys)  # pages go to Redis again
    assert _cache_warnings(caplog)[1:] == ["The Redis cache answers again; using it."]
