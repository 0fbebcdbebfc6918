from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from coproseries import pagecache
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


@register.simple_tag(takes_context=True)
def per_visitor(context, template_name):
    """A small template that differs from one visitor to the next (a log-in link, a CSRF
    token), kept out of the page the cache shares: filled in for each request."""
    return pagecache.per_visitor(template_name, context.get("request"))


@register.simple_tag
def cards(objects, template_name, **extra):
    """`{% for obj in objects %}{% include template_name %}{% endfor %}`, each drawing kept
    in the page cache under its object's tag (seminars/fragments.py): the template may read
    only its object (named by its kind: `seminar`, `person`, `recap`) and `extra`."""
    from seminars import fragments

    return mark_safe("".join(fragments.cards(objects, template_name, **extra)))  # noqa: S308
