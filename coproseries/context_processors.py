from email.utils import parseaddr

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from seminars.identity import series_identity


def site(request):
    """The public address, for canonical links and social cards; the series' name and
    organisers' contact for the header, titles and footer (read from the cache, see
    seminars/identity.py)."""
    identity = SimpleLazyObject(series_identity)
    return {
        "site_url": settings.SITE_URL,
        "series_identity": identity,
        "contact_email": SimpleLazyObject(
            lambda: identity.contact_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        ),
    }
