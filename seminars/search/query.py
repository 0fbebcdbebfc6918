"""What someone typed into the search box, parsed once into terms both databases understand.

The syntax is PostgreSQL's `websearch_to_tsquery`, which people know from search engines:
words must all appear, `"a phrase"` must appear as written, `or` between two words accepts
either, and `-word` or `-"a phrase"` leaves out items containing it. Anything else is
punctuation between words, so no input can be a syntax error: each database gets an
expression built here from the parsed terms, never the text itself.

A hyphenated word also stands for its joined-up spelling, "co-production" for "coproduction":
both indexes hold the joined-up form of every hyphenated word too (migration 0022), so either
spelling finds the other.
"""

import re
from dataclasses import dataclass

MAX_TERMS = 12
MAX_QUERY_LENGTH = 200

HYPHENS = "-\u2010\u2011"  # hyphen-minus, hyphen, non-breaking hyphen
_WORD = rf"\w+(?:[{HYPHENS}'’]\w+)*"
_WORD_PATTERN = re.compile(_WORD)
# A term: an optional minus at the start of a word, then a quoted phrase (the closing quote
# may be missing) or a word.
_TERM_PATTERN = re.compile(rf'(?P<minus>(?<!\S)-)?(?:"(?P<phrase>[^"]*)"?|(?P<word>{_WORD}))')
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_HYPHEN_PATTERN = re.compile(f"[{HYPHENS}]")
# PostgreSQL's English stop words (tsearch_data/english.stop): it leaves them out of queries,
# and FTS5 does the same with these, or "care in the community" would need every "in" and
# "the" to appear. Inside a quoted phrase they stay (PostgreSQL keeps their places).
_STOP_WORDS_TEXT = (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself "
    "she her hers herself it its itself they them their theirs themselves what which who whom "
    "this that these those am is are was were be been being have has had having do does did "
    "doing a an the and but if or because as until while of at by for with about against "
    "between into through during before after above below to from up down in out on off over "
    "under again further then once here there when where why how all any both each few more "
    "most other some such no nor not only own same so than too very s t can will just don "
    "should now"
)
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def clean_query(raw: str) -> str:
    """The query as text every database accepts: no NUL or other control characters, no
    lone surrogates, single spaces, at most MAX_QUERY_LENGTH characters."""
    text = raw.encode("utf-8", "ignore").decode("utf-8")
    text = "".join(" " if ord(char) < 32 or ord(char) == 127 else char for char in text)
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def _words(text):
    # A word must have a letter or digit in it: "_" alone is punctuation to both databases.
    return [word for word in _WORD_PATTERN.findall(text.lower()) if re.search(r"[^\W_]", word)]


@dataclass(frozen=True)
class Term:
    """One word, or the words of a quoted phrase in order."""

    words: tuple

    @property
    def is_stop_word(self):
        return len(self.words) == 1 and self.words[0] in STOP_WORDS

    @property
    def spellings(self):
        """The term as typed and, if it has hyphenated words, joined up."""
        joined = tuple(_HYPHEN_PATTERN.sub("", word) for word in self.words)
        return (self.words,) if joined == self.words else (self.words, joined)


@dataclass(frozen=True)
class Query:
    """Every clause must match (a clause matches if any of its terms does), and no excluded
    term may."""

    clauses: tuple = ()  # of tuples of Term
    excluded: tuple = ()  # of Term

    def __bool__(self):
        return bool(self.clauses)

    def websearch(self):
        """The required part as `websearch_to_tsquery` input: terms quoted, never raw text."""
        return " ".join(" or ".join(_websearch(term) for term in clause) for clause in self.clauses)

    def websearch_excluded(self):
        """The excluded terms, any of which rules an item out, as `websearch_to_tsquery` input."""
        return " or ".join(_websearch(term) for term in self.excluded)

    def fts5(self):
        """An FTS5 MATCH expression: every token a quoted string, so none is an operator.
        Stop words alone are left out; a query of nothing else matches nothing."""
        clauses = [[term for term in clause if not term.is_stop_word] for clause in self.clauses]
        required = " AND ".join(
            "(" + " OR ".join(_fts5(term) for term in clause) + ")" for clause in clauses if clause
        )
        if not required:
            return '""'  # an empty phrase: matches no row
        excluded = [term for term in self.excluded if not term.is_stop_word]
        if not excluded:
            return required
        return f"({required}) NOT (" + " OR ".join(_fts5(term) for term in excluded) + ")"


def _websearch(term):
    # Quoted even when one word, so that a term "or" is not the operator. Words hold only
    # letters, digits, hyphens and apostrophes: nothing can break out of the quotes.
    return " or ".join('"' + " ".join(words) + '"' for words in term.spellings)


def _fts5(term):
    return " OR ".join('"' + " ".join(words).replace('"', '""') + '"' for words in term.spellings)


def parse(text: str) -> Query:
    """The query in `text` (already cleaned), with at most MAX_TERMS terms."""
    clauses, excluded, seen = [], [], set()
    joins_previous = False
    for match in _TERM_PATTERN.finditer(text.translate(_QUOTES)):
        phrase, minus = match["phrase"], bool(match["minus"])
        words = tuple(_words(phrase if phrase is not None else match["word"]))
        if not words:
            continue
        if words == ("or",) and phrase is None and not minus:
            joins_previous = bool(clauses)
            continue
        term = Term(words)
        if (term, minus) in seen:
            continue
        if len(seen) == MAX_TERMS:
            break
        seen.add((term, minus))
        if minus:
            excluded.append(term)
        elif joins_previous:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        joins_previous = False
    return Query(tuple(tuple(clause) for clause in clauses), tuple(excluded))


def query_terms(text: str) -> list[str]:
    """The words of a query, lower case, in order, without repeats: whether there is anything
    to search for (an excluded word counts: "-care" is a search, with no results)."""
    return list(dict.fromkeys(_words(text)))
