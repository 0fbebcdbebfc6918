"""Fixed-window rate limits per client, kept in Django's cache (Redis when configured).

A client is its address as the site's own proxies saw it (see `client_address`), with IPv6
addresses grouped by their /64 network: one household or server gets a whole /64, so counting
single IPv6 addresses would give an attacker billions of fresh allowances.
"""

import hashlib
import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.template.defaultfilters import pluralize

from coproseries.pagecache import render_shared
from people.email_identity import canonical_email


def _parse_address(value):
    """An address, also as some proxies write it with a port: 192.0.2.1:5000, [2001:db8::1]:5000."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _forwarded_address(request):
    """The address the outermost trusted proxy was reached from, or None if there is none.

    Each proxy appends the address it was reached from to X-Forwarded-For, so the right-most
    TRUSTED_PROXY_COUNT entries were written by the site's own proxies and the one they start
    with is the client's. Anything further left came from the client and proves nothing.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return None
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(hops) < count:
        return None
    return _parse_address(hops[-count])


def _client_group(address):
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(address) >> 64 << 64, 64)))
    return str(address)


def client_address(request):
    """The client a limit counts against: an IPv4 address or an IPv6 /64 network.

    Behind trusted proxies (settings.TRUSTED_PROXY_COUNT > 0) it comes from X-Forwarded-For,
    counted from the right; a missing or malformed header falls back to the connection's own
    address (REMOTE_ADDR), which then stands for everyone behind the proxy, not for nobody.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    address = _forwarded_address(request) or _parse_address(remote)
    return remote if address is None else _client_group(address)


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


def seconds_until_reset(window):
    """Seconds until the current fixed window ends and every allowance in it starts again."""
    return window - int(time.time()) % window


def wait_in_words(seconds):
    """How long to wait, as the 429 pages say it: "10 seconds" under a minute (the search
    burst window is 10 s), else whole minutes, rounded up."""
    if seconds < 60:
        return f"{seconds} second{pluralize(seconds)}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{pluralize(minutes)}"


def too_many_requests(request, template_name, *, window, context=None):
    """The 429 page: says how long to wait, in words and in Retry-After. The organisers'
    contact comes from the series, as on every page (coproseries/context_processors.py).
    For an anonymous GET it comes from the cache once rendered: answering a client that
    keeps asking must cost no more than a cached page."""
    wait = seconds_until_reset(window)
    response = render_shared(
        request,
        template_name,
        {**(context or {}), "wait": wait_in_words(wait)},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _login_subjects(request, email):
    email = canonical_email(email or "")[:254]
    address = client_address(request)
    return [
        ("login-pair", f"{address} {email}", settings.LOGIN_RATE_LIMIT),
        ("login-address", address, settings.LOGIN_ADDRESS_RATE_LIMIT),
        ("login-email", email, settings.LOGIN_EMAIL_RATE_LIMIT),
    ]


def login_attempts_exhausted(request, *, email):
    """True once this client, for this email, or the email from everywhere, is out of tries.

    The speakers' login and the organisers' admin login share the allowance, so switching
    between them gains nothing. A stranger's wrong passwords count against their own address
    and the email's high overall allowance, never against the owner's address.
    """
    return any(
        rate_limit_count(scope=scope, subject=subject, window=settings.LOGIN_RATE_WINDOW) >= limit
        for scope, subject, limit in _login_subjects(request, email)
    )


def login_failed(request, *, email):
    """Count one failed login against each of the client's allowances for this email."""
    for scope, subject, _limit in _login_subjects(request, email):
        rate_limit_hit(scope=scope, subject=subject, window=settings.LOGIN_RATE_WINDOW)


def login_failures_forgiven(request, *, email):
    """Forget failed logins for this email from this client, and from everywhere.

    Called once the email's owner has set a new password through a link sent to it: the
    guesses made before are about a password that no longer exists.
    """
    for scope, subject, _limit in _login_subjects(request, email):
        if scope != "login-address":
            cache.delete(_key(scope, subject, settings.LOGIN_RATE_WINDOW))


def login_limited(request):
    """The page that tells someone whose logins are paused what they can do."""
    return too_many_requests(
        request, "registration/login_limited.html", window=settings.LOGIN_RATE_WINDOW
    )


def password_reset_exceeded(request, *, email):
    """Count a reset request against the client and the email; True once either is used up."""
    by_address = rate_limit_exceeded(
        request,
        scope="password-reset",
        limit=settings.LOGIN_RATE_LIMIT,
        window=settings.LOGIN_RATE_WINDOW,
    )
    if by_address:
        return True
    by_email = rate_limit_hit(
        scope="password-reset-email",
        subject=canonical_email(email),
        window=settings.LOGIN_RATE_WINDOW,
    )
    return by_email > settings.PASSWORD_RESET_EMAIL_RATE_LIMIT
