"""Site search: public seminars, talks, workshops, people and recaps, grouped and ranked.

One entry point, `search(text)`, runs one query per kind (plus the prefetch of the people on
talks and workshops), whatever the data, so the results page has a fixed query count.

On PostgreSQL it is full-text search: a weighted `SearchVector` (title or name A, summary or
affiliation B, the Markdown body C) matched by `websearch_to_tsquery` in English, ranked by
`SearchRank` and highlighted by `SearchHeadline`. Each vector has a GIN expression index
(migration 0006): its expression there must stay identical to `_vector()` below.

On SQLite (local use) a simpler fallback finds items in which every word appears in some
searched field, ranks title matches first in Python, and cuts a snippet around the first
match. Both fill the same `SearchResults`, so the page is the same.

Only public content is searched, and only public fields: never a seminar's joining link, a
person's email address or anything about registrations.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import F, Q, QuerySet, TextField, Value, prefetch_related_objects
from django.db.models.functions import Concat
from django.utils.safestring import SafeString, mark_safe

from people.models import Person
from seminars.models import Recap, Seminar, Talk, Workshop
from seminars.selectors import talk_people, workshop_people

MAX_QUERY_LENGTH = 200
HITS_PER_KIND = 20
MAX_TERMS = 12
SNIPPET_WORDS = 30
CONFIG = "english"

# Markers for highlighted words that Markdown, HTML escaping and ts_headline all leave alone;
# they become <mark> only after the text around them has been escaped.
START = "qzxmarkstartqzx"
STOP = "qzxmarkstopqzx"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    title_field: str
    weighted_fields: tuple  # (field name, weight): the title or name first
    date_field: str | None
    prefetches: tuple = ()

    @property
    def snippet_fields(self):
        return [name for name, _weight in self.weighted_fields[1:]]

    @property
    def field_names(self):
        return [name for name, _weight in self.weighted_fields]

    def queryset(self) -> QuerySet:
        return _PUBLIC_QUERYSETS[self.key]()


_PUBLIC_QUERYSETS = {
    "seminars": lambda: Seminar.objects.public(),
    "talks": lambda: Talk.objects.filter(seminar__in=Seminar.objects.public()).select_related(
        "seminar"
    ),
    "workshops": lambda: Workshop.objects.filter(
        seminar__in=Seminar.objects.public()
    ).select_related("seminar"),
    "people": lambda: Person.objects.listed(),
    "recaps": lambda: Recap.objects.public().select_related("seminar"),
}

KINDS = (
    Kind(
        "seminars",
        "Seminars",
        "title",
        (("title", "A"), ("summary", "B"), ("description", "C")),
        "starts_at",
    ),
    Kind(
        "talks",
        "Talks",
        "title",
        (("title", "A"), ("abstract", "C")),
        "starts_at",
        (talk_people,),
    ),
    Kind(
        "workshops",
        "Workshops",
        "title",
        (("title", "A"), ("abstract", "C")),
        "starts_at",
        (workshop_people,),
    ),
    Kind("people", "People", "name", (("name", "A"), ("affiliation", "B"), ("bio", "C")), None),
    Kind(
        "recaps",
        "Recaps",
        "title",
        (("title", "A"), ("summary", "B"), ("body", "C")),
        "published_at",
    ),
)


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


def clean_query(raw: str) -> str:
    """The query as text PostgreSQL accepts: no NUL or other control characters, no lone
    surrogates, single spaces."""
    text = raw.encode("utf-8", "ignore").decode("utf-8")
    text = "".join(" " if ord(char) < 32 or ord(char) == 127 else char for char in text)
    return " ".join(text.split())


def query_terms(text: str) -> list[str]:
    """The words of a query, lower case, without punctuation or repeats."""
    # "co-production" stays one word: "co" alone would match almost everything.
    return list(dict.fromkeys(re.findall(r"\w+(?:['’-]\w+)*", text.lower())))[:MAX_TERMS]


def search(text: str) -> SearchResults:
    """Public items matching `text`, best first, at most `HITS_PER_KIND` of each kind."""
    text = clean_query(text)
    terms = query_terms(text)
    if not terms:
        return SearchResults(query=text)
    find = _postgres_hits if connection.vendor == "postgresql" else _fallback_hits
    groups = []
    for kind in KINDS:
        hits = find(kind, text, terms)
        if hits:
            more = len(hits) > HITS_PER_KIND
            hits = hits[:HITS_PER_KIND]
            prefetch_related_objects([hit.obj for hit in hits], *(p() for p in kind.prefetches))
            groups.append(Group(kind.key, kind.label, hits, more))
    return SearchResults(query=text, groups=groups)


def _hit(kind, obj, marked_text):
    return Hit(
        obj=obj,
        url=obj.get_absolute_url(),
        title=getattr(obj, kind.title_field),
        snippet=safe_snippet(marked_text),
    )


# PostgreSQL


def _vector(weighted_fields):
    """The weighted document of a kind. Migration 0006 indexes exactly this expression."""
    vector = None
    for name, weight in weighted_fields:
        part = SearchVector(name, weight=weight, config=CONFIG)
        vector = part if vector is None else vector + part
    return vector


def _postgres_hits(kind, text, terms):
    matches = postgres_matches(kind, text)[: HITS_PER_KIND + 1]
    return [_hit(kind, obj, obj.headline) for obj in matches]


def postgres_matches(kind, text, queryset=None):
    """Every public item of a kind matching `text` (or of `queryset`), best first, with its
    headline."""
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    snippet_source = Concat(
        *(item for name in kind.snippet_fields for item in (F(name), Value(" \n "))),
        output_field=TextField(),
    )
    ordering = ["-rank"]
    if kind.date_field:
        ordering.append(f"-{kind.date_field}")
    ordering += [kind.title_field, "pk"]
    return (
        (kind.queryset() if queryset is None else queryset)
        .alias(document=_vector(kind.weighted_fields))
        .filter(document=query)
        .annotate(
            rank=SearchRank(F("document"), query),
            headline=SearchHeadline(
                snippet_source,
                query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=SNIPPET_WORDS,
                min_words=15,
            ),
        )
        .order_by(*ordering)
    )


# SQLite and anything else


def _fallback_hits(kind, text, terms):
    condition = Q()
    for term in terms:
        anywhere = Q()
        for name in kind.field_names:
            anywhere |= Q(**{f"{name}__icontains": term})
        condition &= anywhere
    pattern = _terms_pattern(terms)
    candidates = list(kind.queryset().filter(condition))
    ranked = sorted(candidates, key=lambda obj: _fallback_rank(kind, obj, pattern, len(terms)))
    return [
        _hit(kind, obj, _window(_snippet_field_text(kind, obj, pattern), pattern))
        for obj in ranked[: HITS_PER_KIND + 1]
    ]


def _terms_pattern(terms):
    alternatives = sorted(terms, key=len, reverse=True)
    # Matches are marked from the start of a word: "care" in "carers", not in "scared";
    # a word of one or two letters only on its own ("co" not in "count").
    words = "|".join(
        re.escape(term) if len(term) > 2 else rf"{re.escape(term)}\b" for term in alternatives
    )
    return re.compile(rf"\b(?:{words})", re.IGNORECASE)


def _fallback_rank(kind, obj, pattern, term_count):
    """Title matches first (more of the words, better), then more fields matched, then the
    newest, then by title."""
    title = getattr(obj, kind.title_field)
    title_words = len({match.lower() for match in pattern.findall(title)})
    fields_matched = sum(bool(pattern.search(getattr(obj, name))) for name in kind.field_names)
    when = getattr(obj, kind.date_field) if kind.date_field else None
    timestamp = -when.timestamp() if isinstance(when, datetime) else 0
    return (-title_words, -fields_matched, timestamp, title.lower(), obj.pk)


def _snippet_field_text(kind, obj, pattern):
    texts = [getattr(obj, name) for name in kind.snippet_fields]
    return next((text for text in texts if pattern.search(text)), None) or next(
        (text for text in texts if text), ""
    )


def _window(text, pattern):
    """About `SNIPPET_WORDS` words of `text` around the first match, matches marked."""
    words = strip_markdown(text).split()
    first = next((index for index, word in enumerate(words) if pattern.search(word)), 0)
    start = max(0, first - 8)
    end = start + SNIPPET_WORDS
    window = " ".join(words[start:end])
    marked = pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}", window)
    return ("… " if start else "") + marked + (" …" if end < len(words) else "")


# Snippets, both databases


_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)\s]*\)?")
# What is left of a link cut in two by a snippet's edge.
_MARKDOWN_LINK_PIECES = re.compile(r"!?\[|\]\([^)\s]*\)?|\]")
_MARKDOWN_LINE_START = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-+*]\s+|\d+[.)]\s+)", re.MULTILINE)
_MARKDOWN_EMPHASIS = re.compile(r"[*_`~]{1,3}")


def strip_markdown(text):
    """Markdown as plain words, near enough for a snippet: links keep their text."""
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _MARKDOWN_LINK_PIECES.sub("", text)
    text = _MARKDOWN_LINE_START.sub("", text)
    text = _MARKDOWN_EMPHASIS.sub("", text)
    return " ".join(text.split())


def safe_snippet(marked_text):
    """Escape everything, then turn the markers into balanced <mark> elements."""
    if not marked_text:
        return mark_safe("")
    parts = re.split(f"({START}|{STOP})", strip_markdown(marked_text))
    output = []
    open_mark = False
    for part in parts:
        if part == START:
            if not open_mark:
                output.append("<mark>")
                open_mark = True
        elif part == STOP:
            if open_mark:
                output.append("</mark>")
                open_mark = False
        else:
            output.append(html.escape(part, quote=True))
    if open_mark:
        output.append("</mark>")
    return mark_safe("".join(output))  # noqa: S308 - every part escaped just above
