"""The organisers' admin site: Django's, with failed logins limited like the speakers' login."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from coproseries.ratelimit import login_attempts_exhausted, login_failed, login_limited


class OrganisersAdminSite(admin.AdminSite):
    site_header = "coproseries organisers"
    site_title = "coproseries organisers"
    index_title = "Seminars, people and recaps"

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
