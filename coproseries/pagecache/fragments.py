"""What a page records while it is rendered for the cache, and the fragments it is made of.

While `cache_public_page` renders a page, views say what it shows (`shows`) and which live
figures it shows (`live`); templates mark what differs from one visitor to the next
(`per_visitor`); `fragment_many` serves pieces kept under the versions of what each shows.
Outside such a render all of these do nothing special.
"""

import hashlib
import hmac
import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from coproseries.pagecache.versions import (
    EVERYTHING,
    LOCAL,
    STORED_SECONDS,
    release,
    valid,
    versions,
)


@dataclass
class Recording:
    since: int  # the sequence's number before the view read anything
    shown: set = field(default_factory=set)  # declared by the view: what the page shows
    live: list = field(default_factory=list)
    per_visitor: set = field(default_factory=set)


recording_var = ContextVar("pagecache_recording", default=None)


def shows(*tags):
    """Declare that the page being rendered shows only what `tags` stand for (a detail
    page), rather than the whole of the content."""
    recording = recording_var.get()
    if recording is not None:
        recording.shown.update(tags)


LIVE = {}


def register_live(name):
    """Register `function(*args)`: a figure a page shows that changes without an edit to
    the page's content (places left)."""

    def register(function):
        LIVE[name] = function
        return function

    return register


def live(name, *args, value, tag):
    """Record that the page being rendered shows `value`, what LIVE[name](*args) gives,
    which can change only when the version of `tag` does: while it stays, the figure is
    not worked out again."""
    recording = recording_var.get()
    if recording is not None:
        recording.live.append((name, args, value, tag))


@memoize
def _marker(template_name):
    signature = hmac.new(settings.SECRET_KEY.encode(), template_name.encode(), "sha256")
    return f"<!--per-visitor:{signature.hexdigest()[:16]}:{template_name}-->"


_MARKERS = re.compile(rb"<!--per-visitor:([0-9a-f]{16}):([\w./-]+)-->")


# Per-visitor parts as every visitor without a session sees them (the footer's "Speakers:
# log in"), by template: made once per process, unless the part used the visitor's CSRF
# token. Templates do not change while a process runs.
_ANONYMOUS = {}


def _per_visitor_render(template_name, request):
    from django.contrib.auth.models import AnonymousUser
    from django.middleware.csrf import get_token

    if request is None:  # an error page rendered without one
        return render_to_string(template_name, {"user": AnonymousUser()})
    anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
    if anonymous and template_name in _ANONYMOUS:
        return _ANONYMOUS[template_name]
    used_token = []

    def token():
        used_token.append(True)
        return get_token(request)

    context = {
        "user": (
            AnonymousUser()
            if anonymous
            else SimpleLazyObject(lambda: getattr(request, "user", None) or AnonymousUser())
        ),
        "csrf_token": SimpleLazyObject(token),
    }
    html = render_to_string(template_name, context)
    if anonymous and not used_token:
        _ANONYMOUS[template_name] = html
    return html


def per_visitor(template_name, request):
    """The small template's HTML for this visitor; while a page is being rendered for the
    cache, a marker that is filled in for each request instead."""
    recording = recording_var.get()
    if recording is None:
        return mark_safe(_per_visitor_render(template_name, request))  # noqa: S308
    recording.per_visitor.add(template_name)
    return mark_safe(_marker(template_name))  # noqa: S308 - a fixed comment


def fill(content, request):
    def replace(found):
        name = found.group(2).decode()
        if found.group(0).decode() != _marker(name):
            return found.group(0)
        return _per_visitor_render(name, request).encode()

    return _MARKERS.sub(replace, content)


@dataclass(frozen=True)
class _Fragment:
    value: object
    deps: tuple


def fragment_many(objects, *, key, tags, make):
    """A value for each of `objects`, kept under `key(obj)` while the versions of `tags(obj)`
    stay as they were. `make(objects)` makes the values of those not kept, in one go (one
    set of queries however many). Outside a page being rendered for the cache, all are
    made afresh."""
    objects = list(objects)
    recording = recording_var.get()
    if recording is None or not objects:
        return make(objects)
    keys = [f"pagecache:fragment:{release()}:{key(obj)}" for obj in objects]
    stored = {name: LOCAL.get(name) for name in keys}
    absent = [name for name, value in stored.items() if value is None]
    if absent:
        for name, value in cache.get_many(absent).items():
            stored[name] = value
            LOCAL.set(name, value)
    object_tags = [{EVERYTHING, *tags(obj)} for obj in objects]
    current = versions(set().union(*object_tags))
    values = [None] * len(objects)
    missing = []
    for index, name in enumerate(keys):
        found = stored.get(name)
        if found is not None and valid(found.deps, current):
            values[index] = found.value
        else:
            missing.append(index)
    to_store = {}
    made = make([objects[index] for index in missing]) if missing else []
    for index, value in zip(missing, made, strict=True):
        values[index] = value
        deps = tuple(sorted((tag, current[tag]) for tag in object_tags[index]))
        if all(version[0] <= recording.since for _, version in deps):
            to_store[keys[index]] = _Fragment(value, deps)
    for name, value in to_store.items():
        LOCAL.set(name, value)
    if to_store:
        cache.set_many(to_store, STORED_SECONDS)
    return values


def memo(namespace, text, make):
    """`make()` for `text`, kept in this process under the text's digest: for what depends
    on the text alone (Markdown), which never goes stale."""
    key = f"pagecache:memo:{namespace}:{hashlib.sha256(text.encode()).hexdigest()}"
    value = LOCAL.get(key)
    if value is None:
        value = make()
        LOCAL.set(key, value)
    return value
