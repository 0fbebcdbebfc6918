"""Every public page and feed runs the same number of SQL queries with little data and with a
lot, and never more than eight (DESIGN §8, the performance issue's query budget).

Each size of busy site is built once for the module (on each worker that runs its tests), in
a transaction rolled back at the end, and every test runs inside it in a transaction of its
own (pytest-django's `db`), rolled back after it: each page is asked of the same site as
before, built 4 times instead of 58. The test that builds its own data comes first, while no
busy site is there.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from people.models import Role
from seminars.models import Break
from seminars.services import registration_create
from tests.factories import (
    PersonFactory,
    RecapFactory,
    SeminarFactory,
    SeriesFactory,
    TalkFactory,
    ThemeFactory,
    WorkshopFactory,
)

BUDGET = 8


def busy_site(count):
    """`count` seminars, talks, workshops, recaps, themes and registrations, all around one
    seminar, one person and one theme, so that their pages grow with `count`. People have
    roles, some of them hidden, so that the balance of voices has something to count."""
    series = SeriesFactory()
    roles = list(Role.objects.all())
    star = PersonFactory(slug="star", roles=roles[:2])
    thread = ThemeFactory(slug="thread")
    first = SeminarFactory(series=series, slug="first", capacity=1000, themes=[thread])
    for index in range(count):
        themes = [thread, ThemeFactory()]
        days = index if index % 2 else -index  # half upcoming, half past
        seminar = (
            first
            if index == 0
            else SeminarFactory(series=series, days_from_now=days, themes=themes)
        )
        role = roles[index % len(roles)]
        TalkFactory(seminar=first, speakers=[star, PersonFactory(roles=[role])], themes=themes)
        hidden = PersonFactory(roles=[role], show_roles=index % 3 != 0)
        # Parallel workshops, one with places: the registration pages offer the choice.
        WorkshopFactory(
            seminar=first,
            facilitators=[star, hidden],
            themes=themes,
            capacity=50 if index == 0 else None,
        )
        TalkFactory(seminar=seminar, speakers=[star], themes=themes)
        RecapFactory(
            seminar=seminar, slug=f"recap-{index}", authors=[star, PersonFactory()], themes=themes
        )
        registration_create(seminar=first, name=f"Person {index}", email=f"p{index}@example.org")
        Break.objects.create(
            seminar=first,
            starts_at=first.starts_at + dt.timedelta(minutes=index),
            ends_at=first.starts_at + dt.timedelta(minutes=index + 15),
        )
    return first.registrations.first().token


@pytest.fixture(scope="module")
def built_site(request, django_db_setup, django_db_blocker):
    """busy_site(request.param), built once for the tests that ask for that size, with the
    mail queued as `mail_queue` queues it; (token, what the building left in the cache)."""
    with (
        django_db_blocker.unblock(),
        override_settings(EMAIL_BACKEND="mailer.backend.DbBackend"),
        transaction.atomic(),
    ):
        cache.clear()
        token = busy_site(request.param)
        # The series' identity and the pages' version, cached as the saves left them.
        left_in_cache = dict(cache._cache), dict(cache._expire_info)
        cache.clear()
        yield token, left_in_cache
        transaction.set_rollback(True)


@pytest.fixture
def busy(db, built_site, _fresh_cache):
    """The built site's registration token, with the cache as building it left it (each
    test starts with an empty cache, then this)."""
    token, (values, expiry) = built_site
    cache._cache.update(values)
    cache._expire_info.update(expiry)
    return token


PAGES = {
    "/": 4,
    "/seminars/": 3,
    "/seminars/first/": 8,
    "/seminars/first/register/": 4,  # the seminar, workshops, roles, access provisions
    "/seminars/first/calendar.ics": 7,
    "/calendar.ics": 5,
    "/seminars/feed/": 1,
    "/people/": 3,
    "/people/star/": 8,
    "/recaps/": 3,
    "/recaps/recap-0/": 2,
    "/recaps/feed/": 2,
    "/themes/": 1,
    "/themes/thread/": 8,
    "/privacy/": 0,
    "/accessibility/": 0,
    "/glossary/": 1,  # the roles, however many
    "/search/?q=test": 7,  # every kind matches: their factories' titles all say "Test"
    "/voices/": 6,
    "/sitemap.xml": 8,
    "/robots.txt": 0,
    "/accounts/login/": 0,
    "/accounts/password/reset/": 0,
    "/subscribe/": 0,
    "/subscribe/sent/": 0,
    "/registrations/{token}/": 2,  # the registration with its seminar; the last change
    "/registrations/{token}/change/": 3,  # as above, and the access provisions to tick
}


@pytest.mark.parametrize("count", [3, 30], ids=["small", "large"])
def test_waiting_registrants_page_runs_a_fixed_number_of_queries(
    db, client, django_assert_num_queries, mail_queue, count
):
    """The waiting person's position is counted, not listed: the registration with its
    seminar, the seminar's last change, the count ahead."""
    seminar = SeminarFactory(capacity=1)
    for index in range(count):
        last = registration_create(seminar=seminar, name="N", email=f"n{index}@example.org")
    with django_assert_num_queries(3):
        response = client.get(f"/registrations/{last.token}/")
    assert f"You are {count - 1}".encode() in response.content


@pytest.mark.parametrize("built_site", [3, 30], ids=["small", "large"], indirect=True)
@pytest.mark.parametrize(("url", "queries"), PAGES.items(), ids=list(PAGES))
def test_public_page_runs_a_fixed_number_of_queries(
    busy, client, django_assert_num_queries, mail_queue, url, queries
):
    assert queries <= BUDGET
    with django_assert_num_queries(queries):
        response = client.get(url.format(token=busy))
    assert response.status_code == 200


@pytest.mark.parametrize("built_site", [45, 60], ids=["large", "larger"], indirect=True)
@pytest.mark.parametrize("url", ["/seminars/?page=2", "/people/?page=2", "/recaps/?page=2"])
def test_later_pages_of_lists_run_a_fixed_number_of_queries(
    busy, client, django_assert_num_queries, mail_queue, url
):
    with django_assert_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200
