"""`manage.py purge_registrations`: erase registrants' personal details after a seminar.

Names, emails and requirements are kept only as long as the privacy notice says; what is
left (status, attendance, dates) still gives anonymous counts.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize
from django.utils import timezone

from seminars.services import registrations_purge


class Command(BaseCommand):
    help = (
        "Erase the personal details of registrations for seminars that ended more than "
        "a number of days ago."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.REGISTRATION_PURGE_DAYS,
            help="Purge registrations of seminars that ended more than this many days ago "
            "(default: REGISTRATION_PURGE_DAYS, %(default)s).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only say how many registrations would be purged.",
        )

    def handle(self, *args, days, dry_run, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        ended_before = timezone.now() - dt.timedelta(days=days)
        count = registrations_purge(ended_before=ended_before, dry_run=dry_run)
        noun = f"registration{pluralize(count)}"
        if dry_run:
            self.stdout.write(f"Would purge {count} {noun} (dry run: nothing changed).")
        else:
            self.stdout.write(f"Purged {count} {noun}.")
