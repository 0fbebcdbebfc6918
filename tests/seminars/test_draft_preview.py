"""Organisers preview a draft seminar or recap at its public address, under a "Preview: not
public" banner; visitors still get 404, and no preview is ever cached."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils.cache import add_never_cache_headers

from coproseries.pagecache import cache_public_page, stored_page
from seminars.models import Recap
from tests.factories import RecapFactory, SeminarFactory, TalkFactory, UserFactory
from tests.html import page, page_with_status, text, texts

pytestmark = pytest.mark.django_db

BANNER = (
    "Preview: not public. This seminar is a draft. Only organisers can see this page; "
    "visitors get “page not found”. Edit this seminar in the admin"
)


@pytest.fixture
def draft(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    seminar = SeminarFactory(title="Still planning", slug="still-planning", status="draft")
    TalkFactory(seminar=seminar, title="Whose knowledge?")
    return seminar


def _cached(path):
    """What the page cache holds for `path`."""
    return stored_page(path)


def test_organiser_previews_a_draft_seminar_marked_as_not_public(organiser_client, draft):
    response = organiser_client.get("/seminars/still-planning/")

    soup = page(response)
    assert text(soup, "[role=status].preview-banner") == BANNER
    assert (
        soup.select_one(".preview-banner a")["href"]
        == f"/admin/seminars/seminar/{draft.pk}/change/"
    )
    assert text(soup, "h1") == "Still planning"
    assert "Whose knowledge?" in texts(soup, "ol.programme h3")
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_visitor_gets_404_for_a_draft_even_after_an_organisers_preview(organiser_client, draft):
    organiser_client.get("/seminars/still-planning/")

    visitor = Client().get("/seminars/still-planning/")

    assert visitor.status_code == 404
    assert "Still planning" not in visitor.content.decode()
    assert _cached("/seminars/still-planning/") is None


def test_published_seminar_has_no_preview_banner_for_organisers(organiser_client):
    SeminarFactory(slug="open")

    soup = page(organiser_client.get("/seminars/open/"))

    assert soup.select(".preview-banner") == []


def test_staff_without_permission_on_seminars_get_404_for_a_draft(client, draft):
    staff = UserFactory(email="helper@example.org", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename="view_person"))
    client.force_login(staff)

    assert client.get("/seminars/still-planning/").status_code == 404


def test_speaker_gets_404_for_a_draft(client, draft):
    client.force_login(UserFactory(email="speaker@example.org"))

    assert client.get("/seminars/still-planning/").status_code == 404


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"status": Recap.Status.DRAFT}, "This recap is a draft."),
        (
            {
                "status": Recap.Status.PUBLISHED,
                "published_at": dt.datetime(2031, 3, 4, 9, 30, tzinfo=dt.UTC),
            },
            "This recap is published on 4 March 2031 at 09:30.",
        ),
    ],
)
def test_organiser_previews_a_recap_not_yet_public(organiser_client, fields, reason):
    recap = RecapFactory(slug="not-yet", title="What we heard", **fields)

    preview = organiser_client.get("/recaps/not-yet/")
    visitor = Client().get("/recaps/not-yet/")

    banner = text(page(preview), "[role=status].preview-banner")
    assert banner.startswith(f"Preview: not public. {reason} Only organisers can see this page")
    assert page(preview).select_one(".preview-banner a")["href"] == (
        f"/admin/seminars/recap/{recap.pk}/change/"
    )
    assert "no-store" in preview["Cache-Control"]
    page_with_status(visitor, 404)


def test_page_cache_never_stores_a_page_its_view_marked_private(settings):
    """However a private page were reached without a session, the cache would not keep it."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60

    def private_view(request):
        response = HttpResponse("Only for me")
        add_never_cache_headers(response)
        return response

    request = RequestFactory().get("/private/")
    request.session = {}
    response = cache_public_page(private_view)(request)

    assert response.content == b"Only for me"
    assert _cached("/private/") is None
    assert "public" not in response["Cache-Control"]


def test_drafts_stay_out_of_the_list_pages_for_organisers_too(organiser_client, draft):
    """A preview is of the draft's own page: the lists show what visitors see."""
    soup = page(organiser_client.get("/seminars/"))

    assert "Still planning" not in soup.get_text()
