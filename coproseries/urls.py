from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import conditional_page

from coproseries.health import healthz
from coproseries.pagecache import cache_public_page
from coproseries.sitemaps import SITEMAPS
from seminars.views import robots_txt

handler500 = "coproseries.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "sitemap.xml",
        # Django's sitemap view pages its index with `p`.
        cache_public_page(conditional_page(sitemap), query=["p"]),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("healthz", healthz, name="healthz"),
    path("", include("people.urls")),
    path("", include("seminars.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
