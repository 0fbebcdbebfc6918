from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.urls import reverse

from people.models import Person
from seminars.models import Recap, Seminar, Theme


class Sitemap(DjangoSitemap):
    """Locations at SITE_URL, like every absolute link the site gives out: Django would
    otherwise take the host (and scheme) of whoever asked, Host header and all."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        parts = urlsplit(settings.SITE_URL)
        return f"{parts.netloc}{parts.path}"


class SeminarSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Seminar.objects.public().order_by("-starts_at", "pk")

    def lastmod(self, seminar):
        return seminar.updated_at


class RecapSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Recap.objects.public().order_by("-published_at", "pk")

    def lastmod(self, recap):
        return max(recap.updated_at, recap.published_at)


class ThemeSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Theme.objects.public().order_by("name", "pk")

    def lastmod(self, theme):
        return theme.updated_at


class PersonSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Person.objects.listed().order_by("name", "pk")


class PageSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return [
            "seminars:home",
            "seminars:seminar_list",
            "people:person_list",
            "seminars:recap_list",
            "seminars:theme_list",
            "seminars:voices",
            "seminars:privacy",
            "seminars:accessibility",
            "seminars:glossary",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "seminars": SeminarSitemap,
    "people": PersonSitemap,
    "recaps": RecapSitemap,
    "themes": ThemeSitemap,
}
