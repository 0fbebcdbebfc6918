"""Pages: a public view's response, stored with the versions of what it shows and served to
every visitor with their own parts filled in; and HTTP caching headers for every response."""

import hashlib
import time
from dataclasses import dataclass, replace
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.middleware.http import ConditionalGetMiddleware
from django.shortcuts import render
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import parse_http_date_safe

from coproseries.pagecache.fragments import LIVE, Recording, fill, recording_var
from coproseries.pagecache.versions import (
    CONTENT,
    EVERYTHING,
    LOCAL,
    STORED_SECONDS,
    release,
    sequence_now,
    valid,
    versions,
)

# While one request makes a page, the others that want it wait for it rather than make it
# too (an edit followed by a crowd: one render, not one per worker), polling the shared
# cache; past MAKING_SECONDS (a request that died, or a very slow page) they make their own.
MAKING_PREFIX = "pagecache:making:"
MAKING_SECONDS = 2
MAKING_POLL_SECONDS = 0.005


@dataclass(frozen=True)
class _Page:
    content: bytes
    status: int
    headers: tuple
    deps: tuple
    live: tuple
    per_visitor: bool


def _is_personal(request):
    """A visitor whose session holds something (a login) sees the page with their own
    parts, which no browser or proxy may keep for others. A cookie alone does not make a
    page personal: a made-up one must not change what is served. Looking costs a session
    read, and only for a request that carries a session cookie."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and bool(request.session.keys())


def _says_private(response):
    directives = {part.strip().lower() for part in response.get("Cache-Control", "").split(",")}
    return bool(directives & {"private", "no-store"})


def _keep_only_known_parameters(request, names):
    """Leave the request only the parameters the view reads, each with the value the view
    would read (the last), and return them as the canonical query string."""
    known = QueryDict(mutable=True)
    for name in names:
        if name in request.GET:
            known[name] = request.GET[name]
    known._mutable = False
    request.GET = known
    request.META["QUERY_STRING"] = known.urlencode()
    return request.META["QUERY_STRING"]


def page_key(host, path, query=""):
    address = f"{host}{path}?{query}"
    return f"pagecache:page:{release()}:{hashlib.sha256(address.encode()).hexdigest()}"


def stored_page(path, *, host="testserver", query=""):
    """What the cache holds for `path` (None when nothing), for tests and debugging."""
    return cache.get(page_key(host, path, query))


def _page_get(key):
    page = LOCAL.get(key)
    if page is None:
        page = cache.get(key)
        if page is not None:
            LOCAL.set(key, page)
    return page


def _page_current(key, page):
    """Whether `page` may be served: the versions of what it shows are current, and its
    live figures are (worked out again only where their tag's version moved on, and the
    page kept with the new versions when the figures did not change)."""
    current = versions([tag for tag, _ in page.deps] + [entry[3] for entry in page.live])
    if not valid(page.deps, current):
        return False
    if all(current[tag] == version for _, _, _, tag, version in page.live):
        return True
    checked = []
    for name, args, value, tag, version in page.live:
        if current[tag] != version and LIVE[name](*args) != value:
            return False
        checked.append((name, args, value, tag, current[tag]))
    page = replace(page, live=tuple(checked))
    LOCAL.set(key, page)
    cache.set(key, page, STORED_SECONDS)
    return True


_NOT_STORED_HEADERS = {"vary", "cache-control", "expires", "set-cookie"}


def _page_from(response, request, recording):
    """The page to store from a fresh response, or None when it must not be shared."""
    if (
        response.streaming
        or response.status_code != 200
        or response.cookies
        or _says_private(response)
        # Anything that read the CSRF token outside a `per_visitor` template tied the
        # page to this visitor's cookie.
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    ):
        return None
    # Every edit replaces `content`: a page that shows only some things says which (whose
    # tags are replaced by any edit to what the page shows, fragments included).
    tags = {EVERYTHING, *(recording.shown or {CONTENT})}
    live_tags = {tag for _, _, _, tag in recording.live}
    current = versions(tags | live_tags)
    if any(current[tag][0] > recording.since for tag in tags):
        return None  # edited while it was being rendered: perhaps from the old data
    # A live figure whose version moved on while the page was rendered is worked out again
    # at the next request.
    live = tuple(
        (name, args, value, tag, current[tag] if current[tag][0] <= recording.since else None)
        for name, args, value, tag in recording.live
    )
    return _Page(
        content=response.content,
        status=response.status_code,
        headers=tuple(
            (name, value)
            for name, value in response.items()
            if name.lower() not in _NOT_STORED_HEADERS
        ),
        deps=tuple(sorted((tag, current[tag]) for tag in tags)),
        live=live,
        per_visitor=bool(recording.per_visitor),
    )


def _respond(request, page):
    content = fill(page.content, request) if page.per_visitor else page.content
    response = HttpResponse(content, status=page.status, headers=dict(page.headers))
    patch_vary_headers(response, ["Cookie"])
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    if seconds and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not _is_personal(request):
        # The same for every visitor without a session: browsers and proxies may keep it
        # as long as the places it shows may lag.
        patch_cache_control(response, public=True, max_age=seconds)
    return response


def cache_public_page(view, *, query=()):
    """Serve GET (and HEAD) of `view`, whose only query parameters are those named in
    `query`, from the page cache."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method not in {"GET", "HEAD"}:
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Cookie"])
            return response
        known_query = _keep_only_known_parameters(request, query)
        if not settings.PAGE_CACHE:
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Cookie"])
            return response
        key = page_key(request.get_host(), request.path, known_query)
        page = _page_get(key)
        if page is not None and _page_current(key, page):
            return _respond(request, page)
        making = f"{MAKING_PREFIX}{key}"
        mine = cache.add(making, True, timeout=MAKING_SECONDS)
        page = _stored_meanwhile(key, page) if mine else _made_elsewhere(key, making)
        try:
            if page is not None:
                return _respond(request, page)
            return _make(view, request, args, kwargs, key)
        finally:
            if mine:
                cache.delete(making)

    return cached_view


def _stored_meanwhile(key, seen):
    """The page another request stored after this one first looked (and found `seen`),
    and before it took the lock that request had just let go of; None when there is none.
    It looks in the shared cache: this process's own copy may be the one found out of
    date."""
    page = cache.get(key)
    if page is None or (seen is not None and (page.deps, page.live) == (seen.deps, seen.live)):
        return None
    if _page_current(key, page):
        LOCAL.set(key, page)
        return page
    return None


def _made_elsewhere(key, making):
    """The page another request is making at this moment, once it is stored (polling the
    shared cache); None when that request stored nothing (a page not to share) or takes
    too long, and this one should make its own."""
    deadline = time.monotonic() + MAKING_SECONDS
    while time.monotonic() < deadline:
        time.sleep(MAKING_POLL_SECONDS)
        found = cache.get_many([making, key])
        page = found.get(key)
        if page is not None and _page_current(key, page):
            LOCAL.set(key, page)
            return page
        if making not in found:
            return None
    return None


def _make(view, request, args, kwargs, key):
    """Render the page and store it if it may be shared; the response for this visitor."""
    recording = Recording(since=sequence_now())
    token = recording_var.set(recording)
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
    finally:
        recording_var.reset(token)
    page = _page_from(response, request, recording)
    if page is None:
        if recording.per_visitor:
            response.content = fill(response.content, request)
        patch_vary_headers(response, ["Cookie"])
        return response
    LOCAL.set(key, page)
    cache.set(key, page, STORED_SECONDS)
    return _respond(request, page)


def render_shared(request, template_name, context, *, status):
    """`render()` for a page that is the same for every anonymous visitor (the page that
    says a limit is reached): rendered once per release, version of the content and
    context, then served from the cache, so that a client hammering a limit costs what a
    cached page costs. Like every page here, it is rendered afresh when the page cache is
    off."""
    if not settings.PAGE_CACHE or request.method != "GET" or _is_personal(request):
        return render(request, template_name, context, status=status)
    content_version = versions([CONTENT])[CONTENT]
    page = f"{request.get_host()}{request.path} {template_name} {sorted(context.items())!r}"
    digest = hashlib.sha256(f"{content_version!r} {page}".encode()).hexdigest()
    key = f"pagecache:shared:{release()}:{digest}"
    content = cache.get(key)
    if content is not None:
        return HttpResponse(fill(content, request), status=status)
    response = render(request, template_name, context, status=status)
    if not response.cookies and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        cache.set(key, response.content, STORED_SECONDS)
    # Rendered within a cached view, it holds the markers of its per-visitor parts.
    response.content = fill(response.content, request)
    return response


class HttpCachingMiddleware(ConditionalGetMiddleware):
    """Django's ETag and 304 for GET, answered for HEAD too (a client checking whether a
    calendar or feed changed often asks with HEAD); and a Cache-Control on every response:
    what `cache_public_page` has not marked public is personal, or changes from one request
    to the next, so no browser or proxy keeps it."""

    def process_response(self, request, response):
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        if request.method not in {"GET", "HEAD"}:
            return response
        if self.needs_etag(response) and not response.has_header("ETag"):
            set_response_etag(response)
        etag = response.get("ETag")
        last_modified = parse_http_date_safe(response.get("Last-Modified", "")) or None
        if etag or last_modified:
            return get_conditional_response(
                request, etag=etag, last_modified=last_modified, response=response
            )
        return response
