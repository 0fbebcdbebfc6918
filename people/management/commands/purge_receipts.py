"""`manage.py purge_receipts`: delete contributors' receipts once they have been kept long
enough after their claim was paid (RECEIPT_RETENTION_DAYS). Run it daily (cron or the
systemd timer in deploy/). What was claimed stays, for the accounts."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize
from django.utils import timezone

from people.payments.services import receipts_purge


class Command(BaseCommand):
    help = "Delete the receipts of expense claims paid more than a number of days ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.RECEIPT_RETENTION_DAYS,
            help="Delete receipts of claims paid more than this many days ago "
            "(default: RECEIPT_RETENTION_DAYS, %(default)s).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many would be deleted."
        )

    def handle(self, *args, days, dry_run, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        paid_before = timezone.localdate() - dt.timedelta(days=days)
        count = receipts_purge(paid_before=paid_before, dry_run=dry_run)
        noun = f"receipt{pluralize(count)}"
        if dry_run:
            self.stdout.write(f"Would delete {count} {noun} (dry run: nothing changed).")
        else:
            self.stdout.write(f"Deleted {count} {noun}.")
