"""Site search: public seminars, talks, workshops, people and recaps, grouped and ranked.

One entry point, `search(text)`, parses the text once (`query.py`: words, "phrases", `or`,
`-word`), then runs one query per kind (plus the prefetch of the people on talks and
workshops), whatever the data, so the results page has a fixed query count.

Both databases search an index they keep in step themselves (migration 0022): on PostgreSQL
a stored, generated tsvector per row with a GIN index (`postgres.py`), on SQLite an FTS5
table per kind filled by triggers (`sqlite.py`). Both stem English words ("professionals"
finds "professionalism"), weigh titles most, find a seminar by its themes' names, and mark
the matched words in a snippet; both fill the same `SearchResults`, so the page is the same.

Only public content is searched, and only public fields: never a seminar's joining link, a
person's email address or anything about registrations.
"""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.utils.safestring import SafeString

from seminars.search import postgres, sqlite
from seminars.search.kinds import HITS_PER_KIND, KINDS
from seminars.search.query import MAX_QUERY_LENGTH, clean_query, parse, query_terms
from seminars.search.snippets import START, STOP, safe_snippet, strip_markdown

__all__ = [
    "HITS_PER_KIND",
    "KINDS",
    "MAX_QUERY_LENGTH",
    "START",
    "STOP",
    "SearchResults",
    "clean_query",
    "parse",
    "query_terms",
    "rebuild_index",
    "safe_snippet",
    "search",
    "strip_markdown",
]


@dataclass(frozen=True)
class Hit:
    obj: object
    url: str
    title: str
    snippet: SafeString


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    hits: list
    more: bool  # more matched than are shown

    @property
    def count(self):
        return len(self.hits)


@dataclass(frozen=True)
class SearchResults:
    query: str
    groups: list = field(default_factory=list)

    @property
    def total(self):
        return sum(group.count for group in self.groups)

    @property
    def more(self):
        return any(group.more for group in self.groups)


def _backend():
    return postgres if connection.vendor == "postgresql" else sqlite


def rebuild_index():
    """Fill the search index afresh from the tables, in one transaction."""
    with transaction.atomic():
        _backend().rebuild_index()


def search(text: str) -> SearchResults:
    """Public items matching `text`, best first, at most `HITS_PER_KIND` of each kind."""
    text = clean_query(text)
    query = parse(text)
    if not query:  # nothing required: "-care" alone finds nothing rather than everything
        return SearchResults(query=text)
    backend = _backend()
    groups = []
    for kind in KINDS:
        matches = list(backend.matches(kind, query)[: HITS_PER_KIND + 1])
        if not matches:
            continue
        shown = matches[:HITS_PER_KIND]
        prefetch_related_objects(shown, *(prefetch() for prefetch in kind.prefetches))
        hits = [
            Hit(
                obj=obj,
                url=obj.get_absolute_url(),
                title=getattr(obj, kind.title_field),
                snippet=safe_snippet(backend.marked_snippet(obj)),
            )
            for obj in shown
        ]
        groups.append(Group(kind.key, kind.label, hits, more=len(matches) > HITS_PER_KIND))
    return SearchResults(query=text, groups=groups)
