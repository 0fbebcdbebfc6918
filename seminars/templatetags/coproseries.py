from urllib.parse import urlsplit

from django import template
from django.conf import settings

from coproseries.markdown import render_markdown, render_markdown_text
from seminars.about import retention

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render organiser- or speaker-written Markdown through the one sanitising function."""
    return render_markdown(text)


@register.filter(name="markdown_text")
def markdown_text_filter(text):
    """Markdown as plain words, escaped by the template like any other text."""
    return render_markdown_text(text)


@register.filter(name="absolute_url")
def absolute_url_filter(url):
    """A URL as the outside world needs it: a path gets the site's address in front; a URL
    that is already absolute (a photo in an S3 bucket) stays as it is."""
    if urlsplit(url).scheme:
        return url
    return f"{settings.SITE_URL}{url}"


@register.filter
def ordinal(number):
    """1st, 2nd, 3rd, 4th, … 11th, 12th, 13th, … 21st: a position in plain English."""
    number = int(number)
    if number % 100 in {11, 12, 13}:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


@register.simple_tag
def registration_retention():
    """How long registrants' details are kept: the one sentence every page and email uses."""
    return retention.registration_retention()
