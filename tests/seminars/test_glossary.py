"""The glossary: the organisers' roles in their own plain words, and the site's other terms,
linked from where the terms appear."""

import importlib

import pytest
from django.apps import apps as installed_apps

from people.models import Role
from tests.factories import (
    PersonFactory,
    RoleFactory,
    SeminarFactory,
    SeriesFactory,
    TalkFactory,
)
from tests.html import links, page, text

pytestmark = pytest.mark.django_db

PLAIN = {
    "Academic": "Does research or teaches at a university or a research institute.",
    "Expert by experience": (
        "Has used mental health services, and brings what they learned from that to the work."
    ),
    "Peer support worker": (
        "Uses their own experience of mental health problems to support other people, as a "
        "job or as a volunteer."
    ),
    "Carer": (
        "Looks after, or has looked after, a family member or friend who uses mental health "
        "services."
    ),
    "Practitioner": (
        "Works in health or social care, or for a charity, for example as a nurse, social "
        "worker or psychologist."
    ),
    "Student": "Is studying, at any level.",
    "Policy maker": (
        "Helps decide the rules and plans for services, in government, the NHS or elsewhere."
    ),
}


def glossary_roles(soup):
    return [
        (dt["id"], dt.get_text(strip=True), dt.find_next_sibling("dd").get_text(strip=True))
        for dt in soup.select_one("h2#roles").find_next("dl").select("dt")
    ]


def test_the_glossary_explains_each_role_in_the_organisers_words(client):
    soup = page(client.get("/glossary/"))

    assert text(soup, "h1") == "Glossary"
    assert glossary_roles(soup) == [
        *(
            (f"role-{Role.objects.get(name=name).slug}", name, plain)
            for name, plain in PLAIN.items()
        ),
        (
            "not-stated",
            "Not stated",
            "People who have not chosen to show their roles, or who have no role recorded. "
            "We never count them under the roles they hold.",
        ),
    ]


def test_a_renamed_or_new_role_shows_as_the_organisers_wrote_it(client):
    role = Role.objects.get(slug="expert-by-experience")
    role.name, role.description = "Lived experience expert", "Someone who has used services."
    role.save()
    RoleFactory(name="Advocate", slug="advocate", description="", position=99)

    roles = glossary_roles(page(client.get("/glossary/")))

    assert (
        "role-expert-by-experience",
        "Lived experience expert",
        "Someone who has used services.",
    ) in roles
    assert roles[-2] == ("role-advocate", "Advocate", "No description yet.")


def test_the_glossary_defines_co_production_in_one_plain_sentence(client):
    soup = page(client.get("/glossary/"))

    assert text(soup, "dt#co-production + dd").startswith(
        "Co-production means people who use services and people who provide them work "
        "together as equals and share power."
    )


@pytest.mark.parametrize("count", [1, 20])
def test_the_glossary_runs_one_query_however_many_roles(client, django_assert_num_queries, count):
    SeriesFactory()
    for number in range(count):
        RoleFactory(description=f"Role number {number}.")

    with django_assert_num_queries(1):
        response = client.get("/glossary/")

    assert len(glossary_roles(page(response))) == Role.objects.count() + 1


@pytest.mark.parametrize("url", ["/", "/seminars/", "/privacy/", "/glossary/"])
def test_every_footer_links_the_glossary(client, url):
    assert ("Glossary", "/glossary/") in links(page(client.get(url)), ".site-footer")


def test_role_names_link_to_their_entries_where_they_appear(client):
    expert = Role.objects.get(slug="expert-by-experience")
    person = PersonFactory(slug="ann", name="Ann Able", roles=[expert])
    seminar = SeminarFactory(slug="open")
    TalkFactory(seminar=seminar, speakers=[person, PersonFactory(show_roles=False)])
    anchors = {dt["id"] for dt in page(client.get("/glossary/")).select("dt[id]")}

    person_page = links(page(client.get("/people/ann/")), "ul.role-list")
    voices = {
        name: href
        for url in ["/seminars/open/", "/voices/"]
        for name, href in links(page(client.get(url)), "table.voices-table tbody")
    }
    directory = links(page(client.get("/people/")), ".lead-summary")

    assert person_page == [("Expert by experience", "/glossary/#role-expert-by-experience")]
    assert voices["Expert by experience"] == "/glossary/#role-expert-by-experience"
    assert voices["Not stated"] == "/glossary/#not-stated"
    assert {href.split("#")[1] for href in voices.values()} <= anchors
    assert directory == [("glossary", "/glossary/#roles")]


def test_the_home_page_says_what_co_production_means_and_links_the_glossary(client):
    SeriesFactory(title="Re-imagining professionalism")

    soup = page(client.get("/"))

    assert text(soup, "#co-production-meaning") == (
        "Co-production means people who use services and people who provide them work "
        "together as equals and share power. The glossary explains other words we use."
    )
    assert links(soup, "#co-production-meaning") == [
        ("Co-production", "/glossary/#co-production"),
        ("glossary", "/glossary/"),
    ]


def test_the_migration_rewrites_only_descriptions_still_as_seeded():
    migration = importlib.import_module(
        "people.migrations.0007_plain_role_descriptions_and_formatting_help"
    )
    Role.objects.filter(slug="academic").update(
        description="Works in research or teaching at a university or institute."
    )
    Role.objects.filter(slug="carer").update(description="An organiser's own words.")
    Role.objects.filter(slug="student").update(description="Studying at any level.")

    migration.plain_descriptions(installed_apps, None)
    after = dict(Role.objects.values_list("slug", "description"))
    migration.seeded_descriptions(installed_apps, None)
    undone = dict(Role.objects.values_list("slug", "description"))

    assert (after["academic"], after["carer"], after["student"]) == (
        PLAIN["Academic"],
        "An organiser's own words.",
        PLAIN["Student"],
    )
    assert (undone["academic"], undone["carer"], undone["student"]) == (
        "Works in research or teaching at a university or institute.",
        "An organiser's own words.",
        "Studying at any level.",
    )
