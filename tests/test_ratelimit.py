"""Rate limits per client, counted as the site runs behind nginx: every request below comes
from nginx's address with the X-Forwarded-For it builds ($proxy_add_x_forwarded_for: what the
client sent, then the address nginx saw), and the client forges the part it controls."""

import re
import time

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from mailer.models import Message

from coproseries.ratelimit import (
    client_address,
    rate_limit_exceeded,
    seconds_until_reset,
    wait_in_words,
)
from seminars.models import Registration
from tests.factories import SeminarFactory, SeriesFactory, UserFactory
from tests.html import links, page_with_status, text, texts
from tests.test_settings_and_errors import _settings_value

REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": "coproseries-tests",
    }
}


@pytest.mark.parametrize("cache_settings", [None, REDIS], ids=["local-memory", "redis"])
def test_rate_limit_counts_per_client_in_the_shared_cache(cache_settings):
    requests = RequestFactory()
    ann = requests.post("/", REMOTE_ADDR="192.0.2.1")
    bo = requests.post("/", REMOTE_ADDR="192.0.2.2")

    with override_settings(**({"CACHES": cache_settings} if cache_settings else {})):
        caches["default"].clear()
        verdicts = [rate_limit_exceeded(ann, scope="test", limit=3, window=60) for _ in range(5)]
        other = rate_limit_exceeded(bo, scope="test", limit=3, window=60)
        redis_keys = _redis_keys()
        caches["default"].clear()

    assert verdicts == [False, False, False, True, True]
    assert other is False
    if cache_settings:
        assert len([key for key in redis_keys if b"ratelimit:test:" in key]) == 2
        assert [key for key in redis_keys if b"192.0.2" in key] == []  # addresses are hashed


def _redis_keys():
    import redis

    return redis.Redis.from_url("redis://127.0.0.1:6379/15").keys("*")


NGINX = "127.0.0.1"
PASSWORD = "a-long-test-password"
LOGIN = reverse("people:login")
ADMIN_LOGIN = reverse("admin:login")
RESET = reverse("people:password_reset")


@pytest.fixture
def behind_proxy(settings):
    """The settings DJANGO_BEHIND_PROXY=1 gives (test_proxy_settings_follow_the_environment)."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_COUNT = 1
    return settings


def via_nginx(client, forged=None):
    """What nginx passes on for a request from `client` that sent X-Forwarded-For: `forged`."""
    forwarded = f"{forged}, {client}" if forged else client
    return {
        "REMOTE_ADDR": NGINX,
        "HTTP_X_FORWARDED_FOR": forwarded,
        "HTTP_X_FORWARDED_PROTO": "https",
    }


def forged(n):
    """A different made-up left-most address for every request."""
    return f"10.{n // 250}.{n % 250}.{n % 7 + 1}"


def _status_and_heading(response):
    return response.status_code, text(page_with_status(response, response.status_code), "h1")


# Which address is the client's


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        (0, "192.0.2.1", "203.0.113.9", "192.0.2.1"),
        (1, NGINX, "198.51.100.7, 203.0.113.9", "203.0.113.9"),
        (1, NGINX, "198.51.100.7,203.0.113.9", "203.0.113.9"),
        (2, "10.0.0.2", "198.51.100.7, 203.0.113.9, 10.0.0.3", "203.0.113.9"),
        (1, NGINX, "", NGINX),
        (1, NGINX, "198.51.100.7, not-an-address", NGINX),
        (2, NGINX, "203.0.113.9", NGINX),
        (1, NGINX, "2001:db8:5:6:aaaa:bbbb:cccc:dddd", "2001:db8:5:6::/64"),
        (0, "2001:db8:5:6::1", "", "2001:db8:5:6::/64"),
        (1, NGINX, "::ffff:203.0.113.9", "203.0.113.9"),
        (1, NGINX, "198.51.100.7, 203.0.113.9:5123", "203.0.113.9"),
        (1, NGINX, "[2001:db8:5:6::9]:5123", "2001:db8:5:6::/64"),
    ],
    ids=[
        "no-proxy",
        "one-proxy",
        "no-space",
        "two-proxies",
        "header-missing",
        "header-malformed",
        "fewer-hops-than-proxies",
        "ipv6-by-64",
        "ipv6-direct",
        "ipv4-mapped",
        "ipv4-with-port",
        "ipv6-with-port",
    ],
)
def test_client_address_is_counted_from_the_right_past_the_trusted_proxies(
    settings, proxies, remote, forwarded, client
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == client


def test_proxy_settings_follow_the_environment():
    def proxy_count(**env):
        result = _settings_value("settings.TRUSTED_PROXY_COUNT", DJANGO_DEBUG="1", **env)
        return result.stdout.strip() or result.stderr.strip().splitlines()[-1]

    assert [
        proxy_count(),
        proxy_count(DJANGO_BEHIND_PROXY="1"),
        proxy_count(DJANGO_BEHIND_PROXY="1", DJANGO_TRUSTED_PROXY_COUNT="2"),
        proxy_count(DJANGO_BEHIND_PROXY="0", DJANGO_TRUSTED_PROXY_COUNT="1"),
        proxy_count(DJANGO_TRUSTED_PROXY_COUNT="two"),
    ] == [
        "0",
        "1",
        "2",
        "1",
        "django.core.exceptions.ImproperlyConfigured: "
        "DJANGO_TRUSTED_PROXY_COUNT must be a whole number, 0 or more.",
    ]


# Forged addresses gain nothing


@pytest.mark.django_db
def test_forged_forwarded_addresses_do_not_escape_the_failed_login_limit(client, behind_proxy):
    UserFactory(email="ann@example.org")

    statuses = [
        client.post(
            LOGIN,
            {"username": f"guess{n}@example.org", "password": "wrong"},
            **via_nginx("203.0.113.9", forged=forged(n)),
        ).status_code
        for n in range(40)
    ]
    owner_elsewhere = Client().post(
        LOGIN, {"username": "ann@example.org", "password": PASSWORD}, **via_nginx("198.51.100.20")
    )

    assert statuses == [400] * 30 + [429] * 10
    assert owner_elsewhere.status_code == 302


@pytest.mark.django_db
def test_forged_forwarded_addresses_do_not_escape_the_password_reset_limit(
    client, behind_proxy, mail_queue
):
    statuses = [
        client.post(
            RESET, {"email": f"guess{n}@example.org"}, **via_nginx("203.0.113.9", forged(n))
        ).status_code
        for n in range(12)
    ]

    assert statuses == [302] * 10 + [429] * 2


@pytest.mark.django_db
def test_forged_forwarded_addresses_do_not_escape_the_registration_limit(
    client, behind_proxy, mail_queue
):
    seminar = SeminarFactory(capacity=None)

    responses = [
        client.post(
            f"/seminars/{seminar.slug}/register/",
            {"name": "Ann Able", "email": f"r{n}@example.org", "consent": "on"},
            **via_nginx("203.0.113.9", forged(n)),
        )
        for n in range(12)
    ]

    assert [response.status_code for response in responses] == [302] * 10 + [429] * 2
    assert _status_and_heading(responses[-1]) == (429, "Too many attempts")
    assert int(responses[-1]["Retry-After"]) > 0
    assert Registration.objects.count() == 10


@pytest.mark.django_db
def test_ipv6_clients_are_limited_by_their_64_network(client, behind_proxy):
    statuses = [
        client.post(
            LOGIN,
            {"username": f"guess{n}@example.org", "password": "wrong"},
            **via_nginx(f"2001:db8:5:6:{n:x}:{n * 7:x}::{n + 1:x}", forged(n)),
        ).status_code
        for n in range(31)
    ]
    next_network = client.post(
        LOGIN,
        {"username": "guess@example.org", "password": "wrong"},
        **via_nginx("2001:db8:5:7::1"),
    )

    assert statuses == [400] * 30 + [429]
    assert next_network.status_code == 400


# Logins: a stranger cannot lock the owner out


@pytest.mark.django_db
@pytest.mark.parametrize("login_url", [ADMIN_LOGIN, LOGIN], ids=["admin", "speakers"])
def test_wrong_passwords_from_elsewhere_do_not_lock_the_organiser_out(behind_proxy, login_url):
    UserFactory(email="org@example.org", is_staff=True)
    attacker = Client()

    attempts = [
        attacker.post(
            login_url,
            {"username": "Org@Example.org", "password": f"guess {n}"},
            **via_nginx("203.0.113.66", forged(n)),
        ).status_code
        for n in range(11)
    ]
    organiser = Client()
    response = organiser.post(
        login_url,
        {"username": "org@example.org", "password": PASSWORD, "next": "/admin/"},
        **via_nginx("198.51.100.5"),
    )

    failed = 200 if login_url == ADMIN_LOGIN else 400
    assert attempts == [failed] * 10 + [429]
    assert (response.status_code, response.url) == (302, "/admin/")
    assert organiser.get("/admin/", **via_nginx("198.51.100.5")).status_code == 200


@pytest.mark.django_db
def test_guessing_spread_over_many_addresses_stops_at_the_email_limit_and_says_what_to_do(
    client, behind_proxy
):
    UserFactory(email="org@example.org", is_staff=True)

    attempts = [
        Client()
        .post(
            ADMIN_LOGIN,
            {"username": "org@example.org", "password": "wrong"},
            **via_nginx(f"198.51.{n // 200}.{n % 200 + 1}"),
        )
        .status_code
        for n in range(100)
    ]
    blocked = client.post(
        ADMIN_LOGIN, {"username": "org@example.org", "password": PASSWORD}, **via_nginx("192.0.2.8")
    )

    assert attempts == [200] * 100
    assert _status_and_heading(blocked) == (429, "Too many attempts")
    soup = page_with_status(blocked, 429)
    advice = texts(soup, "#limit-advice li")
    assert re.fullmatch(r"Wait \d+ minutes? and try again\.", advice[0])
    assert int(blocked["Retry-After"]) > 0
    assert links(soup, "#limit-advice") == [
        ("reset your password", reverse("people:password_reset")),
        ("seminars@localhost", "mailto:seminars@localhost"),
    ]


@pytest.mark.django_db
def test_a_new_password_from_the_emailed_link_ends_the_pause(client, behind_proxy, mail_queue):
    behind_proxy.LOGIN_EMAIL_RATE_LIMIT = 3
    UserFactory(email="org@example.org", is_staff=True)
    for n in range(3):
        Client().post(
            LOGIN, {"username": "org@example.org", "password": "x"}, **via_nginx(f"192.0.2.{n}")
        )
    paused = client.post(
        LOGIN, {"username": "org@example.org", "password": PASSWORD}, **via_nginx("198.51.100.5")
    )

    client.post(RESET, {"email": "org@example.org"}, **via_nginx("198.51.100.5"))
    [message] = Message.objects.all()
    [path] = re.findall(r"https?://[^/\s]+(/accounts/password/reset/\S+)", message.email.body)
    form_url = client.get(path, **via_nginx("198.51.100.5"))["Location"]
    new_password = "a brand new passphrase 2026"
    done = client.post(
        form_url,
        {"new_password1": new_password, "new_password2": new_password},
        **via_nginx("198.51.100.5"),
    )
    logged_in = Client().post(
        LOGIN,
        {"username": "org@example.org", "password": new_password},
        **via_nginx("198.51.100.5"),
    )

    assert paused.status_code == 429
    assert done.status_code == 302
    assert logged_in.status_code == 302


# Password resets: per email too


@pytest.mark.django_db
def test_password_reset_emails_to_one_address_are_limited_whatever_the_client(
    behind_proxy, mail_queue
):
    UserFactory(email="ann@example.org")

    statuses = [
        Client()
        .post(
            RESET,
            {"email": "Ann@Example.org " if n % 2 else "ann@example.org"},
            **via_nginx(f"198.51.100.{n + 1}", forged(n)),
        )
        .status_code
        for n in range(30)
    ]
    blocked = Client().post(RESET, {"email": "ann@example.org"}, **via_nginx("192.0.2.99"))

    assert statuses == [302] * 3 + [429] * 27
    assert [message.email.to for message in Message.objects.all()] == [["ann@example.org"]] * 3
    assert _status_and_heading(blocked) == (429, "Too many attempts")
    assert text(page_with_status(blocked, 429), "#limit-reason") == (
        "We have had several password reset requests for this email address or from your "
        "connection in a short time, so we are not sending more links for now."
    )


# Search: its own limit per client


@pytest.mark.django_db
def test_search_is_limited_per_client_with_a_friendly_page(client, behind_proxy):
    behind_proxy.SEARCH_RATE_WINDOW = 3600  # no new window can start half-way through
    statuses = [
        client.get(
            "/search/", {"q": f"care {n}"}, **via_nginx("203.0.113.9", forged(n))
        ).status_code
        for n in range(30)
    ]
    blocked = client.get("/search/", {"q": "peer support"}, **via_nginx("203.0.113.9"))
    help_page = client.get("/search/", **via_nginx("203.0.113.9"))
    elsewhere = client.get("/search/", {"q": "peer support"}, **via_nginx("198.51.100.4"))

    assert statuses == [200] * 30
    assert _status_and_heading(blocked) == (429, "Too many searches")
    assert re.fullmatch(
        r"We have had a lot of searches from your connection in a short time\. "
        r"Please wait \d+ (?:seconds?|minutes?) and search again\.",
        text(page_with_status(blocked, 429), "#limit-reason"),
    )
    assert int(blocked["Retry-After"]) > 0
    assert (help_page.status_code, elsewhere.status_code) == (200, 200)


@pytest.mark.django_db
def test_search_limit_page_is_rendered_once_for_anonymous_visitors_and_follows_edits(
    client, behind_proxy, django_assert_num_queries
):
    behind_proxy.SEARCH_RATE_LIMIT = 0
    series = SeriesFactory(title="Voices of care")
    first = client.get("/search/", {"q": "care"}, **via_nginx("203.0.113.9"))
    with django_assert_num_queries(0):  # neither the series nor anything else is read again
        again = client.get("/search/", {"q": "peer"}, **via_nginx("198.51.100.4"))
    series.title = "Voices of recovery"
    series.save()
    edited = client.get("/search/", {"q": "care"}, **via_nginx("203.0.113.9"))

    assert (first.status_code, again.status_code) == (429, 429)
    assert again.content == first.content
    assert int(again["Retry-After"]) > 0
    assert "private" in again["Cache-Control"]  # no browser or proxy keeps it
    assert text(page_with_status(edited, 429), "title") == (
        "Too many searches · Voices of recovery"
    )


@pytest.mark.django_db
def test_search_limit_page_of_a_signed_in_speaker_is_their_own(client, behind_proxy):
    behind_proxy.SEARCH_RATE_LIMIT = 0
    client.get("/search/", {"q": "care"}, **via_nginx("203.0.113.9"))  # an anonymous one first
    client.force_login(UserFactory(email="sam@example.org"))

    limited = client.get("/search/", {"q": "care"}, **via_nginx("203.0.113.9"))

    soup = page_with_status(limited, 429)
    assert ("Your profile", "/profile/") in links(soup, "footer")


@pytest.mark.django_db
def test_a_search_the_cache_holds_counts_against_no_limit(client, behind_proxy):
    """The limit keeps fresh queries off the database; a search many people make is made
    once and then answered from the page cache, to a client at its limit too."""
    behind_proxy.SEARCH_RATE_LIMIT = 1
    behind_proxy.SEARCH_RATE_WINDOW = 3600
    SeminarFactory(title="Sharing power")
    made = client.get("/search/", {"q": "sharing power"}, **via_nginx("203.0.113.9"))
    fresh = client.get("/search/", {"q": "power"}, **via_nginx("203.0.113.9"))
    held = client.get("/search/", {"q": "sharing power"}, **via_nginx("203.0.113.9"))
    elsewhere = client.get("/search/", {"q": "sharing power"}, **via_nginx("198.51.100.4"))

    assert [r.status_code for r in (made, fresh, held, elsewhere)] == [200, 429, 200, 200]
    assert texts(page_with_status(held, 200), "main h3 a") == ["Sharing power"]
    assert held.content == made.content == elsewhere.content


@pytest.mark.django_db
def test_new_searches_are_limited_in_bursts_too(client, behind_proxy):
    """A client may not spend its minute's allowance in one go: five new searches in ten
    seconds, then the same friendly page, saying how long to wait."""
    behind_proxy.SEARCH_BURST_LIMIT = 5
    behind_proxy.SEARCH_BURST_WINDOW = 3600  # no new window can start half-way through
    statuses = [
        client.get("/search/", {"q": f"care {n}"}, **via_nginx("203.0.113.9")).status_code
        for n in range(5)
    ]
    blocked = client.get("/search/", {"q": "peer support"}, **via_nginx("203.0.113.9"))
    held = client.get("/search/", {"q": "care 0"}, **via_nginx("203.0.113.9"))
    elsewhere = client.get("/search/", {"q": "peer support"}, **via_nginx("198.51.100.4"))

    assert statuses == [200] * 5
    assert _status_and_heading(blocked) == (429, "Too many searches")
    assert 0 < int(blocked["Retry-After"]) <= 3600
    assert (held.status_code, elsewhere.status_code) == (200, 200)


@pytest.mark.django_db
def test_the_burst_limit_page_says_the_wait_in_seconds(client, behind_proxy):
    """The burst window is ten seconds: the page says so in seconds, the same number as
    Retry-After, not "1 minute"."""
    behind_proxy.SEARCH_BURST_LIMIT = 1
    behind_proxy.SEARCH_BURST_WINDOW = 10
    if seconds_until_reset(10) < 3:  # both searches in one window
        time.sleep(seconds_until_reset(10))
    client.get("/search/", {"q": "care"}, **via_nginx("203.0.113.9"))
    blocked = client.get("/search/", {"q": "peer support"}, **via_nginx("203.0.113.9"))

    wait = int(blocked["Retry-After"])
    assert 0 < wait <= 10
    assert text(page_with_status(blocked, 429), "#limit-reason") == (
        "We have had a lot of searches from your connection in a short time. "
        f"Please wait {wait} second{'' if wait == 1 else 's'} and search again."
    )


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "1 second"),
        (10, "10 seconds"),
        (59, "59 seconds"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (900, "15 minutes"),
    ],
)
def test_waits_are_said_in_seconds_under_a_minute_and_in_whole_minutes_above(seconds, words):
    assert wait_in_words(seconds) == words
