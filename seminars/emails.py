"""Every email the site sends goes through `email_send`, queued in the database by
django-mailer through Django's mail API. Message bodies never go to logs.

What each message carries, so that every mail client and filter reads it right:
- From: the series' name and address (`DJANGO_DEFAULT_FROM_NAME`, else the series' title).
- Message-ID at the site's own domain (from `DJANGO_SITE_URL`), `Auto-Submitted:
  auto-generated` (RFC 3834: no auto-replies, no out-of-office loops).
- A Subject that folds without an empty first line, however long and whatever its letters.
- Bodies and attachments in quoted-printable UTF-8: 7-bit on the wire, so no server along
  the way needs 8BITMIME.
- Every body ends with the same signature: the series' name and the organisers' contact.
- Registrants' messages carry their private manage link and say how long their details are
  kept (seminars/about/retention.py); subscribers' messages a one-click unsubscribe link
  (RFC 8058 `List-Unsubscribe` headers).
- A calendar as `text/calendar; method=…` (RFC 6047) matching the file's METHOD.
"""

from dataclasses import dataclass
from email.charset import QP, Charset
from email.header import Header
from email.utils import formataddr, make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import SafeMIMEText
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from coproseries.text import one_line
from seminars import selectors
from seminars.calendar import organiser_address, seminar_ics
from seminars.identity import series_identity
from seminars.models import Series

# UTF-8 with quoted-printable bodies: Django's default sends UTF-8 text as raw 8-bit.
UTF8_QP = Charset("utf-8")
UTF8_QP.body_encoding = QP


@dataclass(frozen=True)
class CalendarFile:
    """An .ics attached to an email: its file name, bytes and iTIP method."""

    filename: str
    content: bytes
    method: str = "PUBLISH"


class SiteEmail(EmailMessage):
    """Django's EmailMessage with the headers and encodings described in this module."""

    encoding = UTF8_QP

    def message(self):
        msg = super().message()
        if not self.subject.isascii():
            # Django encodes a non-ASCII subject without knowing it follows "Subject: ", so
            # a long one starts with an empty line that parsers read as a leading space.
            header = Header(self.subject, "utf-8", header_name="Subject")
            msg.replace_header("Subject", header)
        return msg


def site_domain():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def sender(series=None):
    """`Name <address>` for From: the configured name, else the series' title."""
    name, address = "", organiser_address()
    if settings.DEFAULT_FROM_NAME:
        name = settings.DEFAULT_FROM_NAME
    else:
        series = series or Series.objects.order_by("pk").first()
        name = series.title if series else settings.SITE_NAME
    return formataddr((name, address))


def signed(text):
    """`text` with the signature after one blank line."""
    return f"{text.rstrip()}\n{email_signature()}"


def email_signature():
    """The lines that end every email: who sent it, and how to reach a person."""
    identity = series_identity()
    phone = f", or phone {identity.contact_phone}" if identity.contact_phone else ""
    return (
        f"\n-- \n{identity.name}\n"
        f"Questions? Reply to this email, or write to {identity.contact_email}{phone}.\n"
    )


def email_send(
    *,
    to,
    subject,
    template=None,
    context=None,
    body=None,
    series=None,
    calendar=None,
    headers=None,
    automatic=True,
):
    """Queue one plain-text email to the addresses in `to`.

    The body is `body`, or else `template` rendered with `context`, then the signature (the
    series' name and contact); `series` names the sender (looked up when not given); replies
    go to the organisers' contact address (Reply-To, from seminars/identity.py); `calendar`
    is a CalendarFile to attach; `headers` adds to the message's own. `automatic` marks it
    `Auto-Submitted: auto-generated` (RFC 3834); a message a person wrote is not. Returns the
    message queued.
    """
    message = SiteEmail(
        # A header holds one line, whatever a stored title holds.
        subject=one_line(subject),
        body=signed(body if body is not None else render_to_string(template, context)),
        from_email=sender(series),
        to=to,
        # Replies reach a person, whatever address the site sends from.
        reply_to=[series_identity().contact_email],
        headers={
            "Message-ID": make_msgid(domain=site_domain()),
            **({"Auto-Submitted": "auto-generated"} if automatic else {}),
            **(headers or {}),
        },
    )
    if calendar is not None:
        part = SafeMIMEText(calendar.content.decode(), "calendar", UTF8_QP)
        part.set_param("method", calendar.method)
        part.add_header("Content-Disposition", "attachment", filename=calendar.filename)
        message.attach(part)
    message.send()
    return message


# Registrants' emails

SUBJECTS = {
    "confirmation": "Your place at {seminar}",
    "waitlisted": "You are on the waiting list for {seminar}",
    "promoted": "A place has come up for you at {seminar}",
    "cancelled": "Your registration for {seminar} is cancelled",
    "already_registered": "Your registration for {seminar}",
    "reminder": "Reminder: {seminar} is coming up",
    "walk_in": "Welcome to {seminar}",
    # Written by an organiser (seminars/registrant_messages): their subject, as they wrote it.
    "organiser_message": "{subject}",
}

# Messages that confirm a place carry the seminar to add to a calendar; the registrant's
# own cancellation carries the same event cancelled, to take it out again.
WITH_CALENDAR = {
    "confirmation": "PUBLISH",
    "promoted": "PUBLISH",
    "reminder": "PUBLISH",
    "cancelled": "CANCEL",
}


def registration_calendar(registration, *, method):
    """The seminar's calendar for one registrant's email, with the programme.

    DTSTAMP is the moment of writing. A CANCEL keeps the seminar's SEQUENCE: a registrant
    leaving is not a revision of the event by its organiser (RFC 5546 §2.1.4), and at an
    equal SEQUENCE the later DTSTAMP wins (§2.1.5), so the cancel overrides the copy they
    hold, and a new confirmation after registering again overrides the cancel. Raising the
    SEQUENCE instead would make that new confirmation look older than the cancel.
    A REQUEST or CANCEL names the registrant as its ATTENDEE, as RFC 5546 asks; the
    organisers' changes (seminars/notices/) raise the SEQUENCE before sending theirs.
    """
    seminar = registration.seminar
    ics = seminar_ics(
        seminar,
        programme=selectors.seminar_programme_loaded(seminar),
        method=method,
        attendee=registration.email if method in {"REQUEST", "CANCEL"} else None,
        dtstamp=timezone.now(),
    )
    return CalendarFile(filename=f"{seminar.slug}.ics", content=ics, method=method)


def registration_email_render(*, registration, kind, context=None, manage_url=None):
    """The subject and body a registrant receives. `context` adds to the template's (an
    organiser's `subject` and `body`); `manage_url` stands in for the private link in a
    preview."""
    seminar = registration.seminar
    context = {
        "registration": registration,
        "seminar": seminar,
        "manage_url": manage_url or f"{settings.SITE_URL}{registration.get_absolute_url()}",
        "seminar_url": f"{settings.SITE_URL}{seminar.get_absolute_url()}",
        "show_online_link": selectors.registration_shows_online_link(registration),
        **(context or {}),
    }
    subject = SUBJECTS[kind].format(seminar=seminar.title, subject=context.get("subject", ""))
    return subject, render_to_string(f"seminars/email/{kind}.txt", context)


def registration_email_send(*, registration, kind, context=None):
    if not registration.email:
        return  # someone added at the door without an address: nowhere to send it
    seminar = registration.seminar
    subject, body = registration_email_render(registration=registration, kind=kind, context=context)
    method = WITH_CALENDAR.get(kind)
    email_send(
        to=[registration.email],
        subject=subject,
        body=body,
        series=seminar.series,
        calendar=registration_calendar(registration, method=method) if method else None,
        # An organiser wrote this one: a person's message, which may be answered.
        automatic=kind != "organiser_message",
    )


SUBSCRIBER_SUBJECTS = {
    "subscription_confirm": "Please confirm: emails about new seminars",
    "already_subscribed": "You already get emails about new seminars",
    "new_seminar": "New seminar: {seminar}",
    "registration_open": "Registration is open: {seminar}",
}


def subscriber_email_send(*, subscriber, kind, seminar=None, registration_open=False):
    """Email a subscriber. Every message but the confirmation request is list mail, with the
    `List-Unsubscribe` headers of RFC 8058 so that mail clients offer one-click unsubscribe."""
    unsubscribe_url = f"{settings.SITE_URL}{subscriber.get_unsubscribe_url()}"
    context = {
        "seminar": seminar,
        "seminar_url": seminar and f"{settings.SITE_URL}{seminar.get_absolute_url()}",
        "register_url": seminar
        and settings.SITE_URL
        + reverse("seminars:registration_create", kwargs={"slug": seminar.slug}),
        "registration_open": registration_open,
        "confirm_url": f"{settings.SITE_URL}{subscriber.get_confirm_url()}",
        "unsubscribe_url": unsubscribe_url,
        "confirm_days": settings.SUBSCRIPTION_CONFIRM_DAYS,
        "site_url": settings.SITE_URL,
    }
    headers = {}
    if kind != "subscription_confirm":
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    email_send(
        to=[subscriber.email],
        subject=SUBSCRIBER_SUBJECTS[kind].format(seminar=seminar.title if seminar else ""),
        template=f"seminars/email/{kind}.txt",
        context=context,
        series=seminar.series if seminar else None,
        headers=headers,
    )
