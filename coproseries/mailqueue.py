"""Erasing what django-mailer keeps of someone's email: the queue, the log and the don't-send list.

Every email is queued in the database (`mailer.Message`) and each attempt to send it is
logged (`mailer.MessageLog`). A queued message, and a log entry from before the log stopped
keeping copies (`MAILER_EMAIL_LOG_MESSAGE_DATA`), hold the whole email: the address, the
person's name in its greeting and their private link. A failed attempt's log message quotes
the address the server refused. Erasing someone's details erases these too.

Messages are stored pickled (base64), so they are read and matched here, not in SQL; the
queue is drained every minute and the log is trimmed by `purge_mail_log`, so both stay small.
"""

from email.utils import getaddresses

from mailer.models import DontSendEntry, Message, MessageLog, db_to_email

from people.email_identity import canonical_email


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
