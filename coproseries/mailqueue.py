"""Delivering the email queue (django-mailer's) so that a killed run never stops the mail.

django-mailer's own lock is a file that a killed `send_mail` leaves behind, after which
every later run quits silently. Instead:

- On PostgreSQL, django-mailer's row locks alone (settings: MAILER_USE_FILE_LOCK = False):
  each message is sent inside a transaction that locks its row, skipped by any other runner
  on any host, and released by the database when a runner dies.
- On SQLite (one host), a lock the kernel holds for the process (`flock`), which dies with
  it, so no lock outlives its runner. Each message is sent outside any transaction: SQLite
  has no row locks, and django-mailer's transaction around the SMTP conversation would hold
  the whole database's write lock (IMMEDIATE transactions, see settings) while a slow mail
  server answers, making registrations wait and fail. Only the bookkeeping after each
  message (log it, delete it) takes the write lock, briefly.

Either way a message leaves the queue only once the mail server has accepted it, so a run
killed mid-queue leaves the rest for the next run. Nothing here logs an address or a subject.
"""

import contextlib
import fcntl
import logging
from pathlib import Path

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from mailer import engine
from mailer.models import RESULT_SUCCESS, MessageLog

logger = logging.getLogger(__name__)


def send_queue():
    """One pass through the queue: send what can be sent, defer what the server refuses."""
    if connection.features.has_select_for_update:
        engine.send_all()
        return
    with _sqlite_sender_lock() as acquired:
        if not acquired:
            logger.info("Another send_mail is running on this database; leaving it the queue.")
            return
        _send_all_outside_transactions()


@contextlib.contextmanager
def _sqlite_sender_lock():
    path = Path(f"{connection.settings_dict['NAME']}.send_mail.lock")
    with path.open("a") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _send_all_outside_transactions():
    """django-mailer's `send_all`, with the SMTP conversation outside the transaction."""
    mail_connection = None
    counts = {"sent": 0, "deferred": 0}
    for message in list(engine.prioritize()):
        try:
            if mail_connection is None:
                mail_connection = get_connection(backend=settings.MAILER_EMAIL_BACKEND)
            email = message.email
            if email is None:  # unreadable from the database: django-mailer drops it too
                logger.warning("Discarded a queued message that could not be read.")
                message.delete()
                continue
            email.connection = mail_connection
            engine.ensure_message_id(email)
            email.send()
            email.connection = None
            message.email = email
            with transaction.atomic():
                MessageLog.objects.log(message, RESULT_SUCCESS)
                message.delete()
            counts["sent"] += 1
        except Exception as error:  # noqa: BLE001 (django-mailer's handler decides)
            with transaction.atomic():
                mail_connection, action = engine.handle_delivery_exception(
                    mail_connection, message, error
                )
            counts[action] += 1
    logger.info("Sent %(sent)s queued messages, deferred %(deferred)s.", counts)
