"""Search on SQLite: an FTS5 table per kind (`<table>_fts`, kept in step by triggers,
migration 0022) with the Porter stemmer over unicode61, matched by an expression built from
the parsed query, ranked by bm25 with the title weighted most, and highlighted by snippet().

The FTS5 tables are not Django models (a model would put them in dumpdata and loaddata, and
PostgreSQL has no such tables), so the query joins one in with `extra()`: FTS5's MATCH and
its ranking and snippet functions must name the table in the query that matches it.
"""

from django.db import connection

from seminars.search.kinds import KINDS
from seminars.search.snippets import START, STOP

SNIPPET_TOKENS = 30
# bm25 weights of the index's columns: title, summary, body, themes and the joined-up
# spellings of hyphenated words; in proportion to PostgreSQL's weights A, B, C, B and D.
COLUMN_WEIGHTS = (10.0, 4.0, 2.0, 4.0, 1.0)
SUMMARY_COLUMN, BODY_COLUMN = 1, 2


def matches(kind, query):
    """Every public item of a kind matching `query`, best first, each with the marked
    snippets of its summary and body."""
    queryset = kind.results_queryset()
    item_table = queryset.model._meta.db_table
    index = f"{item_table}_fts"
    weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)

    def snippet(column):
        return f"snippet({index}, {column}, %s, %s, '…', {SNIPPET_TOKENS})"

    return queryset.extra(
        tables=[index],
        where=[f"{index}.rowid = {item_table}.id", f"{index} MATCH %s"],
        params=[query.fts5()],
        select={
            "rank": f"bm25({index}, {weights})",
            "summary_snippet": snippet(SUMMARY_COLUMN),
            "body_snippet": snippet(BODY_COLUMN),
        },
        select_params=[START, STOP, START, STOP],
    ).order_by(*kind.ordering("rank"))


def marked_snippet(obj):
    """The summary's snippet if the words are in it, else the body's, else whichever there is."""
    snippets = [obj.summary_snippet, obj.body_snippet]
    return next((text for text in snippets if START in text), None) or next(
        (text for text in snippets if text), ""
    )


def rebuild_index():
    """Empty each index, then touch every row: the update trigger, the one definition of an
    index row, writes it afresh."""
    with connection.cursor() as cursor:
        for kind in KINDS:
            cursor.execute(f"DELETE FROM {kind.table}_fts")
            cursor.execute(f"UPDATE {kind.table} SET id = id")
            cursor.execute(f"INSERT INTO {kind.table}_fts ({kind.table}_fts) VALUES ('optimize')")
