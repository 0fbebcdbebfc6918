from email.utils import parseaddr

from django.conf import settings


def site(request):
    """The public address, for canonical links and social cards, and whom to contact."""
    return {
        "site_url": settings.SITE_URL,
        "contact_email": parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
    }
