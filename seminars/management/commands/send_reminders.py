"""`manage.py send_reminders`: one reminder to each confirmed registrant, shortly before.

Run from cron as often as you like: each registration is claimed before its email is queued,
so repeated or simultaneous runs never send a second reminder.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize
from django.utils import timezone

from seminars.models import Registration, Seminar
from seminars.services import registration_remind


class Command(BaseCommand):
    help = (
        "Queue a reminder for each confirmed registrant of a published seminar that starts "
        "within the next few days. Each registrant gets one reminder, however often this runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.REMINDER_DAYS_BEFORE,
            help="Remind about seminars starting within this many days "
            "(default: REMINDER_DAYS_BEFORE, %(default)s).",
        )

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        now = timezone.now()
        due = (
            Registration.objects.filter(
                status=Registration.Status.CONFIRMED,
                reminder_sent_at__isnull=True,
                purged_at__isnull=True,
                attended_at__isnull=True,  # already there: added at the door, say
                seminar__status=Seminar.Status.PUBLISHED,
                seminar__starts_at__gt=now,
                seminar__starts_at__lte=now + dt.timedelta(days=days),
            )
            .select_related("seminar", "seminar__venue")
            .order_by("seminar__starts_at", "pk")
        )
        queued = sum(
            registration_remind(registration=registration, now=now) for registration in list(due)
        )
        self.stdout.write(f"Queued {queued} reminder{pluralize(queued)}.")
