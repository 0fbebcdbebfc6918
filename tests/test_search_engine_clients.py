"""What crawlers read, as their own parsers read it: robots.txt through protego (Scrapy's
parser, with Google's wildcard rules), the sitemap and the seminar page's Event data."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.contrib.staticfiles import finders
from protego import Protego

from tests.factories import SeminarFactory
from tests.html import page

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_sitemap_locations_follow_site_url_not_the_host_header(client, settings):
    settings.SITE_URL = "https://seminars.example.org"
    settings.ALLOWED_HOSTS = ["seminars.example.org", "other.example.net"]
    SeminarFactory(slug="open-day")

    response = client.get("/sitemap.xml", HTTP_HOST="other.example.net")

    locations = [
        loc.text for loc in ET.fromstring(response.content).iterfind(".//sm:loc", SITEMAP_NS)
    ]
    assert "https://seminars.example.org/seminars/open-day/" in locations
    assert all(location.startswith("https://seminars.example.org/") for location in locations)


def test_event_offer_and_image_are_pages_a_crawler_may_fetch(client, settings):
    settings.SITE_URL = "http://testserver"
    SeminarFactory(slug="open-day")

    robots = Protego.parse(client.get("/robots.txt").content.decode())
    soup = page(client.get("/seminars/open-day/"))
    [script] = soup.select('script[type="application/ld+json"]')
    event = json.loads(script.string)

    # The rule that keeps crawlers off the form is read as Google reads it.
    assert not robots.can_fetch("http://testserver/seminars/open-day/register/", "Googlebot")
    assert robots.can_fetch(event["offers"]["url"], "Googlebot")
    assert event["offers"]["url"] == "http://testserver/seminars/open-day/"
    [image] = event["image"]
    assert image == soup.select_one('meta[property="og:image"]')["content"]
    assert finders.find(image.removeprefix("http://testserver/static/"))
    assert robots.can_fetch(image, "Googlebot")
    assert soup.select_one('meta[property="og:type"]')["content"] == "website"
