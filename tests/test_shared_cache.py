"""Without Redis the cache is the database's, shared by every worker of every host.

Two gunicorn servers with two workers each run with the site's own settings (no REDIS_URL)
on the test database: an edit shows on both at once, and a rate limit counts requests to
both together.
"""

import datetime as dt
import http.cookiejar
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from coproseries import pagecache
from coproseries.cache import CACHE_TABLE
from coproseries.pagecache import page_key
from coproseries.pagecache.versions import CLOCK_KEY, SEQUENCE_KEY
from tests.factories import SeminarFactory
from tests.processes import ROOT, manage, process_environment
from tests.redis_server import free_port

GUNICORN = Path(sys.executable).with_name("gunicorn")


@pytest.fixture
def database_cache():
    cache = caches["database"]
    cache.clear()
    yield cache
    cache.clear()


def test_settings_without_redis_share_the_database_cache():
    result = subprocess.run(
        [sys.executable, "-c", "from coproseries import settings; print(settings.CACHES)"],
        cwd=ROOT,
        env=process_environment(),
        capture_output=True,
        text=True,
        check=True,
    )

    assert "'default': {'BACKEND': 'coproseries.cache.DatabaseCache'" in result.stdout
    assert "LocMemCache" not in result.stdout


class Server:
    """gunicorn with the site's settings on the test database, and a visitor's cookies."""

    def __init__(self, **env):
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(GUNICORN), "coproseries.wsgi", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", "2", "--log-level", "warning"],
            cwd=ROOT,
            env=process_environment(**env),
        )
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def wait_until_up(self):
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def get(self, path):
        with urllib.request.urlopen(f"{self.url}{path}", timeout=20) as response:
            return response.read().decode()

    def register(self, path, email):
        """Fetch the form (for its CSRF token) and post it, as a browser does."""
        form = self.opener.open(f"{self.url}{path}", timeout=20).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = {
            "csrfmiddlewaretoken": token,
            "name": "Shared Limit",
            "email": email,
            "consent": "on",
            "homepage": "",
        }
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": f"{self.url}{path}"},
        )
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def stop(self):
        """Ask gunicorn for its quick shutdown; `wait()` for it (both servers stop at once)."""
        self.process.send_signal(signal.SIGINT)

    def wait(self):
        self.process.wait(20)


@pytest.fixture
def two_hosts(database_cache):
    servers = []
    try:
        for _ in range(2):
            servers.append(Server(DJANGO_REGISTRATION_RATE_LIMIT="3"))
        for server in servers:
            server.wait_until_up()
        yield servers
    finally:
        for server in servers:
            server.stop()
        for server in servers:
            server.wait()


@pytest.mark.django_db(transaction=True)
def test_an_edit_shows_on_every_worker_at_once_and_limits_count_across_them(two_hosts):
    first, second = two_hosts
    SeminarFactory(slug="open", title="Before the edit", capacity=100)
    # Every worker of both servers has the page cached (the version is shared).
    before = [server.get("/seminars/open/") for _ in range(4) for server in two_hosts]

    manage(
        "shell",
        "-c",
        "from seminars.models import Seminar; seminar = Seminar.objects.get(slug='open'); "
        "seminar.title = 'After the edit'; seminar.save()",
    )
    after = [server.get("/seminars/open/") for _ in range(4) for server in two_hosts]
    statuses = [
        server.register("/seminars/open/register/", f"limit{number}@example.org")
        for number, server in enumerate([first, second, first, second])
    ]

    assert all("Before the edit" in page for page in before)
    assert [("After the edit" in page, "Before the edit" in page) for page in after] == [
        (True, False)
    ] * 8
    assert statuses == [200, 200, 200, 429]  # three registrations, then the shared limit


@pytest.mark.django_db(transaction=True)
def test_database_cache_incr_keeps_the_expiry_and_counts_every_concurrent_hit(database_cache):
    database_cache.add("hits", 0, timeout=3600)
    expires = _expires(database_cache, "hits")

    def hit():
        try:
            for _ in range(10):
                database_cache.incr("hits")
        finally:
            connection.close()

    threads = [threading.Thread(target=hit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert database_cache.get("hits") == 40
    assert _expires(database_cache, "hits") == expires
    assert timezone.now() + dt.timedelta(minutes=59) < expires
    with pytest.raises(ValueError):
        database_cache.incr("never-set")


def _expires(cache, key):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT expires FROM {CACHE_TABLE} WHERE cache_key = %s", [cache.make_key(key)]
        )
        [value] = cursor.fetchone()
    return _as_datetime(value)


def _as_datetime(value):
    if isinstance(value, str):  # SQLite answers text, in UTC
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@pytest.mark.django_db
def test_a_full_database_cache_drops_the_oldest_renderings_and_nothing_else(settings):
    """Past MAX_ENTRIES the store drops pages, oldest first, never the page cache's clock,
    versions or sequence, nor a client's count against a limit. (Django's own culling
    drops the keys that sort first: the clock, "pagecache:clock", before any page.)"""
    settings.CACHES = {
        "default": {
            "BACKEND": "coproseries.cache.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2},
        }
    }
    from django.core.cache import cache

    cache.clear()
    pagecache.clock_set(1_900_000_000.0)
    kept = pagecache.versions(["seminar:1", "person:2"])
    cache.set("ratelimit:search:203.0.113.9", 5, timeout=60)
    pages = [page_key("testserver", f"/seminars/s{n}/") for n in range(12)]
    for key in pages:
        cache.set(key, b"<p>A page</p>", timeout=3600)

    stored = [key for key in pages if cache.get(key) is not None]
    assert cache.get(CLOCK_KEY) == 1_900_000_000.0
    assert pagecache.versions(["seminar:1", "person:2"]) == kept
    assert cache.get(SEQUENCE_KEY) is not None
    assert cache.get("ratelimit:search:203.0.113.9") == 5
    assert stored == pages[len(pages) - len(stored) :]  # the newest, in order
    assert 0 < len(stored) < len(pages)
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_database_cache_writes_many_entries_at_once_replacing_what_was_there(database_cache):
    database_cache.set("page", "old", timeout=60)
    database_cache.set_many({"page": "new", "version": (7, "ab12"), "note": "kept"}, timeout=None)
    database_cache.set_many({f"fragment:{n}": n for n in range(1200)}, timeout=3600)

    assert database_cache.get_many(["page", "version", "note"]) == {
        "page": "new",
        "version": (7, "ab12"),
        "note": "kept",
    }
    assert _expires(database_cache, "page").year == 9999  # no expiry
    assert database_cache.get("fragment:1199") == 1199
    assert timezone.now() + dt.timedelta(minutes=59) < _expires(database_cache, "fragment:0")
