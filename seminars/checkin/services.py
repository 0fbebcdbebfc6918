"""Check-in at the door: who has arrived, and people who come without registering."""

from django.db import transaction
from django.utils import timezone

from people.email_identity import canonical_email
from seminars.checkin.selectors import checkable_registrations
from seminars.emails import registration_email_send
from seminars.models import Registration
from seminars.services import _locked_seminar, _places_taken


class WalkInRefused(Exception):
    """A walk-in cannot be added; the message says why, for the organiser at the door, and
    `field` names the form field it is about (None: the whole form)."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field

    @property
    def full(self):
        """The room is full: an organiser may add them anyway."""
        return self.field == "beyond_capacity"


def registration_arrive(*, seminar, registration_id, now=None):
    """Mark a confirmed registration as arrived. Ticking twice (two phones at the door)
    keeps the first time. Returns the registration, or None when it is not one that can
    be ticked (another seminar's, cancelled, erased)."""
    now = now or timezone.now()
    checkable_registrations(seminar).filter(pk=registration_id, attended_at__isnull=True).update(
        attended_at=now
    )
    return checkable_registrations(seminar).filter(pk=registration_id).first()


def registration_arrival_undo(*, seminar, registration_id):
    """Take back a tick made by mistake. Returns the registration, or None as above."""
    checkable_registrations(seminar).filter(pk=registration_id).update(attended_at=None)
    return checkable_registrations(seminar).filter(pk=registration_id).first()


def registrations_mark_arrived(*, registrations, now=None):
    """Mark many as arrived at once (the organisers' admin, after the day): confirmed ones
    whose details are still held, keeping any time already recorded. Returns how many."""
    return (
        registrations.filter(
            status=Registration.Status.CONFIRMED,
            purged_at__isnull=True,
            attended_at__isnull=True,
        )
        .order_by()
        .update(attended_at=now or timezone.now())
    )


def registrations_mark_not_arrived(*, registrations):
    """Take back arrivals recorded by mistake. Returns how many."""
    return (
        registrations.filter(purged_at__isnull=True, attended_at__isnull=False)
        .order_by()
        .update(attended_at=None)
    )


def in_person_places_left(seminar):
    """The room's places still free, counting confirmed in-person places (everyone's, when
    the seminar is not hybrid); None when the room has no limit."""
    capacity = seminar.capacity_for(Registration.Attendance.IN_PERSON)
    if capacity is None:
        return None
    return max(capacity - _places_taken(seminar, Registration.Attendance.IN_PERSON), 0)


@transaction.atomic
def walk_in_add(*, seminar, name, email="", organisation="", beyond_capacity=False):
    """Add someone who came without registering: a confirmed in-person place, arrived now.

    The place counts against the room's capacity, under the seminar's lock as every other
    place does; a full room refuses (WalkInRefused with `full`) unless the organiser chose
    to add them anyway (`beyond_capacity`). An address already registered for the seminar
    is refused, so that nobody holds two places. Someone who gives an address is emailed
    the private link to their registration (for a certificate, say); nobody else is.
    Returns the registration.
    """
    seminar = _locked_seminar(seminar.pk)
    if seminar.is_cancelled:
        raise WalkInRefused("This seminar is cancelled, so nobody can be added.")
    if seminar.venue_id is None:
        raise WalkInRefused("This seminar is online only: there is no room to add people to.")
    email = canonical_email(email or "")
    if email:
        existing = (
            seminar.registrations.filter(email=email, purged_at__isnull=True)
            .exclude(status=Registration.Status.CANCELLED)
            .first()
        )
        if existing is not None:
            raise WalkInRefused(
                f"This email address is already registered, as {existing.name} "
                f"({existing.get_status_display().lower()}). Find them in the list instead.",
                field="email",
            )
    places_left = in_person_places_left(seminar)
    if places_left == 0 and not beyond_capacity:
        raise WalkInRefused(
            "The room is full: every in-person place is taken. Tick “Add them even though "
            "the room is full” to add them anyway.",
            field="beyond_capacity",
        )
    now = timezone.now()
    registration = Registration.objects.create(
        seminar=seminar,
        name=name.strip(),
        email=email,
        organisation=organisation.strip(),
        attendance=Registration.Attendance.IN_PERSON,
        status=Registration.Status.CONFIRMED,
        is_walk_in=True,
        attended_at=now,
        created_at=now,
    )
    if email:
        registration_email_send(registration=registration, kind="walk_in")
    return registration
