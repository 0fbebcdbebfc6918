"""Versions: what a stored page or fragment depends on, and the process-local tier.

A version is a tag ("seminar:12") with a value in the shared cache: (a number from one shared
sequence, a random token). An edit replaces the values of the tags of what it changed
(`bump`); a rendering is valid while the versions it was stored with are current.
"""

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from coproseries.cache import store_switched

EVERYTHING = "everything"  # every stored page and fragment depends on it
CONTENT = "content"  # replaced by every edit: what pages that show many things depend on
VERSION_PREFIX = "pagecache:version:"
SEQUENCE_KEY = "pagecache:sequence"
CLOCK_KEY = "pagecache:clock"
# How long the shared store keeps a rendering nobody asks for: it bounds the store's size;
# a rendering is valid or not by its versions, whatever its age.
STORED_SECONDS = 24 * 3600
_MISSING = object()


class _LocalTier:
    """The most recently used renderings, in this process's memory: the same as the shared
    store holds (each is checked against the shared versions before use), without a
    round trip to it."""

    def __init__(self, size):
        self.size, self.lock, self.items = size, threading.Lock(), OrderedDict()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def set(self, key, value):
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self):
        with self.lock:
            self.items.clear()


LOCAL = _LocalTier(size=2000)


@memoize
def release():
    """A digest of what makes a page from the data: the templates, the code and the static
    files' names. Pages and fragments are stored under it, so that a new release never
    serves what the one before rendered."""
    digest = hashlib.sha256()
    root = settings.BASE_DIR
    sources = [*sorted((root / "templates").rglob("*"))]
    for app in ("coproseries", "seminars", "people"):
        sources += sorted((root / app).rglob("*.py"))
    sources.append(settings.STATIC_ROOT / "staticfiles.json")
    for path in sources:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# Versions


def _sequence_next():
    try:
        return cache.incr(SEQUENCE_KEY)
    except ValueError:
        # Started from the clock, so that a sequence the cache lost starts again above
        # the numbers it had given out.
        cache.add(SEQUENCE_KEY, int(time.time() * 1000), timeout=None)
        return cache.incr(SEQUENCE_KEY)


def sequence_now():
    """The sequence's number, read without taking it."""
    number = cache.get(SEQUENCE_KEY)
    if number is None:
        cache.add(SEQUENCE_KEY, int(time.time() * 1000), timeout=None)
        number = cache.get(SEQUENCE_KEY)
    return number


def _new_version():
    return (_sequence_next(), secrets.token_hex(6))


_clock_hook = None


def set_clock_hook(hook):
    """`hook(due)` runs when the moment kept by `clock_set` has come (`due`, its timestamp),
    or when none is kept (`due` None): the app that knows what changes with the clock sets
    it."""
    global _clock_hook
    _clock_hook = hook


def clock_set(moment):
    """The next moment (a timestamp, or None for none) at which the clock hook must run."""
    cache.set(CLOCK_KEY, moment, timeout=None)


def versions(tags):
    """The current version of each tag, {tag: (number, token)}; a tag without one gets one.
    Runs the clock hook first when the moment it waits for has come."""
    keys = {f"{VERSION_PREFIX}{tag}": tag for tag in tags}
    found = cache.get_many([CLOCK_KEY, *keys])
    due = found.get(CLOCK_KEY, _MISSING)
    now = timezone.now().timestamp()
    if _clock_hook is not None and (due is _MISSING or (due is not None and due <= now)):
        _clock_hook(due if due is not _MISSING else None)
        found = cache.get_many(list(keys))
    missing = [key for key in keys if key not in found]
    if missing:
        # A version set at the same time by another process may replace these: its pages
        # are then rendered once more, and nothing older can ever match. Its number is the
        # sequence's as it stands: newer than a render's start only if something was edited
        # meanwhile.
        version = (sequence_now(), secrets.token_hex(6))
        missing = dict.fromkeys(missing, version)
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return {tag: found[key] for key, tag in keys.items()}


def bump(tags, *, content=True):
    """Replace the versions of `tags` (and of `content`, unless the change is to no page's
    content, only to a live figure): now, and again once committed.

    Only the second takes a new number from the sequence: taking one inside a transaction
    would hold the sequence (a locked row, with the database's cache) until its end, and
    serialise every edit and registration on the site behind it. The first gives new tokens
    under the sequence's current number, which is all a page rendered before the commit
    needs to lose its validity. Keys go in one order, so two transactions writing the same
    versions wait for each other rather than deadlock.
    """
    keys = sorted(f"{VERSION_PREFIX}{tag}" for tag in ({*tags, CONTENT} if content else tags))

    def replace(version):
        cache.set_many(dict.fromkeys(keys, version), timeout=None)

    replace((sequence_now(), secrets.token_hex(6)))
    transaction.on_commit(lambda: replace(_new_version()))


def _on_store_switched(sender, **kwargs):
    # Edits made while the other store was in use replaced only that store's versions.
    cache.delete(CLOCK_KEY)
    bump([EVERYTHING])


store_switched.connect(_on_store_switched, dispatch_uid="pagecache_store_switched")


def valid(deps, current):
    return all(current.get(tag) == version for tag, version in deps)


def content_changed():
    """Everything may have changed (rows written without signals, by `seed_scale`)."""
    cache.delete(CLOCK_KEY)
    bump([EVERYTHING])
