"""The page cache: each public page rendered once, and served to every visitor until what it
shows changes.

A page is stored (shared by every process: Redis when `REDIS_URL` is set, else the database,
with a copy in each process's memory) together with the *versions* of what it shows. A
version is a tag such as "seminar:12" with a value in the shared cache; an edit replaces the
values of the tags of what it changes (seminars/freshness.py says which), so a page is valid
while the versions it was stored with are still current. An edit to one seminar therefore
leaves every page that does not show it valid. Pages that show many things (lists, feeds,
the calendar) carry the tag `content`, which every edit replaces, and are rebuilt from
fragments (`fragment_many`): pieces cached under the versions of the one thing each shows.

What differs from one visitor to the next is never stored: a template marks it with
`{% per_visitor "includes/….html" %}` (the footer's log-in or profile link, a form's CSRF
token), and that small template is rendered for each request into the stored page. What
changes without an edit is checked on every request:

- places left: a page that shows them stores the figures it showed (`live`) with the
  version of a tag that every registration replaces; when that version moved on, the
  figures are worked out again, and the page rendered again only if they differ;
- the clock: the shared cache holds the next moment at which something public changes by
  itself (a seminar ending, a recap's publication time); the first request after it runs
  the hook that replaces the versions of what changed (seminars/freshness.py).

A page is cached under its address with only the query parameters its view reads (a list's
`page`): any other (`?utm_source=…`, `?x=<random>`) is dropped before the view sees the
request, so it can neither make every request a fresh render nor leave its mark on the page
others are served.

A rendering is stored only if none of the versions it depends on changed while it was being
made: every new version takes a number from one shared sequence, and a version newer than the
number read before the view ran may belong to an edit the view did not see. Each edit
replaces its versions at once and again once committed: a page rendered by another process
in between saw the old data, yet may have been stored under the version set at once.
"""

from coproseries.pagecache.fragments import (
    fragment_many,
    live,
    memo,
    per_visitor,
    register_live,
    shows,
)
from coproseries.pagecache.pages import (
    HttpCachingMiddleware,
    cache_public_page,
    page_key,
    render_shared,
    stored_page,
)
from coproseries.pagecache.versions import (
    CONTENT,
    EVERYTHING,
    LOCAL,
    bump,
    clock_set,
    content_changed,
    set_clock_hook,
    versions,
)

__all__ = [
    "CONTENT",
    "EVERYTHING",
    "LOCAL",
    "HttpCachingMiddleware",
    "bump",
    "cache_public_page",
    "clock_set",
    "content_changed",
    "fragment_many",
    "live",
    "memo",
    "page_key",
    "per_visitor",
    "register_live",
    "render_shared",
    "set_clock_hook",
    "shows",
    "stored_page",
    "versions",
]
