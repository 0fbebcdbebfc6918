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
    registration_token_fields,
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
    return (
        Seminar.objects.select_for_update(of=("self",)).select_related("venue").get(pk=seminar_id)
    )


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


@transaction.atomic
def registration_remind(*, registration, now):
    """Queue the reminder for a confirmed registration, at most once.

    Claiming the row with a conditional UPDATE before queueing makes a second run, or a second
    host running at the same moment, find nothing left to claim. The email is queued in the
    same transaction (django-mailer), so a failure to queue releases the claim.
    Returns whether a reminder was queued.
    """
    claimed = Registration.objects.filter(
        pk=registration.pk,
        reminder_sent_at__isnull=True,
        status=Registration.Status.CONFIRMED,
        purged_at__isnull=True,
    ).update(reminder_sent_at=now)
    if not claimed:
        return False
    registration.reminder_sent_at = now
    registration_email_send(registration=registration, kind="reminder")
    return True


PURGE_BATCH_SIZE = 500


@transaction.atomic
def registration_erase(*, registration):
    """The registrant asks for their details to be deleted: cancel (passing the place on),
    then erase every personal detail now, as the purge after the seminar would.

    The row stays, anonymous, so that the seminar's counts stay true; its token is replaced,
    so the old private link stops working.
    """
    if registration.is_active:
        registration_cancel(registration=registration, notify=False)
    Registration.objects.filter(pk=registration.pk).update(
        name="",
        email="",
        organisation="",
        role=None,
        access_requirements="",
        dietary_requirements="",
        purged_at=timezone.now(),
        **registration_token_fields(),
    )


def registrations_purge(*, ended_before, dry_run=False):
    """Erase the personal details of registrations for seminars that ended before a moment.

    Status, attendance and dates stay, so anonymous counts survive. Each token is replaced
    so the old manage link stops working. A dry run does the very same work in a
    transaction that it then rolls back, so it counts what a real run would purge and fails
    where a real run would fail. Returns how many registrations were (or would be) purged.
    """
    if not dry_run:
        return _purge_in_batches(ended_before)
    with transaction.atomic():
        count = _purge_in_batches(ended_before)
        transaction.set_rollback(True)
    return count


def _purge_in_batches(ended_before):
    """One short transaction per batch: the rows are locked only while they are erased, and
    a crash keeps what was already done. A concurrent run waits on the locked rows, then
    skips them, since they are purged by then (PostgreSQL re-reads a locked row's WHERE)."""
    due = Registration.objects.filter(seminar__ends_at__lt=ended_before, purged_at__isnull=True)
    now, purged = timezone.now(), 0
    while True:
        with transaction.atomic():
            batch = list(
                due.select_for_update(of=("self",))
                .order_by("pk")
                .values_list("pk", flat=True)[:PURGE_BATCH_SIZE]
            )
            if not batch:
                return purged
            Registration.objects.filter(pk__in=batch).update(
                name="",
                email="",
                organisation="",
                role=None,
                access_requirements="",
                dietary_requirements="",
                purged_at=now,
            )
            # Tokens are unique, so each row needs its own: one CASE update per batch.
            Registration.objects.bulk_update(
                [Registration(pk=pk, **registration_token_fields()) for pk in batch],
                ["token", "token_digest"],
            )
        purged += len(batch)
