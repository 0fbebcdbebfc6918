"""`manage.py send_mail`: deliver the email queue, run from cron every minute.

It replaces django-mailer's command of the same name (this app comes first in
INSTALLED_APPS) so that a killed run never leaves a lock that stops all email:
see coproseries/mailqueue.py.
"""

from django.core.management.base import BaseCommand

from coproseries.mailqueue import send_queue


class Command(BaseCommand):
    help = "Do one pass through the email queue, sending every message that can be sent."

    def handle(self, *args, **options):
        send_queue()
