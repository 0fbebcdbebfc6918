"""How hard a page is to read, measured on the words a visitor sees in its main content.

The Flesch reading ease score (Flesch, 1948): 206.835 - 1.015 × words per sentence - 84.6 ×
syllables per word. 60 to 70 is plain English, which most 13 to 15 year olds read easily;
80 and above is easy, about a reading age of 11; 30 to 50 is what university readers face.
Alongside it, the average sentence length and the share of long words (three syllables or
more), the two things the score is made of, in units a writer can act on.

Syllables are counted by a rule of thumb (groups of vowels, a silent final "e" dropped), as
readability tools without a dictionary do: it is right for most English words and near for
the rest, which is what a trend measure needs. Headings, list items, table cells and terms
count as sentences of their own, as a reader takes them; email addresses and web addresses
are left out, as they are read as one thing, not as words.
"""

import re
from dataclasses import dataclass

BLOCKS = ["h1", "h2", "h3", "h4", "p", "li", "dt", "dd", "th", "td", "caption", "label"]
ADDRESSES = re.compile(r"\S+@\S+|https?://\S+|\b[\w.-]+\.(?:org|uk|com)\b\S*")
# A full stop, question or exclamation mark, then a capital or a number: the end of a sentence
# (not "No. 2", a number's abbreviation).
SENTENCE_END = re.compile(r"(?<![Nn]o\.)(?<=[.!?])\s+(?=[A-Z0-9“\"(])")
WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word):
    word = word.lower().replace("’", "'")
    # A hyphenated word is read as its parts.
    if "-" in word:
        return sum(syllables(part) for part in word.split("-") if part)
    word = re.sub(r"'s$", "", word)
    count = len(VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # a silent final e: "make", "use"
    if word.endswith(("ed", "es")) and not word.endswith(("ted", "ded", "ses", "ces", "zes")):
        count -= 1 if count > 1 else 0  # "used", "makes" (not "needed", "places")
    return max(count, 1)


def sentences(soup, root="main"):
    """The sentences of the content inside `root` (a CSS selector), each a list of words."""
    found = []
    for block in soup.select_one(root).find_all(BLOCKS):
        if block.find(BLOCKS):
            continue  # read where the words are: the innermost block
        line = ADDRESSES.sub(" ", block.get_text(" ", strip=True))
        for sentence in SENTENCE_END.split(line):
            words = WORD.findall(sentence)
            if words:
                found.append(words)
    return found


@dataclass(frozen=True)
class Readability:
    sentences: int
    words: int
    flesch_reading_ease: float
    words_per_sentence: float
    long_words: float  # share of words with three syllables or more

    def __str__(self):
        return (
            f"Flesch {self.flesch_reading_ease:.0f}, {self.words_per_sentence:.1f} words a "
            f"sentence, {self.long_words:.0%} long words ({self.words} words)"
        )


def readability(soup, root="main"):
    found = sentences(soup, root)
    words = [word for sentence in found for word in sentence]
    counts = [syllables(word) for word in words]
    per_sentence = len(words) / len(found)
    per_word = sum(counts) / len(words)
    return Readability(
        sentences=len(found),
        words=len(words),
        flesch_reading_ease=206.835 - 1.015 * per_sentence - 84.6 * per_word,
        words_per_sentence=per_sentence,
        long_words=sum(1 for count in counts if count >= 3) / len(words),
    )
