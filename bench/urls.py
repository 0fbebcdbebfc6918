"""The site's URLs plus the floor: a minimal view rendering a template of a given size.

The floor runs under the same server, settings and middleware as the real pages, with no
database query; a page's throughput beside the floor's shows what the page itself costs.
"""

from django.shortcuts import render
from django.urls import path

from coproseries.urls import urlpatterns as site_urlpatterns

FLOOR_OVERHEAD = len(
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Floor</title>'
    "</head><body><p></p></body></html>\n"
)


def floor(request, size):
    padding = "x" * max(size - FLOOR_OVERHEAD, 0)
    return render(request, "bench/floor.html", {"padding": padding})


urlpatterns = [path("bench/floor/<int:size>/", floor), *site_urlpatterns]
