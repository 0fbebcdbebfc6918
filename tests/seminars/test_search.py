"""Site search at /search/: the same results page on SQLite and on PostgreSQL."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from seminars import search
from seminars.models import Recap, Seminar
from seminars.search import postgres
from tests.factories import (
    PersonFactory,
    RecapFactory,
    RegistrationFactory,
    SeminarFactory,
    TalkFactory,
    WorkshopFactory,
)
from tests.html import links, page, page_with_status, text, texts

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text indexes exist only on PostgreSQL"
)


def search_page(client, query, status=200):
    return page_with_status(client.get("/search/", {"q": query}), status)


def group_titles(soup):
    """{group heading: [hit titles]} in page order."""
    return {
        text(section, "h2"): texts(section, "h3 a")
        for section in soup.select("section.search-group")
    }


def test_search_groups_results_by_kind(client):
    seminar = SeminarFactory(title="Mutuality in practice", days_from_now=-40)
    TalkFactory(seminar=seminar, title="Listening", abstract="On mutuality between peers.")
    WorkshopFactory(seminar=seminar, title="Mutuality and reciprocity")
    PersonFactory(name="Sam Example", affiliation="Centre for Mutuality Studies")
    RecapFactory(seminar=seminar, title="What mutuality means")
    SeminarFactory(title="Unrelated seminar")

    soup = search_page(client, "mutuality")

    assert group_titles(soup) == {
        "Seminars": ["Mutuality in practice"],
        "Talks": ["Listening"],
        "Workshops": ["Mutuality and reciprocity"],
        "People": ["Sam Example"],
        "Recaps": ["What mutuality means"],
    }
    assert text(soup, ".lead-summary") == "5 results for “mutuality”"
    assert links(soup, "nav[aria-label='Results by kind']") == [
        ("Seminars (1)", "#results-seminars"),
        ("Talks (1)", "#results-talks"),
        ("Workshops (1)", "#results-workshops"),
        ("People (1)", "#results-people"),
        ("Recaps (1)", "#results-recaps"),
    ]


def test_search_hits_link_to_their_pages_with_context(client):
    seminar = SeminarFactory(title="Power and care", slug="power-and-care", days_from_now=-40)
    speaker = PersonFactory(name="Ada Speaker", slug="ada-speaker")
    TalkFactory(seminar=seminar, title="Reciprocity", slug="reciprocity", speakers=[speaker])

    soup = search_page(client, "reciprocity")

    assert links(soup, "#results-talks + ol h3") == [
        ("Reciprocity", "/seminars/power-and-care/#talk-reciprocity")
    ]
    date = timezone.localtime(seminar.starts_at).strftime("%-d %B %Y")
    assert texts(soup, "#results-talks + ol .meta") == [f"Power and care, {date} · Ada Speaker"]


def test_search_ranks_a_title_match_above_a_body_only_match(client):
    now = timezone.now()
    RecapFactory(
        title="Notes from the day",
        summary="Reciprocity, reciprocity and more reciprocity.",
        body="Reciprocity came up again and again: reciprocity everywhere.",
        published_at=now - dt.timedelta(days=1),
    )
    RecapFactory(
        title="Reciprocity", body="A short recap.", published_at=now - dt.timedelta(days=9)
    )
    TalkFactory(title="Opening", abstract="A talk touching on reciprocity.")
    TalkFactory(title="Reciprocity in peer work")

    soup = search_page(client, "reciprocity")

    assert group_titles(soup) == {
        "Talks": ["Reciprocity in peer work", "Opening"],
        "Recaps": ["Reciprocity", "Notes from the day"],
    }


def test_search_leaves_out_drafts_unlisted_people_and_unpublished_recaps(client):
    draft = SeminarFactory(title="Quokka draft seminar", status=Seminar.Status.DRAFT)
    TalkFactory(seminar=draft, title="Quokka talk at a draft")
    WorkshopFactory(seminar=draft, title="Quokka workshop at a draft")
    PersonFactory(name="Quokka Unlisted", is_listed=False)
    RecapFactory(title="Quokka draft recap", status=Recap.Status.DRAFT)
    RecapFactory(title="Quokka future recap", published_at=timezone.now() + dt.timedelta(days=3))
    SeminarFactory(title="Quokka cancelled", status=Seminar.Status.CANCELLED)

    soup = search_page(client, "quokka")

    assert group_titles(soup) == {"Seminars": ["Quokka cancelled"]}
    assert texts(soup, "#results-seminars + ol .badge-cancelled") == ["Cancelled"]


def test_search_never_looks_in_private_fields(client):
    seminar = SeminarFactory(title="Open seminar", online_url="https://video.example.org/wombat")
    PersonFactory(name="Private Person", email="wombat@example.org")
    RegistrationFactory(seminar=seminar, name="Wombat Registrant", email="wombat@example.net")

    soup = search_page(client, "wombat")

    assert group_titles(soup) == {}
    assert text(soup, ".lead-summary") == "No results for “wombat”."


def test_search_marks_matched_words_in_a_snippet_without_markdown(client):
    TalkFactory(title="Opening", abstract="We discussed **reciprocity** in [peer support](/x/).")

    soup = search_page(client, "reciprocity")

    [snippet] = soup.select("#results-talks + ol .snippet")
    assert snippet.get_text() == "We discussed reciprocity in peer support."
    assert [str(mark) for mark in snippet.select("mark")] == ["<mark>reciprocity</mark>"]


def test_search_escapes_html_in_snippets(client):
    TalkFactory(title="Opening", abstract="Reciprocity <script>alert('x')</script> matters.")

    response = client.get("/search/", {"q": "reciprocity"})

    snippet = page(response).select_one("#results-talks + ol .snippet")
    assert snippet.select("script") == []
    assert b"<script>alert" not in response.content
    if connection.vendor == "postgresql":  # ts_headline leaves out what looks like a tag
        assert snippet.decode_contents() == "<mark>Reciprocity</mark> alert('x') matters."
    else:
        assert snippet.decode_contents() == (
            "<mark>Reciprocity</mark> &lt;script&gt;alert('x')&lt;/script&gt; matters."
        )


def test_search_snippet_marks_are_balanced_and_escaped():
    marked = f"a {search.START}b{search.START} <i> {search.STOP}{search.STOP} {search.START}c"

    assert search.safe_snippet(marked) == "a <mark>b &lt;i&gt; </mark> <mark>c</mark>"


def test_search_page_has_a_title_a_labelled_form_and_no_index(client):
    response = client.get("/search/", {"q": "mutuality"})
    soup = page(response)

    assert text(soup, "title") == "Search results for “mutuality” · Co-production seminars"
    assert soup.select_one("meta[name=robots]")["content"] == "noindex"
    form = soup.select_one("main form[role=search]")
    assert (form["action"], form["method"], form["aria-label"]) == (
        "/search/",
        "get",
        "Search this site",
    )
    field = form.select_one("input[type=search]")
    assert (field["name"], field["value"]) == ("q", "mutuality")
    assert text(form, f"label[for={field['id']}]") == (
        "Search seminars, talks, workshops, people and recaps"
    )


def test_header_has_a_search_box_on_every_page(client):
    soup = page(client.get("/"))

    form = soup.select_one("header form[role=search]")
    assert (form["action"], form["method"], form["aria-label"]) == ("/search/", "get", "Site")
    field = form.select_one("input[type=search]")
    assert text(form, f"label[for={field['id']}]") == "Search the site"
    assert text(form, "button") == "Search"


def test_search_without_a_query_explains_what_can_be_searched(client):
    soup = search_page(client, "")

    assert text(soup, "title") == "Search · Co-production seminars"
    assert texts(soup, "#search-help p")[0].startswith(
        "Search finds seminars, talks, workshops, people and recaps"
    )
    assert links(soup, "#search-help") == [
        ("all seminars", "/seminars/"),
        ("people", "/people/"),
        ("recaps", "/recaps/"),
    ]


def test_search_without_results_suggests_what_to_try(client):
    soup = search_page(client, "nothingmatchesthis")

    assert text(soup, ".lead-summary") == "No results for “nothingmatchesthis”."
    assert links(soup, "main .prose") == [
        ("all seminars", "/seminars/"),
        ("people", "/people/"),
        ("recaps", "/recaps/"),
    ]


def test_search_refuses_a_very_long_query_with_a_message(client):
    soup = search_page(client, "care " * 41, status=400)

    assert text(soup, "#search-help") == (
        "Your search is too long. Use up to 200 characters: a few words work best."
    )
    assert soup.select("section.search-group") == []


NO_WORDS = "Your search has no words in it. Type one or more words."


@pytest.mark.parametrize(
    ("raw_query", "message"),
    [
        ("", None),
        ("%20%20%20", None),
        (quote("&|!:*()'\"\\"), NO_WORDS),
        ("%00", None),
        ("%ED%A0%80", NO_WORDS),  # a lone surrogate, as bytes that are not UTF-8
        ("%FF%FE", NO_WORDS),
        (quote("😀"), NO_WORDS),
        (quote("-"), NO_WORDS),
        ("care%00work", "No results for “care work”."),
        (quote("'; DROP TABLE seminars_seminar; --"), "No results for"),
        (quote("<script>alert(1)</script>"), "No results for “<script>alert(1)</script>”."),
        (quote('"unclosed phrase'), "No results for"),
        (quote("care:* & !work | (peer"), "No results for"),
        (quote("a" * 200), "No results for"),
        (quote("é" * 200), "No results for"),
    ],
)
def test_search_answers_odd_queries_helpfully(client, raw_query, message):
    TalkFactory(title="Nothing to find here")

    response = client.get(f"/search/?q={raw_query}")

    soup = page(response)
    assert text(soup, "h1") == "Search"
    if message is None:
        assert texts(soup, "#search-help p")[0].startswith("Search finds")
    elif message == NO_WORDS:
        assert texts(soup, "#search-help p")[0] == NO_WORDS
    else:
        assert text(soup, ".lead-summary").startswith(message)
    assert b"<script>alert" not in response.content


def test_search_runs_the_same_queries_with_few_and_many_matches(client, django_assert_num_queries):
    def make(count):
        for _ in range(count):
            seminar = SeminarFactory(summary="Fellowship matters.")
            TalkFactory(seminar=seminar, abstract="Fellowship.", speakers=[PersonFactory()])
            WorkshopFactory(seminar=seminar, abstract="Fellowship.", facilitators=[PersonFactory()])
            PersonFactory(bio="Fellowship.")
            RecapFactory(seminar=seminar, body="Fellowship.")

    make(3)
    with django_assert_num_queries(7):
        small = search_page(client, "fellowship")
    make(27)
    with django_assert_num_queries(7):
        large = search_page(client, "fellowship")

    assert text(small, ".lead-summary") == "15 results for “fellowship”"
    assert text(large, ".lead-summary") == "More than 100 results for “fellowship”"
    assert [len(hits) for hits in group_titles(large).values()] == [20, 20, 20, 20, 20]


@postgresql_only
def test_search_documents_are_stored_columns_with_gin_indexes_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, is_generated FROM information_schema.columns "
            "WHERE column_name = 'search_document' ORDER BY 1"
        )
        columns = cursor.fetchall()
        cursor.execute(
            "SELECT tablename, indexname FROM pg_indexes WHERE indexdef LIKE %s ORDER BY 1",
            ["%USING gin%"],
        )
        indexes = cursor.fetchall()

    tables = [
        "people_person",
        "seminars_recap",
        "seminars_seminar",
        "seminars_talk",
        "seminars_workshop",
    ]
    assert columns == [(table, "ALWAYS") for table in tables]
    # Migration 0006's expression indexes are gone: each table has one search index.
    assert indexes == [(table, f"{table}_search_document") for table in tables]


@postgresql_only
@pytest.mark.parametrize("kind", search.KINDS, ids=[kind.key for kind in search.KINDS])
def test_search_query_uses_its_index_on_postgresql(kind):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

    # Only the search condition: on a near-empty table the planner would rather filter on
    # the (indexed) status first, which says nothing about the search index.
    everything = kind.queryset().model._default_manager.all()

    plan = postgres.matches(kind, search.parse("mutuality"), queryset=everything).explain()

    assert f"Bitmap Index Scan on {kind.table}_search_document" in plan
