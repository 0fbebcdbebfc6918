"""The series' name and the organisers' contact: every page's header, title and footer, every
email's Reply-To, and the error pages.

Every page reads it, so it is kept in the cache (shared by every process) and written again
whenever a series is saved or deleted: a page costs no query for it. Should the cache lose it,
the next page reads it with one query. Where the series cannot be read (none yet) the
settings' SITE_NAME and ORGANISERS_EMAIL stand in; the 500 page uses only those.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

# The version changes with the fields: a process must not read an older shape from the cache.
CACHE_KEY = "series-identity:v2"


@dataclass(frozen=True)
class SeriesIdentity:
    name: str
    contact_email: str
    contact_phone: str = ""
    # Who is legally responsible for the personal data (the privacy notice names them).
    data_controller: str = ""

    @property
    def controller(self):
        """The data controller in words: the organisation set on the series, else the
        organisers of the series by its name."""
        return self.data_controller or f"the organisers of {self.name}"


def identity_fallback():
    """From settings alone: for the 500 page, which must not need the database."""
    return SeriesIdentity(name=settings.SITE_NAME, contact_email=settings.ORGANISERS_EMAIL)


def _identity_read():
    from seminars.models import Series

    series = Series.objects.order_by("pk").first()
    if series is None:
        return identity_fallback()
    return SeriesIdentity(
        name=series.short_name or series.title,
        contact_email=series.contact_email or settings.ORGANISERS_EMAIL,
        contact_phone=series.contact_phone,
        data_controller=series.data_controller,
    )


def series_identity():
    identity = cache.get(CACHE_KEY)
    if identity is None:
        identity = _identity_read()
        cache.set(CACHE_KEY, identity, timeout=None)
    return identity


def identity_for_error_page():
    """For the 500 page: the series' identity if the cache holds it, else the settings'.

    The database may be what failed, so it is never asked; the cache may be down too (or
    be the database), so any failure to read it means the settings' identity."""
    try:
        identity = cache.get(CACHE_KEY)
    except Exception:  # whatever failed, the error page must still render
        identity = None
    return identity if isinstance(identity, SeriesIdentity) else identity_fallback()


def identity_refresh(**kwargs):
    """On a series' save or delete: now, and again once committed (as pagecache does)."""

    def refresh():
        cache.set(CACHE_KEY, _identity_read(), timeout=None)

    refresh()
    transaction.on_commit(refresh)
