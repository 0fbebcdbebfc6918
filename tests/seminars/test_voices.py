"""The balance of voices: people and programme time by role, on a seminar page, at /voices/
and on the seminar's admin page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Person, Role
from seminars import selectors
from seminars.models import Seminar, Talk
from seminars.voices import VoiceRow, duration_words, percentage
from tests.factories import PersonFactory, SeminarFactory, TalkFactory, WorkshopFactory
from tests.html import links, page, text, texts

pytestmark = pytest.mark.django_db


def role(slug):
    return Role.objects.get(slug=slug)


def item_at(factory, seminar, *, start, minutes, **kwargs):
    starts_at = seminar.starts_at + dt.timedelta(minutes=start)
    return factory(
        seminar=seminar,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        **kwargs,
    )


@pytest.fixture
def worked_example():
    """The hand-worked example.

    People:
      A: Academic.
      B: Expert by experience and Carer (two roles, both public).
      C: Peer support worker, but C has chosen not to show their roles.

    Programme (200 minutes in all):
      a 60-minute talk by A and B,
      a 90-minute workshop by C,
      a 30-minute response by A alone,
      a 20-minute talk with nobody named yet.

    Worked out by hand:
      Academic:             people {A} = 1; items: the talk and the response,
                            60 + 30 = 90 minutes; 90 / 200 = 45%.
      Expert by experience: people {B} = 1; the talk, 60 minutes; 60 / 200 = 30%.
      Peer support worker:  0 people, 0 minutes, 0%: C's role is hidden, so C is not here.
      Carer:                people {B} = 1; the talk, 60 minutes; 30%.
      Practitioner, Student, Policy maker: 0, 0, 0%.
      Not stated:           people {C} = 1; the workshop, 90 minutes; 45%.
      Whole programme:      3 people (A, B, C each once), 200 minutes, 4 items.
    The rows add up to 4 people (B counts twice) and 150% (the talk counts for three roles).
    """
    seminar = SeminarFactory(slug="worked", title="Worked example")
    a = PersonFactory(name="Person A", roles=[role("academic")])
    b = PersonFactory(name="Person B", roles=[role("expert-by-experience"), role("carer")])
    c = PersonFactory(name="Person C", roles=[role("peer-support-worker")], show_roles=False)
    item_at(TalkFactory, seminar, start=0, minutes=60, speakers=[a, b])
    item_at(WorkshopFactory, seminar, start=60, minutes=90, facilitators=[c])
    item_at(TalkFactory, seminar, start=150, minutes=30, speakers=[a], kind=Talk.Kind.RESPONSE)
    item_at(TalkFactory, seminar, start=180, minutes=20)
    return seminar


WORKED_ROWS = (
    VoiceRow("Academic", people=1, minutes=90, share=45),
    VoiceRow("Expert by experience", people=1, minutes=60, share=30),
    VoiceRow("Peer support worker", people=0, minutes=0, share=0),
    VoiceRow("Carer", people=1, minutes=60, share=30),
    VoiceRow("Practitioner", people=0, minutes=0, share=0),
    VoiceRow("Student", people=0, minutes=0, share=0),
    VoiceRow("Policy maker", people=0, minutes=0, share=0),
    VoiceRow("Not stated", people=1, minutes=90, share=45),
)

WORKED_TABLE = [
    ["Academic", "1", "1 hour 30 minutes", "45%"],
    ["Expert by experience", "1", "1 hour", "30%"],
    ["Peer support worker", "0", "0 minutes", "0%"],
    ["Carer", "1", "1 hour", "30%"],
    ["Practitioner", "0", "0 minutes", "0%"],
    ["Student", "0", "0 minutes", "0%"],
    ["Policy maker", "0", "0 minutes", "0%"],
    ["Not stated", "1", "1 hour 30 minutes", "45%"],
]

TWO_ROLES_SENTENCE = (
    "A person with more than one role is counted under each of them, so the rows can add up "
    "to more than the 3 people on the programme, and the shares to more than 100%. "
    "Here 1 person has more than one role."
)


def day(seminar):
    return f"{timezone.localtime(seminar.starts_at):%-d %B %Y}"


def table_rows(soup, scope):
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in soup.select(f"{scope} table.voices-table tbody tr")
    ]


def table_total(soup, scope):
    return texts(soup, f"{scope} table.voices-table tfoot th, {scope} table.voices-table tfoot td")


# The arithmetic


def test_voices_for_the_worked_example_matches_the_hand_count(worked_example):
    seminar = selectors.seminar_detail_queryset().get(slug="worked")
    voices = selectors.seminar_voices(selectors.seminar_programme(seminar))

    assert voices.rows == WORKED_ROWS
    assert (voices.items, voices.people, voices.minutes) == (4, 3, 200)
    assert voices.people_with_several_roles == 1
    assert sum(row.people for row in voices.rows) == 4
    assert sum(row.share for row in voices.rows) == 150


def test_voices_count_a_co_led_item_once_per_role():
    seminar = SeminarFactory()
    academics = [PersonFactory(roles=[role("academic")]) for _ in range(3)]
    item_at(TalkFactory, seminar, start=0, minutes=45, speakers=academics)
    item_at(TalkFactory, seminar, start=45, minutes=15, speakers=academics[:1])

    voices = selectors.planning_voices(seminar)

    assert voices.rows[0] == VoiceRow("Academic", people=3, minutes=60, share=100)
    assert (voices.people, voices.minutes) == (3, 60)


def test_voices_count_a_person_with_two_roles_in_both():
    seminar = SeminarFactory()
    both = PersonFactory(roles=[role("peer-support-worker"), role("practitioner")])
    item_at(WorkshopFactory, seminar, start=0, minutes=40, facilitators=[both])
    item_at(WorkshopFactory, seminar, start=40, minutes=40)

    voices = selectors.planning_voices(seminar)

    counted = {row.label: (row.people, row.minutes, row.share) for row in voices.rows}
    assert counted["Peer support worker"] == (1, 40, 50)
    assert counted["Practitioner"] == (1, 40, 50)
    assert counted["Not stated"] == (0, 0, 0)
    assert (voices.people, voices.people_with_several_roles) == (1, 1)


def test_voices_count_hidden_roles_and_no_roles_as_not_stated_only():
    seminar = SeminarFactory()
    hidden = PersonFactory(roles=[role("carer"), role("student")], show_roles=False)
    no_roles = PersonFactory()
    item_at(TalkFactory, seminar, start=0, minutes=30, speakers=[hidden, no_roles])

    voices = selectors.planning_voices(seminar)

    assert [(row.label, row.people, row.minutes) for row in voices.rows if row.people] == [
        ("Not stated", 2, 30)
    ]
    assert voices.people_with_several_roles == 0


def test_voices_follow_the_organisers_role_vocabulary_in_order():
    Role.objects.create(name="Commissioner", slug="commissioner", position=0)
    seminar = SeminarFactory()
    item_at(TalkFactory, seminar, start=0, minutes=30, speakers=[PersonFactory()])

    labels = [row.label for row in selectors.planning_voices(seminar).rows]

    assert labels == [
        "Commissioner", "Academic", "Expert by experience", "Peer support worker", "Carer",
        "Practitioner", "Student", "Policy maker", "Not stated",
    ]  # fmt: skip


def test_percentage_rounds_halves_up_and_duration_words_keep_exact_minutes():
    assert [percentage(part, 8) for part in (0, 1, 3, 4, 8)] == [0, 13, 38, 50, 100]
    assert percentage(0, 0) == 0
    assert [duration_words(m) for m in (0, 1, 45, 60, 61, 90, 6000)] == [
        "0 minutes", "1 minute", "45 minutes", "1 hour", "1 hour 1 minute",
        "1 hour 30 minutes", "100 hours",
    ]  # fmt: skip


# The seminar page


def test_seminar_page_shows_the_worked_example_in_its_voices_table(client, worked_example):
    soup = page(client.get("/seminars/worked/"))

    assert text(soup, "#voices h2") == "Voices on the programme"
    assert text(soup, "#voices caption") == "People and programme time by role, at this seminar"
    assert texts(soup, "#voices thead th") == [
        "Role", "People", "Time led or co-led", "Share of programme time",
    ]  # fmt: skip
    assert [th["scope"] for th in soup.select("#voices table th")] == ["col"] * 4 + ["row"] * 9
    assert table_rows(soup, "#voices") == WORKED_TABLE
    assert table_total(soup, "#voices") == [
        "Whole programme, each person once", "3", "3 hours 20 minutes", "100%",
    ]  # fmt: skip
    assert text(soup, "#voices .voices-several") == TWO_ROLES_SENTENCE


def test_seminar_page_voices_chart_is_svg_bars_hidden_from_assistive_technology(
    client, worked_example
):
    soup = page(client.get("/seminars/worked/"))

    chart = soup.select_one("#voices .voices-chart")
    assert chart["aria-hidden"] == "true"
    assert [rect["width"] for rect in chart.select("rect[fill='#1b5e4b']")] == [
        "45%", "30%", "0%", "30%", "0%", "0%", "0%", "45%",
    ]  # fmt: skip
    assert not soup.select("#voices [style]")


def test_seminar_page_never_reveals_hidden_roles(client, worked_example):
    soup = page(client.get("/seminars/worked/"))

    [peer_support] = [row for row in table_rows(soup, "#voices") if row[0].startswith("Peer")]
    assert peer_support == ["Peer support worker", "0", "0 minutes", "0%"]
    assert "Peer support worker" not in text(soup, "#programme-title + ol")


def test_seminar_page_without_a_programme_has_no_voices_section(client):
    SeminarFactory(slug="empty")

    soup = page(client.get("/seminars/empty/"))

    assert soup.select("#voices") == []
    assert soup.select("link[href*='voices']") == []


def test_past_seminar_where_no_one_stated_a_role_has_no_voices_section(client):
    past = SeminarFactory(slug="past", days_from_now=-30)
    quiet = PersonFactory(roles=[role("academic")], show_roles=False)
    item_at(TalkFactory, past, start=0, minutes=60, speakers=[quiet, PersonFactory()])

    soup = page(client.get("/seminars/past/"))

    assert texts(soup, ".programme h3") != []
    assert soup.select("#voices") == []
    assert soup.select("link[href*='voices']") == []


@pytest.mark.parametrize("days_from_now", [-30, 30])
def test_a_stated_role_keeps_the_voices_section_on_past_and_upcoming_seminars(
    client, days_from_now
):
    seminar = SeminarFactory(slug="with-roles", days_from_now=days_from_now)
    item_at(
        TalkFactory, seminar, start=0, minutes=60, speakers=[PersonFactory(roles=[role("carer")])]
    )

    soup = page(client.get("/seminars/with-roles/"))

    assert table_rows(soup, "#voices")[3] == ["Carer", "1", "1 hour", "100%"]


def test_upcoming_seminar_where_no_one_stated_a_role_still_shows_its_voices(client):
    seminar = SeminarFactory(slug="soon", days_from_now=30)
    item_at(TalkFactory, seminar, start=0, minutes=60, speakers=[PersonFactory()])

    soup = page(client.get("/seminars/soon/"))

    assert table_rows(soup, "#voices")[-1] == ["Not stated", "1", "1 hour", "100%"]


def test_voices_chart_bars_have_classes_for_forced_colours(client, worked_example):
    soup = page(client.get("/seminars/worked/"))

    bars = soup.select("#voices svg.voices-chart-bar")
    assert {tuple(rect["class"][0] for rect in bar.select("rect")) for bar in bars} == {
        ("voices-chart-track", "voices-chart-share")
    }


# /voices/


def test_voices_page_counts_public_seminars_past_and_upcoming_but_not_drafts_or_cancelled(
    client, worked_example
):
    practitioner = PersonFactory(roles=[role("practitioner")])
    for status, days in [
        (Seminar.Status.DRAFT, 40),
        (Seminar.Status.CANCELLED, 50),
    ]:
        other = SeminarFactory(status=status, days_from_now=days)
        item_at(TalkFactory, other, start=0, minutes=60, speakers=[practitioner])
    past = SeminarFactory(slug="past", title="Past seminar", days_from_now=-300)
    item_at(TalkFactory, past, start=0, minutes=50, speakers=[PersonFactory()])

    soup = page(client.get("/voices/"))

    assert text(soup, "h1") == "Voices on the programme"
    assert text(soup, "#series-voices-title + p + p") == (
        "The programme: 5 talks and workshops lasting 4 hours 10 minutes in all, "
        "led or co-led by 4 people."
    )
    assert table_rows(soup, "main") == [
        ["Academic", "1", "1 hour 30 minutes", "36%"],
        ["Expert by experience", "1", "1 hour", "24%"],
        ["Peer support worker", "0", "0 minutes", "0%"],
        ["Carer", "1", "1 hour", "24%"],
        ["Practitioner", "0", "0 minutes", "0%"],
        ["Student", "0", "0 minutes", "0%"],
        ["Policy maker", "0", "0 minutes", "0%"],
        ["Not stated", "2", "2 hours 20 minutes", "56%"],
    ]
    assert table_total(soup, "main") == [
        "Whole programme, each person once", "4", "4 hours 10 minutes", "100%",
    ]  # fmt: skip
    assert "A person with more than one role is counted under each of them" in text(
        soup, ".voices-several"
    )


def test_voices_page_lists_each_public_seminar_newest_first_with_people_by_role(
    client, worked_example
):
    cancelled = SeminarFactory(
        slug="off", title="Called off", status=Seminar.Status.CANCELLED, days_from_now=90
    )
    item_at(TalkFactory, cancelled, start=0, minutes=60, speakers=[PersonFactory()])
    later = SeminarFactory(slug="later", title="No programme yet", days_from_now=60)
    SeminarFactory(title="A draft", status=Seminar.Status.DRAFT, days_from_now=70)

    soup = page(client.get("/voices/"))

    assert texts(soup, ".voices-seminars > li") == [
        f"Called off Cancelled {day(cancelled)} · not counted in the series’ figures "
        "1 person: Not stated 1. Voices at Called off",
        f"No programme yet {day(later)} No programme yet.",
        f"Worked example {day(worked_example)} "
        "3 people: Academic 1, Expert by experience 1, Carer 1, Not stated 1. "
        "Voices at Worked example",
    ]
    assert links(soup, ".voices-seminars") == [
        ("Called off", "/seminars/off/"),
        ("Voices at Called off", "/seminars/off/#voices"),
        ("No programme yet", "/seminars/later/"),
        ("Worked example", "/seminars/worked/"),
        ("Voices at Worked example", "/seminars/worked/#voices"),
    ]


def test_voices_page_without_programmes_says_so(client):
    soup = page(client.get("/voices/"))

    assert text(soup, "#series-voices-title + p") == "No programmes have been published yet."
    assert soup.select("table") == []


def test_voices_page_is_in_the_navigation_and_footer(client):
    soup = page(client.get("/voices/"))

    assert ("Voices", "/voices/") in links(soup, "header nav")
    assert soup.select_one("header nav a[href='/voices/']")["aria-current"] == "page"
    assert ("Voices", "/voices/") in links(soup, "footer")


def test_voices_page_changes_at_once_when_roles_are_hidden_or_removed(
    client, settings, worked_example
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    assert table_rows(page(client.get("/voices/")), "main")[0][:2] == ["Academic", "1"]
    person_a = Person.objects.get(name="Person A")

    person_a.show_roles = False
    person_a.save()

    rows = table_rows(page(client.get("/voices/")), "main")
    assert rows[0] == ["Academic", "0", "0 minutes", "0%"]
    assert rows[-1] == ["Not stated", "2", "3 hours", "90%"]

    Person.objects.get(name="Person B").roles.remove(role("carer"))

    assert table_rows(page(client.get("/voices/")), "main")[3] == [
        "Carer", "0", "0 minutes", "0%",
    ]  # fmt: skip


# The admin


def test_admin_seminar_page_shows_the_balance_of_a_draft_to_an_organiser(organiser_client):
    draft = SeminarFactory(status=Seminar.Status.DRAFT)
    practitioner = PersonFactory(roles=[role("practitioner")])
    item_at(TalkFactory, draft, start=0, minutes=45, speakers=[practitioner])
    item_at(WorkshopFactory, draft, start=45, minutes=15)

    soup = page(organiser_client.get(reverse("admin:seminars_seminar_change", args=[draft.pk])))

    assert text(soup, "#voices h2") == "Voices on the programme"
    rows = table_rows(soup, "#voices")
    assert rows[4] == ["Practitioner", "1", "45 minutes", "75%"]
    assert rows[-1] == ["Not stated", "0", "0 minutes", "0%"]
    assert table_total(soup, "#voices") == [
        "Whole programme, each person once", "1", "1 hour", "100%",
    ]  # fmt: skip


def test_admin_seminar_page_shows_the_worked_example(organiser_client, worked_example):
    url = reverse("admin:seminars_seminar_change", args=[worked_example.pk])

    soup = page(organiser_client.get(url))

    assert table_rows(soup, "#voices") == WORKED_TABLE


def test_admin_seminar_page_without_items_says_so(organiser_client):
    seminar = SeminarFactory(status=Seminar.Status.DRAFT)

    soup = page(organiser_client.get(reverse("admin:seminars_seminar_change", args=[seminar.pk])))

    assert "No talks or workshops yet." in text(soup, "#voices")
    assert soup.select("#voices table") == []


def test_admin_add_seminar_page_has_no_voices(organiser_client):
    soup = page(organiser_client.get(reverse("admin:seminars_seminar_add")))

    assert soup.select("#voices") == []


@pytest.mark.parametrize("count", [1, 10])
def test_planning_voices_run_a_fixed_number_of_queries(django_assert_num_queries, count):
    seminar = SeminarFactory(status=Seminar.Status.DRAFT)
    for index in range(count):
        people = [
            PersonFactory(roles=[role("academic"), role("carer")]),
            PersonFactory(roles=[role("student")], show_roles=index % 2 == 0),
        ]
        item_at(TalkFactory, seminar, start=index * 60, minutes=30, speakers=people)
        item_at(WorkshopFactory, seminar, start=index * 60 + 30, minutes=30, facilitators=people)

    # Talks, their people, workshops, their people, then the roles in one query.
    with django_assert_num_queries(5):
        voices = selectors.planning_voices(seminar)

    assert (voices.items, voices.people) == (2 * count, 2 * count)
