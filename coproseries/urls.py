from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "coproseries organisers"
admin.site.site_title = "coproseries organisers"
admin.site.index_title = "Seminars, people and recaps"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("people.urls")),
    path("", include("seminars.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
