"""Themes: a thread through the series, from the seminar where a subject came up to the ones
that returned to it, with links to it on every item that carries it."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from people.services import ORGANISERS_GROUP
from seminars.models import Recap, Seminar, Talk, Theme
from tests.factories import (
    PersonFactory,
    RecapFactory,
    SeminarFactory,
    SeriesFactory,
    TalkFactory,
    ThemeFactory,
    WorkshopFactory,
    london,
)
from tests.html import links, page, page_with_status, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def regulation():
    return ThemeFactory(
        name="Regulation",
        slug="regulation",
        description="Does regulation help co-production, or *get in its way*?",
    )


@pytest.fixture
def thread(regulation):
    """A theme carried from a past seminar to an upcoming one, with drafts and strays that
    must stay out of its thread."""
    series = SeriesFactory()
    labels = ThemeFactory(name="Language and labels", slug="language-and-labels")
    leeds = SeminarFactory(
        series=series,
        title="Leeds",
        slug="leeds",
        starts_at=london(2016, 1, 5, 10),
        ends_at=london(2016, 1, 5, 16),
        themes=[regulation],
    )
    TalkFactory(
        seminar=leeds,
        title="Who regulates?",
        starts_at=london(2016, 1, 5, 11),
        speakers=[PersonFactory(name="Ann Speaker", slug="ann-speaker")],
        themes=[regulation, labels],
    )
    TalkFactory(seminar=leeds, title="Not on the theme", starts_at=london(2016, 1, 5, 12))
    WorkshopFactory(
        seminar=leeds,
        title="Rules in practice",
        starts_at=london(2016, 1, 5, 14),
        facilitators=[PersonFactory(name="Bo Facilitator")],
        themes=[regulation],
    )
    RecapFactory(
        seminar=leeds,
        title="Recap of Leeds",
        slug="recap-of-leeds",
        published_at=london(2016, 1, 20, 12),
        authors=[PersonFactory(name="Cy Author")],
        themes=[regulation],
    )
    RecapFactory(seminar=leeds, title="Draft recap", status=Recap.Status.DRAFT, themes=[regulation])
    RecapFactory(
        seminar=leeds,
        title="Recap for tomorrow",
        published_at=timezone.now() + dt.timedelta(days=1),
        themes=[regulation],
    )
    cancelled = SeminarFactory(
        series=series,
        title="Called off",
        starts_at=london(2018, 3, 1, 10),
        ends_at=london(2018, 3, 1, 16),
        status=Seminar.Status.CANCELLED,
    )
    TalkFactory(seminar=cancelled, title="Regulation revisited", themes=[regulation])
    RecapFactory(
        seminar=cancelled,
        title="Why it was called off",
        published_at=london(2018, 3, 2, 12),
        themes=[regulation],
    )
    upcoming = SeminarFactory(series=series, title="Coming up", slug="coming-up", days_from_now=30)
    TalkFactory(
        seminar=upcoming,
        title="Can policy require it?",
        kind=Talk.Kind.KEYNOTE,
        themes=[regulation],
    )
    draft = SeminarFactory(
        series=series, title="Secret draft", days_from_now=60, status=Seminar.Status.DRAFT
    )
    TalkFactory(seminar=draft, title="Draft talk", themes=[regulation])
    WorkshopFactory(seminar=draft, title="Draft workshop", themes=[regulation])
    return regulation


# The theme's page


def meta(entry):
    """An entry's line of details as read: links inline, whitespace collapsed."""
    return " ".join(entry.select_one(".meta").get_text().split())


def test_theme_page_shows_the_public_thread_oldest_first_across_kinds_and_seminars(client, thread):
    soup = page(client.get("/themes/regulation/"))

    assert text(soup, "h1") == "Regulation"
    assert text(soup, ".prose") == "Does regulation help co-production, or get in its way ?"
    assert [
        (kind.split(" · ")[0], title)
        for kind, title in zip(texts(soup, ".thread .kind"), texts(soup, ".thread h3"), strict=True)
    ] == [
        ("Seminar", "Leeds"),
        ("Talk", "Who regulates?"),
        ("Workshop", "Rules in practice"),
        ("Recap", "Recap of Leeds"),
        ("Talk", "Regulation revisited Cancelled"),
        ("Recap", "Why it was called off"),
        ("Keynote", "Can policy require it?"),
    ]


def test_theme_page_names_dates_seminars_people_and_other_themes(client, thread):
    soup = page(client.get("/themes/regulation/"))
    entries = soup.select(".thread > li")

    assert texts(soup, ".thread .kind")[:4] == [
        "Seminar · 5 January 2016",
        "Talk · 5 January 2016",
        "Workshop · 5 January 2016",
        "Recap · 20 January 2016",
    ]
    assert meta(entries[1]) == "At Leeds. Speaker: Ann Speaker"
    assert links(entries[1], ".meta") == [
        ("Leeds", "/seminars/leeds/"),
        ("Ann Speaker", "/people/ann-speaker/"),
    ]
    assert links(entries[1], ".theme-links") == [
        ("Language and labels", "/themes/language-and-labels/")
    ]
    assert text(entries[1], ".theme-links") == "Also on: Language and labels"
    assert meta(entries[2]) == "At Leeds. Facilitator: Bo Facilitator"
    assert meta(entries[3]) == "By Cy Author. A recap of Leeds"
    assert meta(entries[0]) == str(Seminar.objects.get(slug="leeds").venue)
    assert links(entries[3], "h3") == [("Recap of Leeds", "/recaps/recap-of-leeds/")]
    assert entries[0].select(".theme-links") == []


def test_theme_page_unknown_or_only_on_drafts_answers_404(client):
    SeminarFactory(status=Seminar.Status.DRAFT, themes=[ThemeFactory(slug="only-drafts")])

    assert client.get("/themes/no-such-theme/").status_code == 404
    assert client.get("/themes/only-drafts/").status_code == 404


# The list of themes


def test_theme_list_counts_public_items_only(client, thread):
    ThemeFactory(name="Unused")

    soup = page(client.get("/themes/"))

    titles, counts = texts(soup, ".card-list h2"), texts(soup, ".card-list .meta")
    assert list(zip(titles, counts, strict=True)) == [
        ("Language and labels", "1 talk"),
        ("Regulation", "1 seminar, 3 talks, 1 workshop and 2 recaps"),
    ]
    assert links(soup, ".card-list h2") == [
        ("Language and labels", "/themes/language-and-labels/"),
        ("Regulation", "/themes/regulation/"),
    ]


def test_theme_list_counts_by_kind_in_one_query(thread):
    [regulation] = Theme.objects.public().filter(slug="regulation")

    assert (
        regulation.seminar_count,
        regulation.talk_count,
        regulation.workshop_count,
        regulation.recap_count,
        regulation.item_count,
    ) == (1, 3, 1, 2, 7)


def test_theme_list_without_themes_says_so(client):
    assert text(page(client.get("/themes/")), "main p:not(.lead-summary)") == "No themes yet."


def test_header_and_footer_link_to_the_themes(client):
    soup = page(client.get("/themes/"))

    assert ("Themes", "/themes/") in links(soup, "header nav")
    assert ("Themes", "/themes/") in links(soup, "footer")
    assert soup.select_one("header nav a[aria-current=page]").get_text() == "Themes"


# Links on every item


def test_seminar_page_links_its_themes_and_each_programme_items(client, thread):
    soup = page(client.get("/seminars/leeds/"))

    assert links(soup, "article > .theme-links") == [("Regulation", "/themes/regulation/")]
    assert [links(item, ".theme-links") for item in soup.select(".programme > li")] == [
        [
            ("Language and labels", "/themes/language-and-labels/"),
            ("Regulation", "/themes/regulation/"),
        ],
        [],
        [("Regulation", "/themes/regulation/")],
    ]
    assert links(soup, "section[aria-labelledby=recaps-title] .theme-links") == [
        ("Regulation", "/themes/regulation/")
    ]


def test_recap_page_and_recap_cards_link_their_themes(client, thread):
    recap_page = page(client.get("/recaps/recap-of-leeds/"))
    recap_list = page(client.get("/recaps/"))

    assert text(recap_page, "article .theme-links") == "Theme: Regulation"
    assert links(recap_page, "article .theme-links") == [("Regulation", "/themes/regulation/")]
    assert texts(recap_list, ".card-list .theme-links") == ["Theme: Regulation"] * 2


def test_seminar_cards_link_their_themes(client, thread):
    soup = page(client.get("/seminars/"))

    assert [
        (title, theme_links)
        for title, theme_links in zip(
            texts(soup, ".card-list h3"),
            [texts(card, ".theme-links") for card in soup.select(".card-list > li")],
            strict=True,
        )
    ] == [
        ("Coming up", []),
        ("Called off Cancelled", []),
        ("Leeds", ["Theme: Regulation"]),
    ]


def test_person_page_links_the_themes_of_their_talks(client, thread):
    soup = page(client.get("/people/ann-speaker/"))

    assert texts(soup, "section[aria-labelledby=programme-title] .theme-links") == [
        "Themes: Language and labels and Regulation"
    ]


# Admin


def test_organisers_may_manage_themes():
    assert set(
        Group.objects.get(name=ORGANISERS_GROUP)
        .permissions.filter(content_type__model="theme")
        .values_list("codename", flat=True)
    ) == {"add_theme", "change_theme", "delete_theme", "view_theme"}


def test_organiser_creates_a_theme_and_gives_it_to_a_talk(organiser_client):
    talk = TalkFactory(title="Who decides?", seminar=SeminarFactory(slug="sharing"))

    response = organiser_client.post(
        reverse("admin:seminars_theme_add"),
        {"name": "Role models", "slug": "role-models", "description": "Who shows the way."},
    )
    assert response.status_code == 302
    theme = Theme.objects.get()
    assert (theme.name, theme.slug, theme.description) == (
        "Role models",
        "role-models",
        "Who shows the way.",
    )

    response = organiser_client.post(
        reverse("admin:seminars_talk_change", args=[talk.pk]),
        {
            "seminar": talk.seminar.pk,
            "title": talk.title,
            "slug": talk.slug,
            "kind": talk.kind,
            "starts_at_0": talk.starts_at.strftime("%d/%m/%Y"),
            "starts_at_1": talk.starts_at.strftime("%H:%M:%S"),
            "ends_at_0": talk.ends_at.strftime("%d/%m/%Y"),
            "ends_at_1": talk.ends_at.strftime("%H:%M:%S"),
            "themes": [theme.pk],
            "speaker_links-TOTAL_FORMS": "0",
            "speaker_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(talk.themes.all()) == [theme]
    assert texts(page(organiser_client.get("/themes/role-models/")), ".thread h3") == [
        "Who decides?"
    ]


def test_theme_admin_counts_every_item_drafts_included(organiser_client, regulation):
    SeminarFactory(status=Seminar.Status.DRAFT, themes=[regulation])
    RecapFactory(status=Recap.Status.DRAFT, themes=[regulation])

    response = organiser_client.get(reverse("admin:seminars_theme_changelist"))

    [row] = response.context["cl"].result_list
    assert (row.seminar_count, row.talk_count, row.workshop_count, row.recap_count) == (
        1,
        0,
        0,
        1,
    )


# Page cache


def test_giving_an_item_a_theme_shows_at_once(client, regulation, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    seminar = SeminarFactory(slug="sharing", title="Sharing")
    client.get("/seminars/sharing/")
    assert page_with_status(client.get("/themes/regulation/"), 404)

    seminar.themes.add(regulation)

    assert texts(page(client.get("/seminars/sharing/")), "article > .theme-links") == [
        "Theme: Regulation"
    ]
    assert texts(page(client.get("/themes/regulation/")), ".thread h3") == ["Sharing"]
