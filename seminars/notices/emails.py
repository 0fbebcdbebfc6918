"""The email telling one registrant what changed, sent the way every email is sent."""

from django.conf import settings

from seminars import selectors
from seminars.emails import email_send, registration_calendar
from seminars.models import Registration
from seminars.notices.models import SeminarChange

_NEW = {"Date": "date", "Start time": "time", "End time": "time", "Ends": "time", "Venue": "venue"}


def seminar_change_subject(*, seminar, change, lines):
    if change.kind == SeminarChange.Kind.CANCELLED:
        return f"Cancelled: {seminar.title}"
    if change.kind == SeminarChange.Kind.REINSTATED:
        return f"Going ahead after all: {seminar.title}"
    new = list(dict.fromkeys(_NEW[line.label] for line in lines if line.label in _NEW))
    what = " and ".join([", ".join(new[:-1]), new[-1]] if len(new) > 1 else new)
    return f"New {what} for {seminar.title}"


def seminar_change_email_send(*, registration, change, lines):
    """Queue the notice of `change` (a SeminarChange; `lines` its ChangeLines) to one
    registrant, with their private link.

    People with a place get the seminar's calendar: METHOD:CANCEL for a cancellation,
    else METHOD:REQUEST, at the raised SEQUENCE, so their calendar app removes or updates
    the entry their confirmation added. People waiting never had an entry, so get none.
    """
    seminar = registration.seminar
    has_place = registration.status == Registration.Status.CONFIRMED
    method = "CANCEL" if change.kind == SeminarChange.Kind.CANCELLED else "REQUEST"
    email_send(
        to=[registration.email],
        subject=seminar_change_subject(seminar=seminar, change=change, lines=lines),
        template="seminars/email/seminar_changed.txt",
        context={
            "registration": registration,
            "seminar": seminar,
            "change": change,
            "lines": [line for line in lines if line.label != "Status"],
            "has_place": has_place,
            "manage_url": f"{settings.SITE_URL}{registration.get_absolute_url()}",
            "seminar_url": f"{settings.SITE_URL}{seminar.get_absolute_url()}",
            "show_online_link": selectors.registration_shows_online_link(registration),
        },
        series=seminar.series,
        calendar=registration_calendar(registration, method=method) if has_place else None,
    )
