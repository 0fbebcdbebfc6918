"""Search as real search on both databases: word forms, hyphens, phrases, exclusions and
themes; any input answered; and an index that follows every write at once (migration 0022:
generated columns and triggers on PostgreSQL, FTS5 tables and triggers on SQLite)."""

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import example, given
from hypothesis import strategies as st

from seminars import search
from seminars.models import Seminar, Talk, Theme
from tests.factories import (
    PersonFactory,
    RecapFactory,
    SeminarFactory,
    TalkFactory,
    ThemeFactory,
    WorkshopFactory,
)
from tests.html import page, page_with_status, text

pytestmark = pytest.mark.django_db


def found(client, query):
    """{group heading: [hit titles]} as the results page shows them."""
    soup = page(client.get("/search/", {"q": query}))
    return {
        section.select_one("h2").get_text(strip=True): [
            link.get_text(strip=True) for link in section.select("h3 a")
        ]
        for section in soup.select("section.search-group")
    }


def found_unranked(client, query):
    """As `found`, each group's titles in alphabetical order."""
    return {group: sorted(titles) for group, titles in found(client, query).items()}


def test_search_finds_every_form_of_a_word(client):
    TalkFactory(title="Professionalism reconsidered")
    TalkFactory(title="Opening", abstract="What professionals owe the people they serve.")
    TalkFactory(title="Unrelated", abstract="Buses and trains.")

    results = {query: found(client, query) for query in ["professionals", "professionalism"]}

    # Both databases stem both words to "profession"; a title match ranks first.
    expected = {"Talks": ["Professionalism reconsidered", "Opening"]}
    assert results == {"professionals": expected, "professionalism": expected}


def test_search_marks_the_matched_form_of_a_word_in_the_snippet(client):
    TalkFactory(title="Opening", abstract="Democratic professionalism, and who counts.")

    soup = page(client.get("/search/", {"q": "professionals"}))

    snippet = soup.select_one("#results-talks + ol .snippet")
    assert snippet.decode_contents() == ("Democratic <mark>professionalism</mark>, and who counts.")


def test_search_finds_hyphenated_and_joined_up_spellings_alike(client):
    TalkFactory(title="Hyphenated", abstract="Notes on co-production in wards.")
    TalkFactory(title="Joined up", abstract="Notes on coproduction in wards.")
    seminar = SeminarFactory(title="Themed only")
    seminar.themes.set([ThemeFactory(name="Co-production")])

    joined = found_unranked(client, "coproduction")
    hyphenated = found_unranked(client, "co-production")

    assert (
        joined
        == hyphenated
        == {
            "Seminars": ["Themed only"],
            "Talks": ["Hyphenated", "Joined up"],
        }
    )


def test_search_minus_leaves_out_items_that_mention_a_word_in_any_form(client):
    TalkFactory(title="Peer support in practice")
    TalkFactory(title="Support for carers", abstract="Support from peers.")
    TalkFactory(title="Support groups")

    assert found(client, "support -peer") == {"Talks": ["Support groups"]}
    assert found_unranked(client, 'support -"peer support"') == {
        "Talks": ["Support for carers", "Support groups"]
    }
    assert found(client, "-peer") == {}  # nothing required: nothing, rather than everything


def test_search_quoted_phrase_needs_its_words_together_and_in_order(client):
    TalkFactory(title="Peer support in practice")
    TalkFactory(title="Support for peers")

    assert found(client, '"peer support"') == {"Talks": ["Peer support in practice"]}
    assert found_unranked(client, "peer support") == {
        "Talks": ["Peer support in practice", "Support for peers"]
    }


def test_search_or_finds_either_word(client):
    TalkFactory(title="Quokkas")
    TalkFactory(title="Wombats")
    TalkFactory(title="Numbats")

    assert found_unranked(client, "quokka or wombat") == {"Talks": ["Quokkas", "Wombats"]}


def test_search_leaves_out_words_too_common_to_search_for(client):
    PersonFactory(name="Ann Example", affiliation="Community care team")

    assert found(client, "care in the community") == {"People": ["Ann Example"]}
    assert found(client, "care -the") == {"People": ["Ann Example"]}
    assert text(page(client.get("/search/", {"q": "the of and"})), ".lead-summary") == (
        "No results for “the of and”."
    )


def test_search_finds_seminars_by_their_themes_as_the_themes_change(client):
    regulation = ThemeFactory(name="Regulation")
    seminar = SeminarFactory(title="What the rules leave out", themes=[regulation])
    SeminarFactory(title="A draft about rules", status=Seminar.Status.DRAFT, themes=[regulation])

    by_theme = found(client, "regulation")
    regulation.name = "Oversight"
    regulation.save()
    renamed = (found(client, "regulation"), found(client, "oversight"))
    seminar.themes.remove(regulation)
    removed = found(client, "oversight")
    seminar.themes.add(ThemeFactory(name="Regulators"))
    added = found(client, "regulation")  # a word form of the new theme's name
    Theme.objects.filter(name="Regulators").delete()
    deleted = found(client, "regulation")

    assert by_theme == {"Seminars": ["What the rules leave out"]}
    assert renamed == ({}, {"Seminars": ["What the rules leave out"]})
    assert removed == {}
    assert added == {"Seminars": ["What the rules leave out"]}
    assert deleted == {}


def test_search_ranks_a_seminar_titled_with_the_words_above_one_themed_with_them(client):
    SeminarFactory(title="Themed", themes=[ThemeFactory(name="Mutuality")], days_from_now=5)
    SeminarFactory(title="Mutuality in practice", days_from_now=-5)

    assert found(client, "mutuality") == {"Seminars": ["Mutuality in practice", "Themed"]}


def test_search_never_finds_private_or_unpublished_items_by_any_route(client):
    hidden = ThemeFactory(name="Quokka theme")
    draft = SeminarFactory(
        title="Draft", summary="Quokka co-production.", status=Seminar.Status.DRAFT
    )
    draft.themes.set([hidden])
    TalkFactory(seminar=draft, title="Quokka talk")
    WorkshopFactory(seminar=draft, title="Quokka workshop")
    PersonFactory(name="Quokka Unlisted", is_listed=False, bio="Coproduction.")
    RecapFactory(title="Quokka draft recap", status="draft")

    queries = ["quokka", "coproduction", '"quokka theme"', "quokka or wombat", "quokka -wombat"]

    assert {query: found(client, query) for query in queries} == dict.fromkeys(queries, {})


HOSTILE = [
    '"',
    "*",
    "NEAR(",
    "NEAR(peer support, 2)",
    "\x00",
    "peer\x00support",
    '"peer',
    'peer"support',
    "-",
    "AND OR NOT",
    "(peer OR",
    "{title}:peer",
    "title:peer",
    "peer*",
    "^peer",
    "peer:*",
    "'",
    "\\",
    "\ud800",
    "a" * 10_000,
    "peer " * 2_000,
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_search_answers_hostile_input_without_error(client, query):
    TalkFactory(title="Peer support in practice")

    results = search.search(query)
    response = client.get("/search/", {"q": query.replace("\ud800", "")})

    assert [hit.title for group in results.groups for hit in group.hits] in (
        [],
        ["Peer support in practice"],
    )
    page_with_status(response, 400 if len(query) > search.MAX_QUERY_LENGTH else 200)


@given(query=st.text(max_size=300))
@example(query='"NEAR(" -"*" or OR AND ^:')
def test_search_never_fails_whatever_the_text(query):
    results = search.search(query)

    assert results.total >= 0


@pytest.mark.django_db(transaction=True)
def test_search_follows_saves_edits_bulk_writes_and_deletes_at_once(client, settings):
    """The index itself, which the database keeps in step (triggers, generated columns)
    with writes that send no signals. The page cache, which keeps search pages, follows
    signals: the app's own bulk writes call `freshness.refresh` (test_page_cache)."""
    settings.PAGE_CACHE = False
    talk = TalkFactory(title="Quokkas at dawn")
    created = found(client, "quokka")
    talk.title = "Wombats at dusk"
    talk.save()
    edited = (found(client, "quokka"), found(client, "wombat"))
    Talk.objects.filter(pk=talk.pk).update(abstract="Numbats too.")
    updated = found(client, "numbat")
    times = {"starts_at": talk.starts_at, "ends_at": talk.ends_at}
    Talk.objects.bulk_create([Talk(seminar=talk.seminar, title="Bulk quokkas", **times)])
    bulk_created = found(client, "quokka")
    talk.delete()
    deleted = found(client, "wombat")

    assert created == {"Talks": ["Quokkas at dawn"]}
    assert edited == ({}, {"Talks": ["Wombats at dusk"]})
    assert updated == {"Talks": ["Wombats at dusk"]}
    assert bulk_created == {"Talks": ["Bulk quokkas"]}
    assert deleted == {}


@pytest.mark.django_db(transaction=True)
def test_search_finds_what_seed_scale_bulk_creates(client):
    call_command("seed_scale", scale=0.01, verbosity=0)
    talk = Talk.objects.filter(seminar__status=Seminar.Status.PUBLISHED).order_by("pk").first()

    results = found(client, f'"{talk.title}"')

    assert talk.title in results["Talks"]


def _damage_index():
    """Lose what the index knows, as a restore of the tables alone would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("UPDATE seminars_seminar SET theme_names = ''")
        else:
            cursor.execute("DELETE FROM seminars_seminar_fts")
            cursor.execute("DELETE FROM seminars_talk_fts")


@pytest.mark.django_db(transaction=True)
def test_rebuild_search_index_refills_a_damaged_index(client):
    SeminarFactory(title="Rules", themes=[ThemeFactory(name="Regulation")])
    _damage_index()
    damaged = found(client, "regulation")

    call_command("rebuild_search_index", verbosity=0)

    assert damaged == {}
    assert found(client, "regulation") == {"Seminars": ["Rules"]}
