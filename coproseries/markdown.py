"""The one way Markdown written by organisers and speakers becomes HTML."""

import html

import markdown as markdown_lib
import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from coproseries import pagecache

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# The hint beside every field that takes formatting, in words organisers and speakers know.
FORMATTING_HELP = (
    "You can add formatting: *italic*, **bold**, [a link](https://example.org), and a blank "
    "line between paragraphs."
)


def render_markdown(text: str) -> SafeString:
    """Render Markdown to HTML that is safe to put on a public page.

    Raw HTML in the source is escaped by nh3's allow-list, not trusted; links can only use
    http, https and mailto; every link gets rel="noopener noreferrer nofollow" from nh3.
    Headings start at level 2 because every page has its own single <h1>.
    """
    if not text:
        return mark_safe("")
    # Kept by the text's digest: the same text always renders the same (the page cache).
    return pagecache.memo("markdown", text, lambda: _render(text))


def _render(text):
    html = markdown_lib.markdown(text, extensions=["sane_lists"], output_format="html")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


def render_markdown_text(text: str) -> str:
    """Markdown as plain words, for a meta description or a one-line summary.

    A plain string, not marked safe: templates escape it like any other text. (Stripping
    the tags from rendered HTML leaves text that is still marked safe, and a quote in it
    would then break out of an attribute.)
    """
    return " ".join(html.unescape(strip_tags(render_markdown(text))).split())
