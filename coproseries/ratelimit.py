"""Fixed-window rate limits per client, kept in Django's cache (Redis when configured)."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from people.email_identity import canonical_email


def client_address(request):
    if settings.SECURE_PROXY_SSL_HEADER:
        # Behind our own proxy the left-most forwarded address is the client's.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def _key(scope, subject, window):
    # Subjects (addresses, emails) are hashed so the cache holds no personal data.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{subject}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{int(time.time() // window)}"


def rate_limit_hit(*, scope, subject, window):
    """Count one event for `subject` in the current window; return the count so far."""
    key = _key(scope, subject, window)
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def rate_limit_count(*, scope, subject, window):
    """How many events `subject` has had in the current window, without counting one."""
    return cache.get(_key(scope, subject, window), 0)


def rate_limit_exceeded(request, *, scope, limit, window):
    """Count this request against the client's allowance; True once it is used up."""
    return rate_limit_hit(scope=scope, subject=client_address(request), window=window) > limit


def _login_subjects(request, email):
    email = canonical_email(email or "")[:254]
    return [("login-address", client_address(request)), ("login-email", email)]


def login_attempts_exhausted(request, *, email):
    """True once the client address or the email has used up its failed logins.

    The speakers' login and the organisers' admin login share the allowance, so switching
    between them gains nothing.
    """
    return any(
        rate_limit_count(scope=scope, subject=subject, window=settings.LOGIN_RATE_WINDOW)
        >= settings.LOGIN_RATE_LIMIT
        for scope, subject in _login_subjects(request, email)
    )


def login_failed(request, *, email):
    """Count one failed login against the client address and against the email."""
    for scope, subject in _login_subjects(request, email):
        rate_limit_hit(scope=scope, subject=subject, window=settings.LOGIN_RATE_WINDOW)
