"""Snippets for search results, from either database: Markdown stripped, everything escaped,
and the matched words, marked by the database with START and STOP, as balanced <mark>s."""

import html
import re

from django.utils.safestring import SafeString, mark_safe

# Markers for highlighted words that Markdown, HTML escaping, ts_headline and FTS5's snippet()
# all leave alone; they become <mark> only after the text around them has been escaped.
START = "qzxmarkstartqzx"
STOP = "qzxmarkstopqzx"

_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)\s]*\)?")
# What is left of a link cut in two by a snippet's edge.
_MARKDOWN_LINK_PIECES = re.compile(r"!?\[|\]\([^)\s]*\)?|\]")
_MARKDOWN_LINE_START = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-+*]\s+|\d+[.)]\s+)", re.MULTILINE)
_MARKDOWN_EMPHASIS = re.compile(r"[*_`~]{1,3}")
_MARKERS = re.compile(f"({START}|{STOP})")


def strip_markdown(text):
    """Markdown as plain words, near enough for a snippet: links keep their text."""
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _MARKDOWN_LINK_PIECES.sub("", text)
    text = _MARKDOWN_LINE_START.sub("", text)
    text = _MARKDOWN_EMPHASIS.sub("", text)
    return " ".join(text.split())


def safe_snippet(marked_text) -> SafeString:
    """Escape everything, then turn the markers into balanced <mark> elements."""
    if not marked_text:
        return mark_safe("")
    output = []
    open_mark = False
    for part in _MARKERS.split(strip_markdown(marked_text)):
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
