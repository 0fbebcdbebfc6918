"""A fixed-window rate limit per client, kept in Django's cache (Redis when configured)."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    if settings.SECURE_PROXY_SSL_HEADER:
        # Behind our own proxy the left-most forwarded address is the client's.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def rate_limit_exceeded(request, *, scope, limit, window):
    """Count this request against the client's allowance; True once it is used up.

    Addresses are hashed before they become cache keys, so the cache holds no IP addresses.
    """
    address = hashlib.sha256(
        f"{settings.SECRET_KEY}:{client_address(request)}".encode()
    ).hexdigest()[:32]
    key = f"ratelimit:{scope}:{address}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window):
        return limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=window)
        count = 1
    return count > limit
