"""Changes registrants must hear of, and programme changes shown on the pages.

A seminar cancelled (or going ahead again after all), or moved to another date, start or
end time or venue, is recorded as a SeminarChange and, unless the organiser chooses not
to, emailed to everyone holding a place or waiting for one. The seminar's calendar
revision (SEQUENCE) goes up with every recorded change, so calendar apps take the new
version over the one they imported.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import dateformat, timezone

from seminars.calendar import LONDON
from seminars.models import Registration, Seminar
from seminars.notices.models import SeminarChange

NOTE_MAX_LENGTH = SeminarChange._meta.get_field("note").max_length
# Statuses registrants can see: a draft was never public, so nobody can have registered.
PUBLIC = {Seminar.Status.PUBLISHED, Seminar.Status.CANCELLED}


@dataclass(frozen=True)
class SeminarState:
    """What registrants are told about when it changes: status, times and venue."""

    status: str
    starts_at: object
    ends_at: object
    venue_id: int | None
    venue: str

    @classmethod
    def of(cls, seminar):
        venue = seminar.venue
        return cls(
            status=seminar.status,
            starts_at=seminar.starts_at,
            ends_at=seminar.ends_at,
            venue_id=venue.pk if venue else None,
            venue=venue_label(venue),
        )


@dataclass(frozen=True)
class ChangeLine:
    label: str
    was: str
    now: str

    def __str__(self):
        return f"{self.label}: was {self.was}, now {self.now}"


@dataclass(frozen=True)
class Change:
    kind: str
    lines: tuple

    @property
    def summary(self):
        return "\n".join(str(line) for line in self.lines)


def venue_label(venue):
    if venue is None:
        return "online only"
    parts = [venue.name, venue.city, venue.postcode]
    return ", ".join(part.strip() for part in parts if part and part.strip())


def _day(moment):
    return dateformat.format(moment, "l j F Y")


def _time(moment):
    return dateformat.format(moment, "H:i")


def _day_and_time(moment):
    return dateformat.format(moment, r"l j F Y \a\t H:i")


def _when_lines(previous, current):
    """Date, start and end in London time, to the minute, as they are shown: only the
    parts that differ."""
    was_start, now_start = (
        timezone.localtime(m, LONDON) for m in (previous.starts_at, current.starts_at)
    )
    was_end, now_end = (timezone.localtime(m, LONDON) for m in (previous.ends_at, current.ends_at))
    lines = []
    if was_start.date() != now_start.date():
        lines.append(ChangeLine("Date", _day(was_start), _day(now_start)))
    if _time(was_start) != _time(now_start):
        lines.append(
            ChangeLine(
                "Start time", f"{_time(was_start)} (UK time)", f"{_time(now_start)} (UK time)"
            )
        )
    ends_same_day = was_end.date() == was_start.date() and now_end.date() == now_start.date()
    if ends_same_day and _time(was_end) != _time(now_end):
        lines.append(
            ChangeLine("End time", f"{_time(was_end)} (UK time)", f"{_time(now_end)} (UK time)")
        )
    elif not ends_same_day and _day_and_time(was_end) != _day_and_time(now_end):
        lines.append(
            ChangeLine(
                "Ends", f"{_day_and_time(was_end)} (UK time)", f"{_day_and_time(now_end)} (UK time)"
            )
        )
    return lines


def seminar_change_describe(*, previous, current):
    """What registrants need to hear about between two SeminarStates, or None."""
    if previous.status not in PUBLIC or current.status not in PUBLIC:
        return None
    if previous.status == current.status == Seminar.Status.CANCELLED:
        # Re-dating a cancelled seminar is news only once it goes ahead again: that email
        # then gives the date as it is.
        return None
    lines = []
    kind = SeminarChange.Kind.CHANGED
    if current.status != previous.status:
        if current.status == Seminar.Status.CANCELLED:
            kind = SeminarChange.Kind.CANCELLED
            lines.append(ChangeLine("Status", "going ahead", "cancelled"))
        else:
            kind = SeminarChange.Kind.REINSTATED
            lines.append(ChangeLine("Status", "cancelled", "going ahead"))
    lines += _when_lines(previous, current)
    if previous.venue_id != current.venue_id:
        lines.append(ChangeLine("Venue", previous.venue, current.venue))
    if not lines:
        return None
    return Change(kind=kind, lines=tuple(lines))


def notice_recipients(seminar):
    """Everyone holding a place or waiting for one, whose details are still held."""
    return (
        Registration.objects.filter(seminar=seminar, purged_at__isnull=True)
        .exclude(status=Registration.Status.CANCELLED)
        .exclude(email="")  # added at the door without an address
        .order_by("created_at", "pk")
    )


@transaction.atomic
def seminar_change_notify(*, seminar, previous, note="", notify=True, changed_by):
    """Record a saved change to `seminar` since `previous` (a SeminarState) and email it.

    Call it after saving the seminar (and its programme), inside the same transaction:
    the emails are queued in the database (django-mailer), so they exist only if the
    change is committed. `notify=False` records the change, shown on registrants' pages,
    without emailing anyone. Raises the seminar's calendar revision; a new start time
    makes reminders due again (`send_reminders`). Returns the
    SeminarChange, or None when nothing registrants are told about has changed.
    """
    from seminars.notices.emails import seminar_change_email_send

    seminar = (
        Seminar.objects.select_for_update(of=("self",))
        .select_related("series", "venue")
        .get(pk=seminar.pk)
    )
    change = seminar_change_describe(previous=previous, current=SeminarState.of(seminar))
    if change is None:
        return None
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValueError(f"The note is longer than {NOTE_MAX_LENGTH} characters.")
    seminar.sequence += 1
    seminar.save(update_fields=["sequence", "updated_at"])
    if change.kind != SeminarChange.Kind.CANCELLED and previous.starts_at != seminar.starts_at:
        # A reminder sent for the old date says nothing about the new one: send another.
        Registration.objects.filter(seminar=seminar, reminder_sent_at__isnull=False).update(
            reminder_sent_at=None
        )
    recipients = list(notice_recipients(seminar)) if notify else []
    record = SeminarChange.objects.create(
        seminar=seminar,
        kind=change.kind,
        summary=change.summary,
        note=note,
        emailed=notify,
        notified_count=len(recipients),
        sequence=seminar.sequence,
        changed_by=changed_by,
    )
    for registration in recipients:
        registration.seminar = seminar
        seminar_change_email_send(registration=registration, change=record, lines=change.lines)
    return record


def seminar_programme_touch(*, seminar, now=None):
    """Note that the programme of a published seminar changed, for its pages to say so.

    Nobody is emailed: a talk moved or dropped is shown, not sent. Changes while the
    seminar is a draft are its planning, not news.
    """
    now = now or timezone.now()
    return Seminar.objects.filter(pk=seminar.pk, status=Seminar.Status.PUBLISHED).update(
        programme_updated_at=now, updated_at=now
    )
