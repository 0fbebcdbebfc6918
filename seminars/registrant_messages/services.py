"""Organisers email a seminar's registrants: who receives a message, and sending it."""

from django.core.exceptions import ValidationError
from django.db import transaction

from seminars.emails import registration_email_send
from seminars.models import Registration, Seminar
from seminars.registrant_messages.models import RegistrantMessage

Audience = RegistrantMessage.Audience
SUBJECT_MAX_LENGTH = RegistrantMessage._meta.get_field("subject").max_length

_AUDIENCE_FILTERS = {
    Audience.ALL: {"status__in": [Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]},
    Audience.CONFIRMED: {"status": Registration.Status.CONFIRMED},
    Audience.WAITING: {"status": Registration.Status.WAITLISTED},
    Audience.IN_PERSON: {
        "status": Registration.Status.CONFIRMED,
        "attendance": Registration.Attendance.IN_PERSON,
    },
    Audience.ONLINE: {
        "status": Registration.Status.CONFIRMED,
        "attendance": Registration.Attendance.ONLINE,
    },
}


def registrant_message_recipients(*, seminar, audience):
    """The registrations a message to `audience` goes to, in the order they registered.
    Erased registrations have no address left, so they never count."""
    return (
        seminar.registrations.filter(
            purged_at__isnull=True, **_AUDIENCE_FILTERS[Audience(audience)]
        )
        .exclude(email="")  # added at the door without an address
        .order_by("created_at", "pk")
    )


def registrant_message_audience_counts(*, seminar):
    """How many people each audience would reach, for the organiser choosing one."""
    return {
        audience: registrant_message_recipients(seminar=seminar, audience=audience).count()
        for audience in Audience
    }


def registrant_message_validate(*, seminar, subject, body, audience):
    """The organiser's message as it would be sent, or a ValidationError saying what to fix."""
    errors = {}
    subject = subject.strip()
    # Browsers post a textarea's lines ending in CRLF; the email's own lines end in LF.
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if not subject:
        errors["subject"] = "Please write a subject."
    elif "\n" in subject or "\r" in subject:
        errors["subject"] = "Please write the subject on one line."
    elif len(subject) > SUBJECT_MAX_LENGTH:
        errors["subject"] = f"Please keep the subject to {SUBJECT_MAX_LENGTH} characters."
    if not body.strip():
        errors["body"] = "Please write the message."
    if audience not in Audience.values:
        errors["audience"] = "Please choose who receives the message."
    elif not registrant_message_recipients(seminar=seminar, audience=audience).exists():
        errors["audience"] = (
            f"Nobody is in “{Audience(audience).label}” for this seminar. "
            "Please choose other recipients."
        )
    if errors:
        raise ValidationError(errors)
    return subject, body.strip("\n").rstrip()


class RegistrantMessageAlreadySent(Exception):
    """The same "Send" was made before (a double click, a resubmitted page): nothing sent."""


@transaction.atomic
def registrant_message_send(*, seminar, sender, subject, body, audience, send_id=None):
    """Queue the message to every registrant in `audience`, each with their private link,
    and record it (who sent what, when, to how many; no addresses).

    The seminar's row is locked, as registrations and cancellations lock it, so the
    recipients are the registrants at one moment and the count recorded is the count sent.
    Raises ValidationError for an empty body, a subject with a line break or nobody to email,
    and RegistrantMessageAlreadySent when a message with the same `send_id` went before.
    """
    seminar = Seminar.objects.select_for_update(of=("self",)).get(pk=seminar.pk)
    # Under the seminar's lock, a second click waits for the first to commit, then sees it.
    if send_id is not None and RegistrantMessage.objects.filter(send_id=send_id).exists():
        raise RegistrantMessageAlreadySent
    subject, body = registrant_message_validate(
        seminar=seminar, subject=subject, body=body, audience=audience
    )
    recipients = list(
        registrant_message_recipients(seminar=seminar, audience=audience).select_related(
            "seminar", "seminar__venue"
        )
    )
    message = RegistrantMessage.objects.create(
        seminar=seminar,
        sender=sender,
        subject=subject,
        body=body,
        audience=audience,
        recipient_count=len(recipients),
        send_id=send_id,
    )
    for registration in recipients:
        registration_email_send(
            registration=registration,
            kind="organiser_message",
            context={"subject": subject, "body": body},
        )
    return message
