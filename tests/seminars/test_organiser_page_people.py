"""The seminar's page for organisers, before and after the day: the people on the programme,
each invited from there (and back there once sent), and the recap started from there."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    PersonFactory,
    RecapFactory,
    SeminarFactory,
    TalkFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.html import links, page, texts

pytestmark = pytest.mark.django_db


def page_url(seminar):
    return reverse("admin:seminars_seminar_organiser_page", args=[seminar.pk])


def invite_url(person, next_url):
    return f"{reverse('admin:people_person_invite', args=[person.pk])}?next={next_url}"


@pytest.fixture
def seminar():
    seminar = SeminarFactory(title="Sharing power")
    ann = PersonFactory(name="Ann Example", email="ann@example.org")
    bo = PersonFactory(name="Bo Example", email="")
    cy = PersonFactory(
        name="Cy Example",
        email="cy@example.org",
        invited_at=timezone.make_aware(timezone.datetime(2030, 3, 4, 12)),
        user=UserFactory(email="cy@example.org"),
    )
    dee = PersonFactory(
        name="Dee Example",
        email="dee@example.org",
        user=UserFactory(email="dee@example.org", last_login=timezone.now()),
    )
    TalkFactory(seminar=seminar, speakers=[ann, bo])
    WorkshopFactory(seminar=seminar, facilitators=[cy, ann, dee])
    return seminar


def test_the_page_lists_the_people_on_the_programme_once_with_their_logins(
    organiser_client, seminar
):
    soup = page(organiser_client.get(page_url(seminar)))

    assert texts(soup, "#people tbody tr") == [
        "Ann Example Not invited Invite Ann Example",
        "Bo Example No email —",
        "Cy Example Invited 04 Mar 2030 Invite Cy Example again",
        "Dee Example Accepted —",
    ]
    back = page_url(seminar)
    assert [href for _, href in links(soup, "#people tbody td:last-child")] == [
        invite_url(seminar.talks.get().speakers.get(name="Ann Example"), back),
        invite_url(seminar.workshops.get().facilitators.get(name="Cy Example"), back),
    ]


def test_staff_who_may_not_change_people_or_see_recaps_get_no_links_to_them(client, seminar):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(codename__in=["view_seminar", "view_registration"])
    )
    client.force_login(staff)

    soup = page(client.get(page_url(seminar)))

    assert texts(soup, "#people tbody td:last-child") == ["—", "—", "—", "—"]
    assert soup.select("#after") == []  # nor may they see recaps


def test_an_invitation_from_the_page_returns_to_it_once_sent_or_cancelled(
    organiser_client, seminar
):
    ann = seminar.talks.get().speakers.get(name="Ann Example")
    url = invite_url(ann, page_url(seminar))

    shown = page(organiser_client.get(url))
    response = organiser_client.post(url, {"note": "", "_invite": "send"})

    assert links(shown, ".submit-row") == [("Cancel", page_url(seminar))]
    assert (response.status_code, response.url) == (302, page_url(seminar))
    assert [message.to for message in mail.outbox] == [["ann@example.org"]]


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/admin/", "//evil.example/admin/", "/seminars/", ""]
)
def test_an_invitation_returns_only_to_an_admin_page_of_this_site(
    organiser_client, seminar, elsewhere
):
    ann = seminar.talks.get().speakers.get(name="Ann Example")

    response = organiser_client.post(invite_url(ann, elsewhere), {"note": "", "_invite": "send"})

    assert response.url == reverse("admin:people_person_change", args=[ann.pk])


def test_the_recap_is_started_from_the_page_and_listed_there(organiser_client, seminar):
    add = f"{reverse('admin:seminars_recap_add')}?seminar={seminar.pk}"
    before = page(organiser_client.get(page_url(seminar)))
    recap = RecapFactory(seminar=seminar, title="What we heard", status="draft")

    after = page(organiser_client.get(page_url(seminar)))

    assert links(before, "#after") == [("Write the recap", add)]
    assert texts(after, "#after li") == ["What we heard (draft)"]
    assert links(after, "#after") == [
        ("What we heard", reverse("admin:seminars_recap_change", args=[recap.pk])),
        ("Write another recap", add),
    ]
