"""Atom feeds: recaps in full, and upcoming seminars."""

import re
from functools import wraps

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

from coproseries import pagecache
from coproseries.markdown import render_markdown
from seminars import selectors
from seminars.freshness import RECAP_LIST
from seminars.identity import series_identity
from seminars.models import Seminar


def etag_only(feed_view):
    """Drop the feed's Last-Modified, leaving the ETag to answer conditional requests.

    Last-Modified is the newest item's date, which does not move when an item leaves the
    feed (a recap unpublished, a seminar deleted): a poll by date alone would miss that.
    """

    @wraps(feed_view)
    def view(request, *args, **kwargs):
        response = feed_view(request, *args, **kwargs)
        del response["Last-Modified"]
        return response

    return view


# The control characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F]")


class _XmlTextGenerator(SimplerXMLGenerator):
    """Drops control characters (pasted into a title, say) instead of failing the feed."""

    def characters(self, content):
        super().characters(_NOT_XML.sub("", content) if content else content)


class AtomWithContent(Atom1Feed):
    """Atom with every author of an item, and its full HTML as <content>."""

    def write(self, outfile, encoding):
        handler = _XmlTextGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_item_elements(self, handler, item):
        authors = item.pop("authors", [])
        super().add_item_elements(handler, item)
        for name, link in authors:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if link:
                handler.addQuickElement("uri", link)
            handler.endElement("author")
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


def _site_url(path):
    # Like every absolute link the site gives out, at SITE_URL rather than the request's
    # host: an entry's Atom id is its link, so it must not change with the host or scheme.
    return f"{settings.SITE_URL}{path}"


class SeriesAuthoredFeed(Feed):
    """The series is the feed's author, and the author of each entry that names nobody:
    RFC 4287 §4.1.1 wants an author on the feed or on every entry, and readers show both.
    The series' name is the one every page shows (seminars/identity.py, cached)."""

    kind = ""  # what the feed carries, before the series' name in its title

    def get_object(self, request, *args, **kwargs):
        # Read once for the whole feed: the feed's author is every entry's that names nobody.
        return series_identity()

    def title(self, identity):
        return f"{self.kind} · {identity.name}"

    def author_name(self, identity):
        return identity.name

    def author_link(self):
        return _site_url("/")

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        for item in feed.items:
            if not item.get("authors"):
                item["authors"] = [(self.author_name(obj), self.author_link())]
        return feed


class RecapFeed(SeriesAuthoredFeed):
    feed_type = AtomWithContent
    kind = "Recaps"
    subtitle = "What was said at each seminar, for everyone who was there and everyone who was not."

    def link(self):
        return _site_url(reverse("seminars:recap_list"))

    def feed_url(self):
        return _site_url(reverse("seminars:recap_feed"))

    def items(self):
        pagecache.shows(RECAP_LIST)
        return selectors.recap_list_queryset()[:20]

    def item_link(self, recap):
        return _site_url(recap.get_absolute_url())

    def item_title(self, recap):
        return recap.title

    def item_description(self, recap):
        # Atom writes the description as <summary type="html">: plain text must be escaped,
        # or a reader would run markup typed into a summary.
        return escape(recap.summary)

    def item_pubdate(self, recap):
        return recap.published_at

    def item_updateddate(self, recap):
        return max(recap.updated_at, recap.published_at)

    def item_extra_kwargs(self, recap):
        return {
            "content": str(render_markdown(recap.body)),
            "authors": [
                (
                    author.name,
                    f"{settings.SITE_URL}{author.get_absolute_url()}" if author.is_listed else "",
                )
                for author in recap.authors.all()
            ],
        }


class UpcomingSeminarFeed(SeriesAuthoredFeed):
    feed_type = AtomWithContent
    kind = "Upcoming seminars"
    subtitle = "Seminars on co-production in mental health, soonest first."

    def link(self):
        return _site_url(reverse("seminars:seminar_list"))

    def feed_url(self):
        return _site_url(reverse("seminars:seminar_feed"))

    def items(self):
        return Seminar.objects.public().upcoming().select_related("venue")[:50]

    def item_link(self, seminar):
        return _site_url(seminar.get_absolute_url())

    def item_title(self, seminar):
        prefix = "Cancelled: " if seminar.is_cancelled else ""
        return f"{prefix}{seminar.title}"

    def item_description(self, seminar):
        when = dateformat.format(timezone.localtime(seminar.starts_at), "l j F Y, H:i")
        where = str(seminar.venue) if seminar.venue else "Online"
        return escape(f"{when} (UK time), {where}. {seminar.summary}".strip())

    # No item_pubdate: a seminar's start is not when its entry was published, and as the
    # latest item date it would set the feed's Last-Modified in the future, so a reader
    # polling with If-Modified-Since would get 304 after a seminar changed or was cancelled.
    def item_updateddate(self, seminar):
        return seminar.updated_at
