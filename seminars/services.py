"""Functions that write: each one a unit of work with keyword-only arguments."""

from django.db import transaction
from django.utils import timezone

from seminars import selectors
from seminars.emails import registration_email_send
from seminars.models import (
    Registration,
    Seminar,
    Talk,
    TalkSpeaker,
    Workshop,
    WorkshopFacilitator,
)


@transaction.atomic
def programme_item_set_people(*, item, people):
    """Make `people` the speakers of a talk or facilitators of a workshop, in that order."""
    if isinstance(item, Talk):
        link_model, item_field = TalkSpeaker, "talk"
    elif isinstance(item, Workshop):
        link_model, item_field = WorkshopFacilitator, "workshop"
    else:
        raise TypeError(f"Expected a Talk or a Workshop, not {type(item).__name__}.")
    link_model.objects.filter(**{item_field: item}).delete()
    link_model.objects.bulk_create(
        link_model(**{item_field: item}, person=person, position=position)
        for position, person in enumerate(people)
    )


class RegistrationRefused(Exception):
    """Registration is not possible now; the message is for the person registering."""

    def __init__(self, availability):
        super().__init__(availability.message)
        self.availability = availability


def _locked_seminar(seminar_id):
    # The seminar row is the lock that serialises every change to its places (PostgreSQL);
    # SQLite gets the same effect from IMMEDIATE transactions (see settings).
    return Seminar.objects.select_for_update().select_related("venue").get(pk=seminar_id)


def _confirmed_count(seminar):
    return seminar.registrations.filter(status=Registration.Status.CONFIRMED).count()


@transaction.atomic
def registration_create(
    *,
    seminar,
    name,
    email,
    organisation="",
    role=None,
    access_requirements="",
    dietary_requirements="",
    attendance=Registration.Attendance.IN_PERSON,
):
    """Register someone: a place if one is free, else the waiting list, else refuse.

    Registering again with an active registration's email re-sends its manage link and
    changes nothing, so the caller cannot tell the two apart (no probing who registered).
    Returns the registration (new or existing).
    """
    seminar = _locked_seminar(seminar.pk)
    email = email.strip().lower()
    existing = (
        seminar.registrations.filter(email=email, purged_at__isnull=True)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    if existing is not None:
        registration_email_send(registration=existing, kind="already_registered")
        return existing

    confirmed = _confirmed_count(seminar)
    availability = selectors.registration_availability(seminar, confirmed_count=confirmed)
    if not availability.can_register:
        raise RegistrationRefused(availability)
    status = (
        Registration.Status.WAITLISTED
        if availability.joins_waitlist
        else Registration.Status.CONFIRMED
    )
    registration = Registration.objects.create(
        seminar=seminar,
        name=name.strip(),
        email=email,
        organisation=organisation.strip(),
        role=role,
        access_requirements=access_requirements.strip(),
        dietary_requirements=dietary_requirements.strip(),
        attendance=attendance,
        status=status,
    )
    kind = "confirmation" if status == Registration.Status.CONFIRMED else "waitlisted"
    registration_email_send(registration=registration, kind=kind)
    return registration


def _promote_waiting(seminar):
    """Fill free places from the waiting list, first come first served."""
    waiting = seminar.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "created_at", "pk"
    )
    if seminar.capacity is not None:
        waiting = waiting[: max(seminar.capacity - _confirmed_count(seminar), 0)]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status"])
        registration_email_send(registration=registration, kind="promoted")
    return promoted


@transaction.atomic
def registration_cancel(*, registration, notify=True):
    """Cancel a registration; a freed place goes to the first person waiting.

    Returns the registrations promoted from the waiting list. Cancelling twice is harmless.
    """
    seminar = _locked_seminar(registration.seminar_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return []
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if notify:
        registration_email_send(registration=registration, kind="cancelled")
    if seminar.ends_at < timezone.now():
        return []
    return _promote_waiting(seminar)


@transaction.atomic
def registration_confirm(*, registration):
    """An organiser gives someone a place by hand, even beyond capacity."""
    _locked_seminar(registration.seminar_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CONFIRMED:
        return registration
    was_waiting = registration.status == Registration.Status.WAITLISTED
    registration.status = Registration.Status.CONFIRMED
    registration.cancelled_at = None
    registration.save(update_fields=["status", "cancelled_at"])
    registration_email_send(
        registration=registration, kind="promoted" if was_waiting else "confirmation"
    )
    return registration
