"""Read sent emails as a mail client does: the bytes on the wire, parsed by Python's email
package with its modern policy (the standard library's own RFC 5322 reader)."""

from email import policy
from email.parser import BytesParser


def wire_bytes(message):
    """What Django's SMTP backend writes to the server for an EmailMessage."""
    return message.message().as_bytes(linesep="\r\n")


def received(message):
    """The message as a client parses it (an email.message.EmailMessage)."""
    return BytesParser(policy=policy.default).parsebytes(wire_bytes(message))


def calendar_parts(message):
    """The text/calendar parts of a message, as parsed."""
    return [part for part in received(message).walk() if part.get_content_type() == "text/calendar"]


def attached_calendar(message):
    """(file name, iCalendar text) of a message's one calendar, decoded as a client would."""
    [part] = calendar_parts(message)
    return part.get_filename(), part.get_content()
