"""`manage.py restore PATH [--noinput]`: replace the whole database with a backup."""

from django.core.management.base import BaseCommand, CommandError

from coproseries.backups import BackupError, database_restore


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, path, interactive=True, **options):
        if interactive:
            answer = input(
                f"This replaces everything in the database with {path}. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        try:
            database_restore(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the database from {path}.")
