"""Atom feeds: recaps in full, and upcoming seminars."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils import dateformat, timezone
from django.utils.feedgenerator import Atom1Feed

from coproseries.markdown import render_markdown
from seminars import selectors
from seminars.models import Seminar


class AtomWithContent(Atom1Feed):
    """Atom with every author of an item, and its full HTML as <content>."""

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


class RecapFeed(Feed):
    feed_type = AtomWithContent
    title = "Recaps · coproseries"
    subtitle = "What was said at each seminar, for everyone who was there and everyone who was not."
    link = reverse_lazy("seminars:recap_list")
    feed_url = reverse_lazy("seminars:recap_feed")

    def items(self):
        return selectors.recap_list_queryset()[:20]

    def item_title(self, recap):
        return recap.title

    def item_description(self, recap):
        return recap.summary

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


class UpcomingSeminarFeed(Feed):
    feed_type = AtomWithContent
    title = "Upcoming seminars · coproseries"
    subtitle = "Seminars on co-production in mental health, soonest first."
    link = reverse_lazy("seminars:seminar_list")
    feed_url = reverse_lazy("seminars:seminar_feed")

    def items(self):
        return Seminar.objects.public().upcoming().select_related("venue")[:50]

    def item_title(self, seminar):
        prefix = "Cancelled: " if seminar.is_cancelled else ""
        return f"{prefix}{seminar.title}"

    def item_description(self, seminar):
        when = dateformat.format(timezone.localtime(seminar.starts_at), "l j F Y, H:i")
        where = str(seminar.venue) if seminar.venue else "Online"
        return f"{when} (UK time), {where}. {seminar.summary}".strip()

    def item_pubdate(self, seminar):
        return seminar.starts_at

    def item_updateddate(self, seminar):
        return seminar.updated_at
