"""The organisers' admin site: Django's, named after the series, with failed logins limited
like the speakers' login."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from coproseries.ratelimit import login_attempts_exhausted, login_failed, login_limited
from seminars.identity import series_identity


class OrganisersAdminSite(admin.AdminSite):
    index_title = "Seminars, people and recaps"
    index_template = "admin/organisers_index.html"

    @property
    def site_header(self):
        """ "<the series' name> admin", read from the cache like every page's header."""
        return f"{series_identity().name} admin"

    @property
    def site_title(self):
        return self.site_header

    def login(self, request, extra_context=None):
        if request.method != "POST":
            return super().login(request, extra_context)
        email = request.POST.get("username")
        if login_attempts_exhausted(request, email=email):
            return login_limited(request)
        response = super().login(request, extra_context)
        # A successful login redirects; the form shown again means the attempt failed.
        if response.status_code == 200:
            login_failed(request, email=email)
        return response


class OrganisersAdminConfig(AdminConfig):
    default_site = "coproseries.admin.OrganisersAdminSite"
