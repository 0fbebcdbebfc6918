"""`manage.py send_subscriber_notices`: tell subscribers about new seminars.

Run from cron every few minutes: each confirmed subscriber gets one email when a seminar is
published and one when its registration opens, however often this runs (each notice is
claimed once per seminar before its emails are queued). Subscriptions never confirmed are
deleted after `SUBSCRIPTION_CONFIRM_DAYS`.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.defaultfilters import pluralize
from django.utils import timezone

from seminars.subscriptions.services import (
    subscriber_notices_send,
    subscribers_purge_unconfirmed,
)


class Command(BaseCommand):
    help = (
        "Email confirmed subscribers about newly published seminars and newly opened "
        "registrations (each once), and delete subscriptions left unconfirmed for "
        "SUBSCRIPTION_CONFIRM_DAYS days."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        for seminar, kind, count in subscriber_notices_send(now=now):
            label = "New seminar" if kind == "published" else "Registration open"
            self.stdout.write(
                f"{label}: seminar {seminar.pk}, {count} subscriber{pluralize(count)} emailed."
            )
        deleted = subscribers_purge_unconfirmed(
            created_before=now - dt.timedelta(days=settings.SUBSCRIPTION_CONFIRM_DAYS)
        )
        self.stdout.write(f"Deleted {deleted} unconfirmed subscription{pluralize(deleted)}.")
