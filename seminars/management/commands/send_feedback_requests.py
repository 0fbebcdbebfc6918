"""`manage.py send_feedback_requests`: after a seminar, one email to each attendee with the
link to the feedback form.

Run from cron as often as you like: each registration is claimed before its email is queued,
so repeated or simultaneous runs never ask anyone twice.
"""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize
from django.utils import timezone

from seminars.feedback.services import (
    FEEDBACK_REQUEST_DAYS,
    feedback_request_send,
    feedback_requests_due,
)


class Command(BaseCommand):
    help = (
        "Queue the feedback form's link for each confirmed registrant of a published seminar "
        "that has ended. Each registrant is asked once, however often this runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=FEEDBACK_REQUEST_DAYS,
            help="Ask about seminars that ended within this many days (default %(default)s).",
        )

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        now = timezone.now()
        due = list(feedback_requests_due(days=days))
        queued = sum(
            feedback_request_send(registration=registration, now=now) for registration in due
        )
        self.stdout.write(f"Queued {queued} feedback request{pluralize(queued)}.")
