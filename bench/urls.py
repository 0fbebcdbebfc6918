"""The site's URLs plus the floor: a minimal view rendering a template of a given size.

The floor runs under the same server, settings and middleware as the real pages, with no
database query; a page's throughput beside the floor's shows what the page itself costs.
"""

from functools import cache

from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path

from coproseries.urls import urlpatterns as site_urlpatterns


@cache
def _template_overhead():
    """The floor template's own bytes, so that padding brings a response to `size`."""
    return len(render_to_string("bench/floor.html", {"padding": ""}).encode())


def floor(request, size):
    padding = "x" * max(size - _template_overhead(), 0)
    return render(request, "bench/floor.html", {"padding": padding})


urlpatterns = [path("bench/floor/<int:size>/", floor), *site_urlpatterns]
