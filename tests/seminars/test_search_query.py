"""The search box's syntax, parsed once into terms (seminars/search/query.py): what each
database is asked is built from these, never from the text itself."""

import pytest

from seminars.search.query import Query, Term, clean_query, parse, query_terms


def terms(*phrases):
    return tuple(Term(tuple(phrase.split())) for phrase in phrases)


def test_parse_reads_words_phrases_or_and_minus():
    query = parse('peer "Mutual aid" or reciprocity -carers -"service user" co-production')

    assert query == Query(
        clauses=(terms("peer"), terms("mutual aid", "reciprocity"), terms("co-production")),
        excluded=terms("carers", "service user"),
    )
    assert query.websearch() == (
        '"peer" "mutual aid" or "reciprocity" "co-production" or "coproduction"'
    )
    assert query.websearch_excluded() == '"carers" or "service user"'
    assert query.fts5() == (
        '(("peer") AND ("mutual aid" OR "reciprocity") AND ("co-production" OR "coproduction"))'
        ' NOT ("carers" OR "service user")'
    )


def test_parse_leaves_stop_words_out_of_the_fts5_expression_but_not_out_of_phrases():
    query = parse('care in the community "in the community" -the -"the ward"')

    assert query.fts5() == (
        '(("care") AND ("community") AND ("in the community")) NOT ("the ward")'
    )


@pytest.mark.parametrize(
    ("text", "fts5"),
    [
        ("the and of", '""'),  # only stop words: an empty phrase, which matches nothing
        ("“peer support”", '("peer support")'),  # typographic quotes are quotes
        ('"unclosed phrase', '("unclosed phrase")'),
        ("well‑being", '("well‑being" OR "wellbeing")'),  # a non-breaking hyphen
        ("care or", '("care")'),  # "or" joins only two terms
        ("or care", '("care")'),
        ("care care CARE", '("care")'),
        ("peer-to-peer", '("peer-to-peer" OR "peertopeer")'),
        ("user's", '("user\'s")'),
    ],
)
def test_parse_builds_fts5_expressions_from_terms(text, fts5):
    assert parse(clean_query(text)).fts5() == fts5


@pytest.mark.parametrize("text", ['"', "*", "-", "--", '""', "^", ":", "()", "OR", "or or"])
def test_parse_of_punctuation_alone_finds_nothing_to_require(text):
    query = parse(clean_query(text))

    assert not query  # search() runs no query for it
    assert query.fts5() == '""'


@pytest.mark.parametrize(
    ("text", "fts5"),
    [
        ("NEAR(peer support)", '("near") AND ("peer") AND ("support")'),
        ("AND NOT", '""'),  # stop words, as on PostgreSQL
        ("{title}: x*", '("title") AND ("x")'),
        ("title:x", '("title") AND ("x")'),
        ("^x", '("x")'),
    ],
)
def test_parse_reads_fts5_operators_as_plain_words(text, fts5):
    assert parse(clean_query(text)).fts5() == fts5


def test_parse_without_required_terms_is_empty_even_with_exclusions():
    assert not parse('-care -"peer support"')
    assert query_terms("-care") == ["care"]  # there was something to search for


def test_parse_keeps_at_most_twelve_terms_of_very_long_text():
    query = parse(clean_query(" ".join(f"word{n}" for n in range(2000))))

    assert len(query.clauses) == 12


def test_clean_query_drops_control_characters_and_lone_surrogates_and_caps_the_length():
    assert clean_query("care\x00work\x7f \ud800 x") == "care work x"
    assert len(clean_query("a" * 10_000)) == 200
