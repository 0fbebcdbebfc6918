import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from coproseries.ratelimit import rate_limit_exceeded

REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": "coproseries-tests",
    }
}


@pytest.mark.parametrize("cache_settings", [None, REDIS], ids=["local-memory", "redis"])
def test_rate_limit_counts_per_client_in_the_shared_cache(cache_settings):
    requests = RequestFactory()
    ann = requests.post("/", REMOTE_ADDR="192.0.2.1")
    bo = requests.post("/", REMOTE_ADDR="192.0.2.2")

    with override_settings(**({"CACHES": cache_settings} if cache_settings else {})):
        caches["default"].clear()
        verdicts = [rate_limit_exceeded(ann, scope="test", limit=3, window=60) for _ in range(5)]
        other = rate_limit_exceeded(bo, scope="test", limit=3, window=60)
        redis_keys = _redis_keys()
        caches["default"].clear()

    assert verdicts == [False, False, False, True, True]
    assert other is False
    if cache_settings:
        assert len([key for key in redis_keys if b"ratelimit:test:" in key]) == 2
        assert [key for key in redis_keys if b"192.0.2" in key] == []  # addresses are hashed


def _redis_keys():
    import redis

    return redis.Redis.from_url("redis://127.0.0.1:6379/15").keys("*")


def test_rate_limit_uses_the_forwarded_address_only_behind_a_proxy(settings):
    requests = RequestFactory()
    spoofed = [
        requests.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        for n in range(3)
    ]

    settings.SECURE_PROXY_SSL_HEADER = None
    direct = [rate_limit_exceeded(r, scope="proxy", limit=2, window=60) for r in spoofed]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxied = [rate_limit_exceeded(r, scope="proxy", limit=2, window=60) for r in spoofed]

    assert direct == [False, False, True]
    assert proxied == [False, False, False]
