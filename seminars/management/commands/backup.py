"""`manage.py backup [--output PATH]`: the whole database in one file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coproseries.backups import BackupError, backup_file_suffix, database_backup


class Command(BaseCommand):
    help = "Back up the whole database to one file (pg_dump on PostgreSQL, a copy on SQLite)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Where to write the backup (default: backups/coproseries-<UTC time>.dump "
            "on PostgreSQL, .sqlite3 on SQLite).",
        )

    def handle(self, *args, output=None, **options):
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        path = output or f"backups/coproseries-{stamp}{backup_file_suffix()}"
        try:
            written = database_backup(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up the database to {written}.")
