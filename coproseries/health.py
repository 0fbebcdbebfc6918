"""Staying useful when the database is away: a friendly 503, and a health check to watch."""

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
    """200 when the database answers, 503 when it does not: for load balancers and uptime
    checks. It says nothing else about the site."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
