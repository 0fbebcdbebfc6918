"""What an edit refreshes in the page cache (seminars/freshness.py): every page that shows
the edited thing at once, and nothing else. A page served from the cache runs no query, so
counting queries tells a stored page from a fresh render."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from coproseries import pagecache
from people.models import Role
from seminars.models import Recap, TalkSpeaker
from seminars.services import registration_create
from tests.factories import (
    PersonFactory,
    RecapFactory,
    SeminarFactory,
    TalkFactory,
    UserFactory,
)
from tests.html import page, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings):
    """Two seminars with nothing in common but the series, each with a talk and a recap."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    ada, ben = PersonFactory(name="Ada Ode", slug="ada"), PersonFactory(name="Ben Tran", slug="ben")
    cy = PersonFactory(name="Cy Dee", slug="cy")
    power = SeminarFactory(title="Sharing power", slug="power", capacity=10)
    other = SeminarFactory(series=power.series, title="Other seminar", slug="other")
    TalkFactory(seminar=power, title="Who decides?", speakers=[ada, ben])
    TalkFactory(seminar=other, title="Elsewhere", speakers=[cy])
    RecapFactory(seminar=power, title="Power recap", slug="power-recap", authors=[ada])
    RecapFactory(seminar=other, title="Other recap", slug="other-recap", authors=[cy])
    return power


SHOWS_POWER = [
    "/seminars/power/",
    "/seminars/",
    "/",
    "/people/ada/",
    "/people/ben/",
    "/recaps/power-recap/",
    "/calendar.ics",
    "/seminars/power/calendar.ics",
    "/seminars/feed/",
    "/voices/",
]
SHOWS_OTHER_ONLY = ["/seminars/other/", "/people/cy/", "/recaps/other-recap/"]


def _visit(client, paths):
    return {path: client.get(path).content.decode() for path in paths}


def _served_from_the_cache(client, paths, django_assert_num_queries):
    for path in paths:
        with django_assert_num_queries(0):
            assert client.get(path).status_code == 200, path


def test_seminar_title_shows_at_once_on_every_page_that_shows_it(
    client, site, django_assert_num_queries
):
    # The lists of people and of recaps show no seminar.
    no_seminar = ["/people/", "/recaps/", "/recaps/feed/"]
    _visit(client, SHOWS_POWER + SHOWS_OTHER_ONLY + no_seminar)

    site.title = "Sharing power renamed"
    site.save()

    for path, content in _visit(client, SHOWS_POWER).items():
        assert "Sharing power renamed" in content, path
    assert "Sharing power renamed" in client.get("/search/?q=renamed").content.decode()
    _served_from_the_cache(client, SHOWS_OTHER_ONLY + no_seminar, django_assert_num_queries)


def test_person_renamed_shows_on_their_seminar_co_speakers_and_recaps_pages(
    client, site, django_assert_num_queries
):
    ada_pages = ["/people/ada/", "/people/ben/", "/seminars/power/", "/recaps/power-recap/"]
    _visit(client, [*ada_pages, "/people/", *SHOWS_OTHER_ONLY])

    ada = site.talks.get().speakers.get(slug="ada")
    ada.name = "Ada Odé"
    ada.save()

    for path, content in _visit(client, [*ada_pages, "/people/"]).items():
        assert "Ada Odé" in content, path
    _served_from_the_cache(client, SHOWS_OTHER_ONLY, django_assert_num_queries)


def test_programme_changes_show_on_the_seminar_and_on_everyone_on_the_item(
    client, site, django_assert_num_queries
):
    _visit(client, ["/seminars/power/", "/people/ada/", "/people/cy/", "/seminars/other/"])

    talk = site.talks.get()
    TalkSpeaker.objects.create(talk=talk, person=PersonFactory(name="Dee Fox"), position=2)

    assert "Dee Fox" in client.get("/seminars/power/").content.decode()
    assert "Dee Fox" in client.get("/people/ada/").content.decode()  # "With Ben Tran and …"
    _served_from_the_cache(client, ["/people/cy/", "/seminars/other/"], django_assert_num_queries)

    TalkSpeaker.objects.filter(talk=talk, person__slug="ben").delete()
    assert "Ben Tran" not in client.get("/seminars/power/").content.decode()
    assert "Who decides?" not in client.get("/people/ben/").content.decode()


def test_changes_written_without_signals_show_at_once(client, site):
    """Services that write in bulk tell the page cache themselves."""
    from seminars.services import programme_item_set_people, programme_item_wishes_set

    talk = site.talks.get()
    ada, ben = talk.speakers.get(slug="ada"), talk.speakers.get(slug="ben")
    client.get("/seminars/power/")

    programme_item_set_people(item=talk, people=[ben, ada])
    assert "Ben Tran and Ada Ode" in page(client.get("/seminars/power/")).get_text()

    programme_item_wishes_set(item=talk, do_not_record=[ada.pk], do_not_photograph=[])
    assert texts(page(client.get("/seminars/power/")), ".not-recorded") == ["Not recorded"]


def test_recap_edit_shows_on_its_seminar_and_its_authors_pages(
    client, site, django_assert_num_queries
):
    paths = ["/recaps/power-recap/", "/seminars/power/", "/people/ada/", "/recaps/", "/"]
    _visit(client, [*paths, *SHOWS_OTHER_ONLY])

    recap = Recap.objects.get(slug="power-recap")
    recap.title = "Power recap, revised"
    recap.save()

    for path, content in _visit(client, paths).items():
        assert "Power recap, revised" in content, path
    _served_from_the_cache(client, SHOWS_OTHER_ONLY, django_assert_num_queries)


def test_venue_edit_shows_on_its_seminars_pages(client, site, django_assert_num_queries):
    _visit(client, ["/seminars/power/", "/people/cy/"])

    site.venue.name = "The New Hall"
    site.venue.save()

    assert "The New Hall" in client.get("/seminars/power/").content.decode()
    _served_from_the_cache(client, ["/people/cy/"], django_assert_num_queries)


def test_role_renamed_renders_every_page_that_may_show_it_again(client, site):
    role = Role.objects.order_by("pk").first()
    site.talks.get().speakers.get(slug="ada").roles.add(role)
    client.get("/people/ada/")

    role.name = "A renamed role"
    role.save()

    assert "A renamed role" in texts(page(client.get("/people/ada/")), ".role-list li")


def test_registrations_leave_every_page_cached_and_places_are_counted(
    client, site, mail_queue, django_assert_num_queries
):
    _visit(client, ["/seminars/power/", "/", "/seminars/power/register/", *SHOWS_OTHER_ONLY])

    registration_create(seminar=site, name="Eve Gale", email="eve@example.org")

    assert text(page(client.get("/seminars/power/")), "#availability") == (
        "Registration is open: 9 places left."
    )
    assert "9 places left" in text(page(client.get("/")), "#next-availability")
    assert "9 places left" in page(client.get("/seminars/power/register/")).get_text()
    _served_from_the_cache(client, SHOWS_OTHER_ONLY, django_assert_num_queries)


# The clock: what changes without an edit


def _later(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_seminar_that_ends_moves_to_the_past_without_an_edit(client, site, monkeypatch):
    assert "Sharing power" in texts(page(client.get("/seminars/")), "#upcoming-title + ul h3")

    _later(monkeypatch, site.ends_at + dt.timedelta(minutes=1))

    soup = page(client.get("/seminars/"))
    assert "Sharing power" not in texts(soup, "#upcoming-title + ul h3")
    assert "Sharing power" in texts(soup, "#past-title + ul h3")
    assert page(client.get("/seminars/power/")).select_one("#register-title") is None


def test_a_recap_appears_when_its_publication_time_comes(client, site, monkeypatch):
    soon = timezone.now() + dt.timedelta(hours=1)
    RecapFactory(seminar=site, title="Scheduled recap", slug="scheduled", published_at=soon)
    paths = ["/recaps/", "/seminars/power/", "/"]
    for path, content in _visit(client, paths).items():
        assert "Scheduled recap" not in content, path

    _later(monkeypatch, soon + dt.timedelta(seconds=1))

    for path, content in _visit(client, paths).items():
        assert "Scheduled recap" in content, path


# What is never shared


def _everything_stored():
    """Every page and fragment the cache holds, in this process and in the shared store."""
    local = [repr(value) for value in pagecache.LOCAL.items.values()]
    shared = [repr(value) for value in cache._cache.values()]
    return "\n".join(local + shared)


def test_private_details_never_reach_a_stored_page(
    client, organiser_client, site, mail_queue, settings
):
    site.online_url = "https://meet.example.org/secret-room"
    site.save()
    registration_create(
        seminar=site,
        name="Fay Hill",
        email="fay@example.org",
        access_requirements="A quiet room, please",
    )
    draft = SeminarFactory(title="Secret draft", slug="draft", status="draft")
    TalkFactory(seminar=draft, title="Unannounced talk")
    for visitor in (client, organiser_client):
        _visit(visitor, [*SHOWS_POWER, "/seminars/power/register/", "/seminars/draft/"])

    stored = _everything_stored()
    assert "secret-room" not in stored
    assert "Fay Hill" not in stored
    assert "quiet room" not in stored
    assert "Secret draft" not in stored
    assert "Unannounced talk" not in stored
    assert pagecache.stored_page("/seminars/draft/") is None


def test_signed_in_visitors_get_the_stored_page_with_their_own_link(
    client, site, django_assert_num_queries
):
    anonymous = client.get("/seminars/power/")
    client.force_login(UserFactory())

    with django_assert_num_queries(2):  # the session and the user: no render
        signed_in = client.get("/seminars/power/")

    stored = pagecache.stored_page("/seminars/power/").content.decode()
    assert "Your profile" not in stored
    assert "Speakers: log in" not in stored
    assert "Your profile" in texts(page(signed_in), "footer a")
    assert "Speakers: log in" in texts(page(anonymous), "footer a")
    assert "private" in signed_in["Cache-Control"]
    assert "public" in anonymous["Cache-Control"]


def test_each_visitor_gets_their_own_csrf_token_on_the_stored_form(
    client, site, mail_queue, django_assert_num_queries
):
    from django.test import Client

    other = Client()
    first = client.get("/seminars/power/register/")
    with django_assert_num_queries(0):  # no registration since: the places are as stored
        second = other.get("/seminars/power/register/")

    def token(response):
        return page(response).select_one("input[name=csrfmiddlewaretoken]")["value"]

    assert token(first) != token(second)
    assert (
        "csrfmiddlewaretoken"
        not in pagecache.stored_page("/seminars/power/register/").content.decode()
    )
    assert "private" in second["Cache-Control"]
    posted = Client(enforce_csrf_checks=True)
    posted.cookies = other.cookies
    response = posted.post(
        "/seminars/power/register/",
        {
            "name": "Gus Ivy",
            "email": "gus@example.org",
            "consent": "on",
            "csrfmiddlewaretoken": token(second),
        },
    )
    assert response.status_code == 302


def test_an_organiser_is_served_the_stored_page_and_a_draft_preview_never_is(
    organiser_client, site, django_assert_num_queries
):
    public = organiser_client.get("/seminars/power/")
    with django_assert_num_queries(2):  # the session and the user: no render
        again = organiser_client.get("/seminars/power/")
    assert again.content == public.content

    SeminarFactory(title="Still planning", slug="planning", status="draft")
    preview = organiser_client.get("/seminars/planning/")
    assert "Preview: not public" in text(page(preview), "[role=status].preview-banner")
    assert pagecache.stored_page("/seminars/planning/") is None


def test_an_edit_takes_a_number_from_the_shared_sequence_only_once_committed(
    client, site, django_capture_on_commit_callbacks
):
    """Taking one inside the transaction would hold the sequence (a locked row, with the
    database's cache) until the end of it, and make every edit on the site wait."""
    from coproseries.pagecache.versions import sequence_now

    client.get("/seminars/power/")
    before = sequence_now()
    with django_capture_on_commit_callbacks(execute=True):
        site.title = "Sharing power renamed"
        site.save()
        assert sequence_now() == before
        assert "Sharing power renamed" in client.get("/seminars/power/").content.decode()

    assert sequence_now() > before
    assert "Sharing power renamed" in client.get("/seminars/power/").content.decode()
