"""The page cache: served without queries, refreshed by any edit to what a page shows, its
per-visitor parts filled in for each request."""

import threading

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext

from coproseries.pagecache import stored_page
from seminars.models import Series, TalkSpeaker
from seminars.services import registration_create
from tests.factories import PersonFactory, SeminarFactory, TalkFactory, UserFactory
from tests.html import page, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    seminar = SeminarFactory(title="Sharing power", slug="sharing-power", capacity=10)
    TalkFactory(seminar=seminar, title="Who decides?", speakers=[PersonFactory(name="Ada Ode")])
    return seminar


def test_second_visit_is_served_from_the_cache_without_queries(
    client, seminar, django_assert_num_queries
):
    first = client.get("/seminars/sharing-power/")
    with django_assert_num_queries(0):
        second = client.get("/seminars/sharing-power/")

    assert second.content == first.content
    assert text(page(second), "h1") == "Sharing power"
    assert "Cookie" in second["Vary"]


def test_editing_a_seminar_shows_at_once(client, seminar):
    client.get("/seminars/sharing-power/")
    client.get("/")
    seminar.title = "Sharing power, again"
    seminar.save()

    assert text(page(client.get("/seminars/sharing-power/")), "h1") == "Sharing power, again"
    assert "Sharing power, again" in texts(page(client.get("/")), "h3 a")


def test_editing_a_person_or_a_programme_shows_at_once(client, seminar):
    client.get("/seminars/sharing-power/")
    person = seminar.talks.get().speakers.get()
    person.name = "Ada Odé"
    person.save()
    assert "Ada Odé" in page(client.get("/seminars/sharing-power/")).get_text()

    TalkSpeaker.objects.create(
        talk=seminar.talks.get(), person=PersonFactory(name="Ben Tran"), position=1
    )
    assert "Ben Tran" in page(client.get("/seminars/sharing-power/")).get_text()


def test_logged_in_visitor_never_gets_the_anonymous_copy(client, seminar):
    client.get("/seminars/sharing-power/")
    client.force_login(UserFactory())

    footer = texts(page(client.get("/seminars/sharing-power/")), "footer a")
    assert "Your profile" in footer
    assert "Speakers: log in" not in footer


def test_registration_form_always_counts_places_live(client, seminar, mail_queue):
    client.get("/seminars/sharing-power/register/")
    registration_create(seminar=seminar, name="Cy Dee", email="cy@example.org")

    assert "9 places left" in page(client.get("/seminars/sharing-power/register/")).get_text()


def test_page_cache_can_be_turned_off(client, seminar, settings):
    settings.PAGE_CACHE = False
    with CaptureQueriesContext(connection) as first:
        client.get("/seminars/sharing-power/")
    with CaptureQueriesContext(connection) as second:
        client.get("/seminars/sharing-power/")

    assert len(second) == len(first) > 0


def test_places_left_are_counted_again_after_a_registration_and_only_then(
    client, seminar, mail_queue, django_assert_num_queries
):
    client.get("/seminars/sharing-power/")
    registration_create(seminar=seminar, name="Cy Dee", email="cy@example.org")

    with django_assert_num_queries(1 + 6):  # the places, counted: they changed, so a render
        changed = client.get("/seminars/sharing-power/")
    with django_assert_num_queries(0):
        unchanged = client.get("/seminars/sharing-power/")

    assert text(page(changed), "#availability") == "Registration is open: 9 places left."
    assert unchanged.content == changed.content


def test_a_registration_that_leaves_the_places_as_they_were_costs_one_count(
    client, seminar, mail_queue, django_assert_num_queries
):
    seminar.capacity = None  # "Registration is open.", however many register
    seminar.save()
    first = client.get("/seminars/sharing-power/")
    registration_create(seminar=seminar, name="Cy Dee", email="cy@example.org")

    with django_assert_num_queries(1):  # the places, counted: unchanged, so no render
        again = client.get("/seminars/sharing-power/")
    with django_assert_num_queries(0):
        client.get("/seminars/sharing-power/")

    assert again.content == first.content


def test_unchanged_page_answers_304_to_its_etag(client, seminar):
    etag = client.get("/seminars/sharing-power/")["ETag"]

    response = client.get("/seminars/sharing-power/", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""


# Query parameters a page does not read neither bypass nor poison the cache


def test_unknown_query_parameters_are_served_from_the_cache(
    client, seminar, django_assert_num_queries
):
    first = client.get("/seminars/sharing-power/")

    with django_assert_num_queries(0):
        second = client.get("/seminars/sharing-power/?x=8f3a1c")
        third = client.get("/seminars/sharing-power/?utm_source=feed&x=77e0b2")

    assert second.content == third.content == first.content


def test_unknown_query_parameters_never_reach_the_page_others_are_served(
    client, seminar, django_assert_num_queries
):
    first = client.get("/seminars/sharing-power/?next=/evil-path/&q=injected-words")

    with django_assert_num_queries(0):
        clean = client.get("/seminars/sharing-power/")

    assert clean.content == first.content
    assert b"evil-path" not in clean.content
    assert b"injected-words" not in clean.content


def test_head_is_served_from_the_cache_too(client, seminar, django_assert_num_queries):
    client.get("/seminars/sharing-power/")

    with django_assert_num_queries(0):
        response = client.head("/seminars/sharing-power/?x=1")

    assert response.status_code == 200


def test_paginated_lists_are_cached_by_page_only(client, settings, django_assert_num_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    for number in range(21):
        SeminarFactory(title=f"Past seminar {number:02}", days_from_now=-10 - number)
    first_page = client.get("/seminars/")
    second_page = client.get("/seminars/?page=2")

    with django_assert_num_queries(0):
        again = client.get("/seminars/?page=2&x=5d1e&page=2")
        first_again = client.get("/seminars/?sort=random")

    series_name = Series.objects.order_by("pk").first().title  # the site's name in titles
    assert texts(page(second_page), "title") == [f"Seminars (page 2) · {series_name}"]
    assert again.content == second_page.content
    assert first_again.content == first_page.content != second_page.content


def test_sitemap_ignores_unknown_parameters(client, seminar, django_assert_num_queries):
    first = client.get("/sitemap.xml")

    with django_assert_num_queries(0):
        second = client.get("/sitemap.xml?x=1")

    assert second.content == first.content


def test_made_up_cookies_do_not_bypass_the_cache(client, seminar, django_assert_num_queries):
    first = client.get("/seminars/sharing-power/")
    client.cookies["sessionid"] = "made-up-session-key-0123456789"
    client.cookies["messages"] = "made-up-messages"

    with django_assert_num_queries(1):  # looking the session up finds none
        second = client.get("/seminars/sharing-power/")

    assert second.content == first.content


def test_subscribing_and_announcing_leave_the_cached_pages_alone(
    client, seminar, django_assert_num_queries
):
    from coproseries.pagecache import CONTENT, EVERYTHING, versions
    from seminars.subscriptions.services import subscriber_notices_send

    client.get("/")
    before = versions([CONTENT, EVERYTHING])
    client.post("/subscribe/", {"email": "sam@example.org"})
    subscriber_notices_send()

    assert versions([CONTENT, EVERYTHING]) == before
    with django_assert_num_queries(0):
        client.get("/")


def test_a_search_is_made_once_and_again_after_any_edit(client, seminar, django_assert_num_queries):
    first = client.get("/search/", {"q": "sharing power"})
    with django_assert_num_queries(0):
        again = client.get("/search/", {"q": "sharing power", "utm_source": "newsletter"})
    seminar.title = "Sharing power, again"
    seminar.save()
    PersonFactory(name="Sharing Power-Jones", is_listed=True)
    edited = client.get("/search/", {"q": "sharing power"})

    assert again.content == first.content
    assert texts(page(first), "main h3 a") == ["Sharing power"]
    assert texts(page(edited), "main h3 a") == ["Sharing power, again", "Sharing Power-Jones"]


def test_a_search_for_an_email_address_is_never_stored(client, seminar):
    """Someone typed a person's address: the cache does not keep it."""
    first = client.get("/search/", {"q": "ada@example.org"})
    with CaptureQueriesContext(connection) as again:
        client.get("/search/", {"q": "ada@example.org"})

    assert first.status_code == 200
    assert "private" in first["Cache-Control"]
    assert stored_page("/search/", query="q=ada%40example.org") is None
    assert len(again) > 0


@pytest.fixture
def shared_database_cache(settings):
    """The site's default store: the database cache, which each thread below reaches
    through its own connection, as each worker process does."""
    settings.CACHES = {**settings.CACHES, "default": settings.CACHES["database"]}
    cache.clear()
    yield cache
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_a_crowd_after_an_edit_waits_for_one_rendering(seminar, shared_database_cache):
    """Six visitors at once after an edit: one renders the home page, the others wait for
    it and get the same page, rather than each rendering it (a thundering herd)."""
    Client().get("/")
    seminar.title = "Sharing power, again"
    seminar.save()
    renders, pages = [], []
    start = threading.Barrier(6)

    def rendered(sender, template, **kwargs):
        if template.name == "seminars/home.html":
            renders.append(template.name)

    def visit():
        try:
            start.wait(10)
            pages.append(Client().get("/").content)
        finally:
            connection.close()

    template_rendered.connect(rendered)
    try:
        visitors = [threading.Thread(target=visit) for _ in range(6)]
        for visitor in visitors:
            visitor.start()
        for visitor in visitors:
            visitor.join(30)
    finally:
        template_rendered.disconnect(rendered)

    assert renders == ["seminars/home.html"]
    assert len(pages) == 6
    assert len(set(pages)) == 1
    assert "Sharing power, again" in texts(BeautifulSoup(pages[0], "html.parser"), "h3 a")


def test_the_subscribe_page_is_the_same_for_everyone_and_stored(client, settings):
    """It takes no CSRF token (no session to protect), so nothing ties it to a visitor."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    response = client.get("/subscribe/")

    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" not in response.content
    assert not response.cookies
    assert response["Cache-Control"] == "public, max-age=60"
    assert stored_page("/subscribe/") is not None
    subscribed = Client(enforce_csrf_checks=True).post("/subscribe/", {"email": "sam@example.org"})
    assert subscribed.status_code == 302
