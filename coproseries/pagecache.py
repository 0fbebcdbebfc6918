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
"""

import hashlib
import secrets
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import patch_vary_headers

from coproseries.cache import store_switched

VERSION_KEY = "public-pages:version"
CONTENT_APPS = {"seminars", "people"}
NOT_CONTENT = {"registration", "user"}  # logins are not shown on public pages


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
    """A logged-in visitor (a session) or a pending message sees a page of their own."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES


def cache_public_page(view):
    @wraps(view)
    def cached_view(request, *args, **kwargs):
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds or request.method != "GET" or _is_personal(request):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Cookie"])
            return response
        address = f"{request.get_host()}{request.get_full_path()}"
        key = f"public-page:{content_version()}:{hashlib.sha256(address.encode()).hexdigest()}"
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ["Cookie"])

        def store(rendered):
            # A page that used a CSRF token is tied to this visitor's cookie: never shared.
            shareable = not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            if rendered.status_code == 200 and not rendered.cookies and shareable:
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
