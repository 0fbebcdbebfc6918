"""`manage.py rebuild_search_index`: refill the search index from the searched tables.

The database keeps the index in step by itself (migration 0022), so this is for repairs
only: after restoring tables by hand, say, or writing to them with triggers turned off.
Every page kept by the page cache is refreshed after it (search results among them).
"""

from django.core.management.base import BaseCommand

from coproseries import pagecache
from seminars.search import rebuild_index


class Command(BaseCommand):
    help = "Refill the site search's index from the seminars, talks, workshops, people and recaps."

    def handle(self, *args, **options):
        rebuild_index()
        # Search pages kept by the page cache showed the index as it was.
        pagecache.content_changed()
        self.stdout.write("Rebuilt the search index.")
