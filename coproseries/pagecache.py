"""A whole-page cache for anonymous visitors, emptied whenever public content changes.

A public page is the same for every visitor without a session, so it is rendered once and
served from the cache (shared by every process: Redis when `REDIS_URL` is set, else the
database) until the content changes or `PUBLIC_PAGE_CACHE_SECONDS` pass. The time limit also
covers what changes with the clock alone: a seminar becoming past, a recap's publication
time arriving.

Every save or delete of a seminars or people model, except registrations, replaces the
content version that every page key carries, so no stale page can be served after an edit.
When the cache switches between Redis and the database (Redis going away, or coming back),
the version is replaced too: edits made meanwhile changed only the other store's version.

Registrations are left out on purpose: a burst of them would otherwise empty the cache in
the very minute it is needed. "Places left" on a seminar page can therefore lag by up to the
time limit; the registration form and the registration itself always count live.

A page is cached under its address with only the query parameters its view reads (a list's
`page`): any other (`?utm_source=…`, `?x=<random>`) is dropped before the view sees the
request, so it can neither make every request a fresh render nor leave its mark on the page
others are served.
"""

import hashlib
import secrets
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import QueryDict
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import parse_http_date_safe

from coproseries.cache import store_switched

VERSION_KEY = "public-pages:version"
CONTENT_APPS = {"seminars", "people"}
# Logins are not shown on public pages; subscriptions, notices and messages to registrants
# are not either, and a burst of subscriptions must not empty the cache, as with registrations
# (and the access needs they tick).
NOT_CONTENT = {
    "registration",
    "registration_access_needs",
    "user",
    "subscriber",
    "seminarnotice",
    "registrantmessage",
}


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def content_changed():
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)


def _on_change(sender, **kwargs):
    content_changed()
    # Again once the change is committed: a page rendered by another process in between
    # saw the old data, yet was stored under the version set just now.
    transaction.on_commit(content_changed)


def _on_store_switched(sender, **kwargs):
    content_changed()


def connect_signals():
    """Listen to each content model by name: a receiver for every sender would stop Django
    deleting registrations in bulk (it must then load each row to send its signal)."""
    store_switched.connect(_on_store_switched, dispatch_uid="pagecache_store_switched")
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.model_name in NOT_CONTENT:
                continue
            uid = f"pagecache_{model._meta.label_lower}"
            post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}_save")
            post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}_delete")
            m2m_changed.connect(_on_change, sender=model, dispatch_uid=f"{uid}_m2m")


def _is_personal(request):
    """A visitor whose session holds something (a login) or who has a message waiting sees a
    page of their own. A cookie alone does not make a page personal: a made-up one would
    otherwise make every request a fresh render. Looking costs a session read, and only
    for a request that carries a session cookie."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES and request.session.keys():
        return True
    return "messages" in request.COOKIES and len(get_messages(request)) > 0


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


def cache_public_page(view, *, query=()):
    """Cache an anonymous visitor's GET (or HEAD) of `view`, whose only query parameters are
    those named in `query`."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        cacheable = request.method in {"GET", "HEAD"}
        if cacheable:
            known_query = _keep_only_known_parameters(request, query)
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds or not cacheable or _is_personal(request):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Cookie"])
            return response
        address = f"{request.get_host()}{request.path}?{known_query}"
        key = f"public-page:{content_version()}:{hashlib.sha256(address.encode()).hexdigest()}"
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ["Cookie"])

        def store(rendered):
            # A page that used a CSRF token is tied to this visitor's cookie: never shared;
            # nor is one its view marked private (an organiser's preview of a draft).
            shareable = not request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not (
                _says_private(rendered)
            )
            if rendered.status_code == 200 and not rendered.cookies and shareable:
                # Browsers and proxies may keep it as long as this cache does.
                patch_cache_control(rendered, public=True, max_age=seconds)
                if request.method == "HEAD":
                    return
                # A feed is written in thousands of small pieces, which the server would
                # then send one by one on every hit: store it joined into one.
                rendered.content = rendered.content
                cache.set(key, rendered, seconds)

        if response.streaming:
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.add_post_render_callback(store)
        else:
            store(response)
        return response

    return cached_view


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
