import pytest

from people.models import Role
from seminars.models import Recap, Seminar
from tests.factories import (
    PersonFactory,
    RecapFactory,
    SeminarFactory,
    SeriesFactory,
    TalkFactory,
    WorkshopFactory,
)
from tests.html import links, page, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles():
    return {role.slug: role for role in Role.objects.all()}


def test_people_directory_lists_only_listed_people_by_name(client, roles):
    PersonFactory(name="Zoe Last", affiliation="Somewhere", roles=[roles["carer"]])
    PersonFactory(name="Ada First", pronouns="she/her")
    PersonFactory(name="Hidden Person", is_listed=False)

    soup = page(client.get("/people/"))

    assert text(soup, "h1") == "People"
    assert texts(soup, ".card-list h2") == ["Ada First (she/her)", "Zoe Last"]
    assert links(soup, ".card-list h2") == [
        ("Ada First", "/people/ada-first/"),
        ("Zoe Last", "/people/zoe-last/"),
    ]
    assert texts(soup, ".role-list li") == ["Carer"]


def test_roles_shown_only_when_the_person_chooses(client, roles):
    both = [roles["academic"], roles["expert-by-experience"]]
    PersonFactory(name="Open Person", slug="open", roles=both)
    PersonFactory(name="Private Person", slug="private", roles=both, show_roles=False)

    assert texts(page(client.get("/people/open/")), ".role-list li") == [
        "Academic",
        "Expert by experience",
    ]
    private_page = client.get("/people/private/")
    assert texts(page(private_page), ".role-list li") == []
    assert b"Expert by experience" not in private_page.content
    assert b"Expert by experience" not in client.get("/people/").content.split(b"Open Person")[0]


def test_role_names_come_from_the_role_table(client, roles):
    role = roles["expert-by-experience"]
    role.name = "Lived experience"
    role.save()
    PersonFactory(name="Renamed", slug="renamed", roles=[role])

    assert texts(page(client.get("/people/renamed/")), ".role-list li") == ["Lived experience"]


def test_person_page_lists_public_talks_workshops_and_recaps(client):
    person = PersonFactory(name="Sam Speaker", slug="sam", bio="Works on *care*.")
    other = PersonFactory(name="Ola Other")
    old = SeminarFactory(title="Old seminar", days_from_now=-60)
    new = SeminarFactory(title="New seminar", days_from_now=20)
    draft = SeminarFactory(title="Draft seminar", status=Seminar.Status.DRAFT)
    TalkFactory(seminar=old, title="Old talk", speakers=[person, other])
    WorkshopFactory(seminar=new, title="New workshop", facilitators=[person])
    TalkFactory(seminar=draft, title="Secret talk", speakers=[person])
    RecapFactory(seminar=old, title="Old recap", authors=[person])
    RecapFactory(seminar=old, title="Draft recap", authors=[person], status=Recap.Status.DRAFT)

    soup = page(client.get("/people/sam/"))

    assert text(soup, "h1") == "Sam Speaker"
    assert text(soup, ".prose") == "Works on care ."
    assert texts(soup, "section[aria-labelledby=programme-title] h3") == [
        "New workshop",
        "Old talk",
    ]
    assert links(soup, "section[aria-labelledby=programme-title] h3")[1] == (
        "Old talk",
        f"/seminars/{old.slug}/#talk-old-talk",
    )
    assert "With Sam Speaker and Ola Other" in texts(soup, ".card-list p")
    assert texts(soup, "section[aria-labelledby=recaps-title] h3") == ["Old recap"]


def test_unlisted_person_has_no_page_and_is_named_without_link(client):
    quiet = PersonFactory(name="Quiet One", slug="quiet", is_listed=False)
    seminar = SeminarFactory(slug="s")
    TalkFactory(seminar=seminar, title="T", speakers=[quiet])

    assert client.get("/people/quiet/").status_code == 404
    seminar_page = page(client.get("/seminars/s/"))
    assert "Quiet One" in text(seminar_page, ".programme li")
    assert links(seminar_page, ".programme li") == []


def test_person_email_is_never_shown(client):
    PersonFactory(name="Mail Person", slug="mail", email="private@example.org")

    assert b"private@example.org" not in client.get("/people/mail/").content
    assert b"private@example.org" not in client.get("/people/").content


@pytest.mark.parametrize("count", [1, 10])
def test_people_directory_query_count_is_constant(client, roles, django_assert_num_queries, count):
    SeriesFactory()  # the site's series, whose name and contact every page shows (cached)
    for _ in range(count):
        PersonFactory(roles=[roles["academic"], roles["carer"]])
    with django_assert_num_queries(3):
        client.get("/people/")


@pytest.mark.parametrize("count", [1, 10])
def test_person_page_query_count_is_constant(client, roles, django_assert_num_queries, count):
    person = PersonFactory(slug="busy", roles=[roles["student"]])
    for _ in range(count):
        seminar = SeminarFactory()
        TalkFactory(seminar=seminar, speakers=[person, PersonFactory()])
        WorkshopFactory(seminar=seminar, facilitators=[person])
        RecapFactory(seminar=seminar, authors=[person, PersonFactory()])
    with django_assert_num_queries(8):
        client.get("/people/busy/")
