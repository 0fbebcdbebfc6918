"""Search on PostgreSQL: the stored `search_document` of each row (a generated tsvector with
a GIN index, migration 0022) matched by `websearch_to_tsquery` in English, ranked by
`ts_rank` and highlighted by `ts_headline`.

The column is not a Django field, so that loading a seminar anywhere else never fetches it;
`SearchDocument` names it in a query.
"""

from django.contrib.postgres.search import SearchConfig, SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Expression, F, Func, TextField, Value
from django.db.models.functions import Concat, Left

from seminars.search.snippets import START, STOP

CONFIG = "english"
SNIPPET_WORDS = 30
# ts_headline reads the whole text it is given: a long recap would cost more than finding
# it. It gets the start of the summary and body; a match further in still finds the item,
# and its snippet is then that start.
HEADLINE_SOURCE_CHARACTERS = 4000
# Django's SearchHeadline quotes each option through a fresh client cursor on every query;
# these never change and need no quoting.
HEADLINE_OPTIONS = f"StartSel={START}, StopSel={STOP}, MaxWords={SNIPPET_WORDS}, MinWords=15"


class Headline(Func):
    """ts_headline(config, text, query, HEADLINE_OPTIONS)."""

    function = "ts_headline"
    output_field = TextField()

    def __init__(self, text, query):
        super().__init__(SearchConfig(CONFIG), text, query, Value(HEADLINE_OPTIONS))


class SearchDocument(Expression):
    """The row's stored `search_document` column, in the query's own alias for the table."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.search_document", []


def matches(kind, query, queryset=None):
    """Every public item of a kind matching `query` (or of `queryset`), best first, each with
    its marked `headline`."""
    required = SearchQuery(query.websearch(), search_type="websearch", config=CONFIG)
    snippet_source = Concat(
        *(item for name in kind.snippet_fields for item in (F(name), Value(" \n "))),
        output_field=TextField(),
    )
    found = (
        (kind.results_queryset() if queryset is None else queryset)
        .alias(document=SearchDocument())
        .filter(document=required)
    )
    if query.excluded:
        excluded = SearchQuery(query.websearch_excluded(), search_type="websearch", config=CONFIG)
        found = found.exclude(document=excluded)
    return found.annotate(
        rank=SearchRank(F("document"), required),
        headline=Headline(Left(snippet_source, HEADLINE_SOURCE_CHARACTERS), required),
    ).order_by(*kind.ordering("-rank"))


def marked_snippet(obj):
    return obj.headline


def rebuild_index():
    """Copy every seminar's theme names afresh; each row's `search_document` follows, as
    PostgreSQL computes it from the row whenever the row changes."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE seminars_seminar SET theme_names = seminars_seminar_theme_names(id)")
