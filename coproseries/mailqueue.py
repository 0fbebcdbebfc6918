"""The email queue (django-mailer's): delivering it so that a killed run never stops the
mail, and erasing what it keeps of someone.

Delivery. django-mailer's own lock is a file that a killed `send_mail` leaves behind, after
which every later run quits silently. Instead:

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

Erasure. Every email is queued in the database (`mailer.Message`) and each attempt to send it
is logged (`mailer.MessageLog`). A queued message, and a log entry from before the log
stopped keeping copies (`MAILER_EMAIL_LOG_MESSAGE_DATA`), hold the whole email: the address,
the person's name in its greeting and their private link. A failed attempt's log message
quotes the address the server refused. Erasing someone's details erases these too. Messages
are stored pickled (base64), so they are read and matched here, not in SQL; the queue is
drained every minute and the log is trimmed by `purge_mail_log`, so both stay small.
"""

import contextlib
import fcntl
import logging
from email.utils import getaddresses
from pathlib import Path

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from mailer import engine
from mailer.models import RESULT_SUCCESS, DontSendEntry, Message, MessageLog, db_to_email

from people.email_identity import canonical_email

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


def _normalised(addresses):
    return {canonical_email(address) for address in addresses if address and address.strip()}


def _matches(message_data, *, addresses, mentioned):
    email = db_to_email(message_data) if message_data else None
    if email is None:
        return False
    recipients = [*email.to, *email.cc, *email.bcc, *email.reply_to]
    if _normalised(address for _name, address in getaddresses(recipients)) & addresses:
        return True
    return mentioned is not None and mentioned(f"{email.subject}\n{email.body}")


def queued_mail_erase(*, addresses=(), mentioned=None):
    """Delete every queued message and mail-log entry sent to any of `addresses`, or whose
    subject or body `mentioned(text)` recognises (by a private link, say), and drop the
    addresses from the don't-send list. Returns how many rows were deleted."""
    addresses = _normalised(addresses)
    if not addresses and mentioned is None:
        return 0
    messages = [
        pk
        for pk, data in Message.objects.values_list("pk", "message_data").iterator()
        if _matches(data, addresses=addresses, mentioned=mentioned)
    ]
    logs = [
        pk
        for pk, data, log_message in MessageLog.objects.exclude(message_data=None, log_message="")
        .values_list("pk", "message_data", "log_message")
        .iterator()
        if _matches(data, addresses=addresses, mentioned=mentioned)
        or any(address in canonical_email(log_message) for address in addresses)
    ]
    unlisted = [
        pk
        for pk, address in DontSendEntry.objects.values_list("pk", "to_address").iterator()
        if _normalised([address]) & addresses
    ]
    deleted = 0
    for model, pks in [(Message, messages), (MessageLog, logs), (DontSendEntry, unlisted)]:
        deleted += model.objects.filter(pk__in=pks).delete()[0] if pks else 0
    return deleted
