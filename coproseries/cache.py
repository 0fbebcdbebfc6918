"""The shared cache: Redis when `REDIS_URL` is set, the database otherwise, and the database
while Redis is away.

Every process of every host must see the same cache: rate limits count across processes, and
an edit must empty the page cache everywhere at once. Without Redis that store is Django's
database cache (its table is made by a migration). With Redis, Redis is an optimisation, not
a dependency: when it does not answer, each process switches to the database cache, logs a
warning at most once a minute, and tries Redis again every few seconds (not on every call,
which would make each request wait for a failed connection); once Redis answers, every call
goes to it again. /healthz says "degraded" meanwhile.

Switching stores sends `store_switched`, so that what must not be read stale from the store
just switched to (the page cache's content version: edits during an outage changed only the
other store) can be replaced.
"""

import base64
import datetime as dt
import logging
import pickle
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, models, router, transaction
from django.dispatch import Signal
from django.utils import timezone
from redis.exceptions import RedisError

CACHE_TABLE = "coproseries_cache"
WARNING_INTERVAL_SECONDS = 60

logger = logging.getLogger(__name__)

# Sent with `store` ("redis" or "database") once the cache has switched to that store.
store_switched = Signal()


class DatabaseCache(DjangoDatabaseCache):
    """Django's database cache with an `incr` that is atomic and keeps the key's expiry.

    Django's own `incr` is a get then a set: two processes counting at once lose a count,
    and the set gives the key a fresh default timeout, so a rate limit's window could end
    early. Here the row is locked (PostgreSQL; SQLite's IMMEDIATE transactions take the
    write lock) and only its value changes.
    """

    # Rows per INSERT: SQLite takes at most 32,766 parameters in one statement.
    SET_BATCH = 500

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.set_many({key: value}, timeout=timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """Every entry in one transaction: one count (culling past MAX_ENTRIES), then one
        INSERT … ON CONFLICT DO UPDATE per 500 entries (PostgreSQL; SQLite since 3.24).
        Django's own writes each entry in its own transaction, with a count, a read and
        a write: an edit that replaces 30 versions, or a page stored with its fragments,
        then waits for a hundred statements."""
        if not data:
            return []
        rows = sorted(
            (self.make_and_validate_key(key, version=version), value) for key, value in data.items()
        )
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table, key_column = quote_name(self._table), quote_name("cache_key")
        value_column, expires_column = quote_name("value"), quote_name("expires")
        seconds = self.get_backend_timeout(timeout)
        if seconds is None:
            expires = dt.datetime.max
        else:
            expires = dt.datetime.fromtimestamp(seconds, tz=dt.UTC if settings.USE_TZ else None)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            count = cursor.fetchone()[0]
            if count > self._max_entries:
                self._cull(db, cursor, timezone.now().replace(microsecond=0), count)
            for start in range(0, len(rows), self.SET_BATCH):
                batch = rows[start : start + self.SET_BATCH]
                params = []
                for key, value in batch:
                    pickled = pickle.dumps(value, self.pickle_protocol)
                    params += [key, base64.b64encode(pickled).decode("latin1"), expires]
                cursor.execute(
                    f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column}) "
                    f"VALUES {', '.join(['(%s, %s, %s)'] * len(batch))} "
                    f"ON CONFLICT ({key_column}) DO UPDATE SET "
                    f"{value_column} = EXCLUDED.{value_column}, "
                    f"{expires_column} = EXCLUDED.{expires_column}",
                    params,
                )
        return []

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table, value_column = quote_name(self._table), quote_name("value")
        key_column, expires_column = quote_name("cache_key"), quote_name("expires")
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {value_column}, {expires_column} FROM {table} "
                f"WHERE {key_column} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is None or self._expired(connection, row[1]):
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(row[0])
            value = pickle.loads(base64.b64decode(stored.encode())) + delta
            pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {value_column} = %s WHERE {key_column} = %s", [pickled, key]
            )
        return value

    # What culling may drop: renderings the page cache can make again. Everything else
    # here must stay until it expires: the page cache's versions, sequence and clock (kept
    # without expiry; losing one refreshes pages, losing the clock refreshes every page)
    # and the rate limits' counts (losing one gives a client a fresh allowance).
    CULLABLE = ("pagecache:page:", "pagecache:fragment:", "pagecache:shared:")

    def _cull(self, db, cursor, now, num):
        """Past MAX_ENTRIES, first what has expired, then the renderings stored longest ago
        (a fraction, 1 / CULL_FREQUENCY, of the entries; all of them for 0), never anything
        else. Django's own culling deletes the entries whose keys sort first, whatever they
        are: in this store, the page cache's clock ("pagecache:clock") before any page."""
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table, key_column = quote_name(self._table), quote_name("cache_key")
        expires_column = quote_name("expires")
        cursor.execute(
            f"DELETE FROM {table} WHERE {expires_column} < %s",
            [connection.ops.adapt_datetimefield_value(now)],
        )
        remaining = num - cursor.rowcount
        if remaining <= self._max_entries:
            return
        cullable = " OR ".join([f"{key_column} LIKE %s"] * len(self.CULLABLE))
        cursor.execute(
            f"DELETE FROM {table} WHERE {key_column} IN ("
            f"SELECT {key_column} FROM {table} WHERE {cullable} "
            f"ORDER BY {expires_column} LIMIT %s)",
            [
                *(f"%:{prefix}%" for prefix in self.CULLABLE),
                remaining // self._cull_frequency if self._cull_frequency else remaining,
            ],
        )

    @staticmethod
    def _expired(connection, expires):
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(
            expression
        ) + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        return expires < timezone.now()


class _RedisHealth:
    """What one process knows about one Redis server, shared by its threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down = False
        self.retry_at = 0.0
        self.warned_at = None


_HEALTH = {}


class RedisWithFallbackCache(RedisCache):
    """Django's Redis cache, standing in the cache named by `FALLBACK` while Redis is away.

    Settings beyond RedisCache's: `FALLBACK` (a cache alias, "database" by default) and
    `RETRY_SECONDS` (how long to use the fallback before trying Redis again, 10 by default).
    Give Redis short socket timeouts in `OPTIONS`, so that a Redis that hangs costs each
    process one short wait per retry.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._fallback_alias = params.get("FALLBACK", "database")
        self._retry_seconds = params.get("RETRY_SECONDS", 10)
        self._health = _HEALTH.setdefault(server, _RedisHealth())

    @property
    def degraded(self):
        return self._health.down

    def redis_reachable(self):
        """Ask Redis now (for /healthz); switch stores if the answer changed."""
        try:
            self._cache.get_client(write=True).ping()
        except RedisError as error:
            self._went_away(error)
            return False
        self._came_back()
        return True

    def _went_away(self, error):
        health = self._health
        now = time.monotonic()
        with health.lock:
            switched = not health.down
            health.down, health.retry_at = True, now + self._retry_seconds
            warn = health.warned_at is None or now - health.warned_at >= WARNING_INTERVAL_SECONDS
            if warn:
                health.warned_at = now
        if warn:
            logger.warning(
                "The Redis cache does not answer (%s: %s); using the database cache until it does.",
                type(error).__name__,
                error,
            )
        if switched:
            store_switched.send(sender=type(self), store="database")

    def _came_back(self):
        health = self._health
        with health.lock:
            switched, health.down = health.down, False
        if switched:
            logger.warning("The Redis cache answers again; using it.")
            store_switched.send(sender=type(self), store="redis")

    def _run(self, name, *args, **kwargs):
        health = self._health
        if health.down and (time.monotonic() < health.retry_at or not self.redis_reachable()):
            return getattr(caches[self._fallback_alias], name)(*args, **kwargs)
        try:
            return getattr(super(), name)(*args, **kwargs)
        except RedisError as error:
            self._went_away(error)
            return getattr(caches[self._fallback_alias], name)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._run("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._run("delete", key, version)

    def get_many(self, keys, version=None):
        return self._run("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._run("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._run("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._run("delete_many", keys, version)

    def clear(self):
        return self._run("clear")
