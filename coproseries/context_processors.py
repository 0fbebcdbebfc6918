from django.conf import settings


def site(request):
    """The public address, for canonical links and social cards."""
    return {"site_url": settings.SITE_URL}
