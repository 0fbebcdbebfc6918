"""Staying useful when the database is away: a friendly 503, and a health check to watch."""

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from seminars.identity import identity_fallback


class DatabaseUnavailableMiddleware:
    """A database that is down or went away answers a 503 page that needs no database.

    Django closes the broken connection at the end of the request; with CONN_HEALTH_CHECKS
    the next request opens a fresh one, so the site recovers by itself once the database is
    back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            # The series' name from settings: reading it could need the database.
            context = {"series_identity": identity_fallback()}
            response = render(request, "503.html", context, status=503)
            response["Retry-After"] = "30"
            return response
        return None


@never_cache
def healthz(request):
    """For load balancers and uptime checks: 503 when the database does not answer; 200
    otherwise, with "status": "degraded" and "cache": "degraded" while Redis is away.

    A host whose Redis is away still serves every page (the database stands in for the
    cache), and every host shares that Redis: taking hosts out of service would help nobody,
    so the status stays 200 and the body tells monitoring what is wrong. It says nothing
    else about the site.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    redis_reachable = getattr(cache, "redis_reachable", None)
    if redis_reachable is not None and not redis_reachable():
        return JsonResponse({"status": "degraded", "database": "ok", "cache": "degraded"})
    return JsonResponse({"status": "ok", "database": "ok", "cache": "ok"})
