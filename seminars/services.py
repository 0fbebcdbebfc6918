"""Functions that write: each one a unit of work with keyword-only arguments."""

import re

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from coproseries.mailqueue import queued_mail_erase
from people.email_identity import canonical_email
from people.models import Person, User
from seminars import freshness, places, selectors
from seminars.access.services import (
    ACCESS_REQUEST_ERASED,
    access_needs_erase,
    access_request_status_for,
)
from seminars.emails import registration_email_send
from seminars.feedback.services import feedback_purge, feedback_response_erase
from seminars.models import (
    Registration,
    Seminar,
    Talk,
    TalkSpeaker,
    Workshop,
    WorkshopFacilitator,
    registration_token_fields,
)


def _people_links(item):
    """The through rows naming a talk's speakers or a workshop's facilitators."""
    if isinstance(item, Talk):
        return TalkSpeaker.objects.filter(talk=item)
    if isinstance(item, Workshop):
        return WorkshopFacilitator.objects.filter(workshop=item)
    raise TypeError(f"Expected a Talk or a Workshop, not {type(item).__name__}.")


@transaction.atomic
def programme_item_set_people(*, item, people):
    """Make `people` the speakers of a talk or facilitators of a workshop, in that order.

    People who stay keep their row, and with it what they asked (not to be recorded or
    photographed); only their position changes.
    """
    links = _people_links(item)
    wanted = [person.pk for person in people]
    links.exclude(person__in=wanted).delete()
    kept = {link.person_id: link for link in links}
    moved, added = [], []
    for position, person in enumerate(people):
        link = kept.get(person.pk)
        if link is None:
            added.append(links.model(**{links.model.item_field: item}, person=person))
            link = added[-1]
        elif link.position != position:
            moved.append(link)
        link.position = position
    links.model.objects.bulk_update(moved, ["position"])
    links.model.objects.bulk_create(added)
    freshness.refresh(item)  # bulk writes send no signals; removals did


@transaction.atomic
def programme_item_wishes_set(*, item, do_not_record, do_not_photograph):
    """An organiser records who on a talk or workshop asked not to be recorded or
    photographed: the people (by primary key) in each set ask it, the others do not."""
    links = _people_links(item)
    for field, asked in [
        ("do_not_record", do_not_record),
        ("do_not_photograph", do_not_photograph),
    ]:
        links.filter(person__in=asked).update(**{field: True})
        links.exclude(person__in=asked).update(**{field: False})
    freshness.refresh(item)  # "Not recorded" on the programme; updates send no signals


class RegistrationRefused(Exception):
    """Registration is not possible now; the message is for the person registering."""

    def __init__(self, availability):
        super().__init__(availability.message)
        self.availability = availability


def _locked_seminar(seminar_id):
    # The seminar row is the lock that serialises every change to its places (PostgreSQL);
    # SQLite gets the same effect from IMMEDIATE transactions (see settings).
    return (
        Seminar.objects.select_for_update(of=("self",))
        .select_related("series", "venue")
        .get(pk=seminar_id)
    )


def _places_taken(seminar, attendance=None):
    """Places taken by confirmed registrations, a companion's place in the room included:
    in one way of attending when the seminar is hybrid."""
    confirmed = seminar.registrations.filter(status=Registration.Status.CONFIRMED)
    if attendance is not None and seminar.is_hybrid:
        confirmed = confirmed.filter(attendance=attendance)
    companions = Q(with_companion=True, attendance=Registration.Attendance.IN_PERSON)
    return confirmed.aggregate(taken=Count("pk") + Count("pk", filter=companions))["taken"]


class WorkshopUnavailable(Exception):
    """The workshop chosen is full or cannot be chosen; the message is for the registrant."""


class RegistrationChangeRefused(Exception):
    """A registrant's change cannot be made; nothing changed. The message says why, about
    the form's `field` when it is about one."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field


def _check_workshop(seminar, workshop):
    """Refuse a workshop that is not one of the seminar's choices, or has no place left.
    Called under the seminar's lock, so the places counted cannot change meanwhile."""
    if workshop is None:
        return
    choices = {choice.pk: choice for choice in places.workshop_choices(seminar)}
    if workshop.pk not in choices:
        raise WorkshopUnavailable("That workshop cannot be chosen for this seminar.")
    if choices[workshop.pk].is_full:
        raise WorkshopUnavailable(
            f"The workshop “{workshop.title}” is full. Choose another, or none."
        )


def registration_create(
    *,
    seminar,
    name,
    email,
    pronouns="",
    organisation="",
    role=None,
    role_declined=False,
    access_requirements="",
    dietary_requirements="",
    do_not_photograph=False,
    attendance=Registration.Attendance.IN_PERSON,
    workshop=None,
    access_needs=(),
    with_companion=False,
):
    """Register someone: a place if one is free, else the waiting list, else refuse.

    A hybrid seminar counts places (and keeps a waiting list) for each way of attending.
    A workshop without a place left raises WorkshopUnavailable. A companion or personal
    assistant (in the room only) takes a second place: with only one left, the registration
    joins the waiting list, or is refused when there is none (see selectors._room_for).

    Registering again with an active registration's email re-sends its manage link and
    changes nothing, and otherwise answers exactly as for a new email: the registration when
    the seminar takes registrations, RegistrationRefused when it does not (full without a
    waiting list, say). So the caller cannot tell whether an email is registered.
    Returns the registration (new or existing).
    """
    # One transaction under the seminar's lock. A refusal is raised once it has committed, so
    # the link re-sent to someone already registered is not rolled back with it.
    with transaction.atomic():
        seminar = _locked_seminar(seminar.pk)
        email = canonical_email(email)
        registration = (
            seminar.registrations.filter(email=email, purged_at__isnull=True)
            .exclude(status=Registration.Status.CANCELLED)
            .first()
        )
        with_companion = bool(with_companion) and places.companion_allowed(seminar, attendance)
        availability = selectors.registration_availability(
            seminar,
            places_taken=_places_taken(seminar, attendance),
            attendance=attendance,
            places_needed=places.places_needed(
                attendance=attendance, with_companion=with_companion
            ),
        )
        if registration is not None:
            registration_email_send(registration=registration, kind="already_registered")
        elif availability.can_register:
            _check_workshop(seminar, workshop)
            status = (
                Registration.Status.WAITLISTED
                if availability.joins_waitlist
                else Registration.Status.CONFIRMED
            )
            registration = Registration.objects.create(
                seminar=seminar,
                name=name.strip(),
                email=email,
                pronouns=pronouns.strip(),
                organisation=organisation.strip(),
                role=role,
                role_declined=role_declined and role is None,
                access_requirements=access_requirements.strip(),
                dietary_requirements=dietary_requirements.strip(),
                do_not_photograph=do_not_photograph,
                attendance=attendance,
                workshop=workshop,
                status=status,
                with_companion=with_companion,
                access_request_status=access_request_status_for(
                    access_needs=access_needs, access_requirements=access_requirements
                ),
            )
            registration.access_needs.set(access_needs)
            kind = "confirmation" if status == Registration.Status.CONFIRMED else "waitlisted"
            registration_email_send(registration=registration, kind=kind)
    if not availability.can_register:
        raise RegistrationRefused(availability)
    return registration


def _promote_waiting(seminar, attendance):
    """Fill free places from the waiting list, first come first served: the waiting list of
    one way of attending, when the seminar is hybrid.

    Someone bringing a companion is offered two places together, once two are free. No
    place is left empty meanwhile: a single free place goes to the next person waiting who
    needs only one, and the person with a companion keeps their turn for the next two."""
    waiting = seminar.registrations.filter(status=Registration.Status.WAITLISTED)
    if seminar.is_hybrid:
        waiting = waiting.filter(attendance=attendance)
    waiting = waiting.order_by("created_at", "pk")
    capacity = seminar.capacity_for(attendance)
    if capacity is None:
        promoted = list(waiting)
    else:
        free, promoted = capacity - _places_taken(seminar, attendance), []
        for registration in waiting:
            if free <= 0:
                break
            needed = places.places_needed(
                attendance=registration.attendance, with_companion=registration.with_companion
            )
            if needed <= free:
                promoted.append(registration)
                free -= needed
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status"])
        registration_email_send(registration=registration, kind="promoted")
    return promoted


@transaction.atomic
def registration_cancel(*, registration, notify=True):
    """Cancel a registration; a freed place goes to the first person waiting, until the
    seminar's cut-off before its start (organisers can still offer places by hand).

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
    if not places.waitlist_offers_open(seminar):
        return []
    return _promote_waiting(seminar, registration.attendance)


@transaction.atomic
def seminar_waitlist_promote(*, seminar):
    """Offer every free place to the people waiting, in order, each way of attending in
    turn: what raising a capacity does at once. The organisers chose to add the places, so
    they are offered until the seminar starts, past the automatic cut-off.

    Returns the registrations promoted, each emailed.
    """
    seminar = _locked_seminar(seminar.pk)
    if seminar.is_cancelled or timezone.now() >= seminar.starts_at:
        return []
    promoted = []
    for attendance in places.attendance_modes(seminar):
        promoted += _promote_waiting(seminar, attendance)
    return promoted


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


UNCHANGED = object()


def _check_attendance_change(seminar, registration, attendance, needed):
    """Refuse a move to a way of attending without the `needed` places free, or whose free
    places are owed to the people already waiting for them."""
    label = places.ATTENDANCE_ADJECTIVES[attendance]
    capacity = seminar.capacity_for(attendance)
    full = capacity is not None and _places_taken(seminar, attendance) + needed > capacity
    waiting = seminar.registrations.filter(
        status=Registration.Status.WAITLISTED, attendance=attendance
    ).exists()
    if full or waiting:
        current = registration.get_attendance_display().lower()
        raise RegistrationChangeRefused(
            f"There are no {label} places free, so nothing has changed: you are still "
            f"registered to attend {current}.",
            field="attendance",
        )


def _check_companion_place(seminar):
    """Refuse a companion for someone who has a place, when the room has none left."""
    capacity = seminar.capacity_for(Registration.Attendance.IN_PERSON)
    if (
        capacity is not None
        and _places_taken(seminar, Registration.Attendance.IN_PERSON) >= capacity
    ):
        raise RegistrationChangeRefused(
            "There is no place free for a companion or personal assistant, so nothing has "
            "changed: you keep your own place. Contact the organisers if you need one.",
            field="with_companion",
        )


@transaction.atomic
def registration_details_update(
    *,
    registration,
    organisation,
    access_requirements,
    dietary_requirements,
    pronouns=UNCHANGED,
    do_not_photograph=None,
    attendance=None,
    workshop=UNCHANGED,
    access_needs=UNCHANGED,
    with_companion=UNCHANGED,
):
    """A registrant changes their own details through their private link.

    Attendance changes (hybrid seminars only) need a free place in the other way of
    attending: someone waiting who moves to a free place gets it, and a confirmed place
    left behind goes to the next person waiting there. A workshop needs a free place, and
    so does a companion for someone with a place. Any refusal raises, and nothing changes.
    Changed access needs are a new request for the organisers. Marks the registration as
    updated (for the organisers) when anything changed. Returns the registration.
    """
    seminar = _locked_seminar(registration.seminar_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_active or registration.purged_at is not None:
        raise RegistrationChangeRefused("This registration is cancelled, so it cannot change.")
    if seminar.ends_at < timezone.now():
        raise RegistrationChangeRefused("This seminar has already taken place.")
    if attendance is None or not seminar.is_hybrid:
        attendance = registration.attendance
    if workshop is UNCHANGED:
        workshop = registration.workshop
    if pronouns is UNCHANGED:
        pronouns = registration.pronouns
    if do_not_photograph is None:
        do_not_photograph = registration.do_not_photograph
    if with_companion is UNCHANGED:
        with_companion = registration.with_companion
    needs_before = set(registration.access_needs.values_list("pk", flat=True))
    needs = needs_before if access_needs is UNCHANGED else {need.pk for need in access_needs}
    new_values = {
        "pronouns": pronouns.strip(),
        "organisation": organisation.strip(),
        "access_requirements": access_requirements.strip(),
        "dietary_requirements": dietary_requirements.strip(),
        "do_not_photograph": do_not_photograph,
        "attendance": attendance,
        "workshop_id": workshop.pk if workshop else None,
        "with_companion": bool(with_companion) and places.companion_allowed(seminar, attendance),
    }
    changed = [name for name, value in new_values.items() if getattr(registration, name) != value]
    if needs != needs_before or "access_requirements" in changed:
        new_values["access_request_status"] = access_request_status_for(
            access_needs=needs, access_requirements=new_values["access_requirements"]
        )
        changed.append("access_request_status")
    if not changed:
        return registration
    left_behind = None
    gains_place = False
    confirmed = registration.status == Registration.Status.CONFIRMED
    if "attendance" in changed:
        needed = places.places_needed(
            attendance=attendance, with_companion=new_values["with_companion"]
        )
        _check_attendance_change(seminar, registration, attendance, needed)
        if confirmed:
            left_behind = registration.attendance
        else:
            gains_place = True
    elif "with_companion" in changed:
        if new_values["with_companion"] and confirmed:
            _check_companion_place(seminar)
        else:
            # A companion's place freed, or the places someone waiting needs changed: the
            # waiting list may move.
            left_behind = attendance
    if "workshop_id" in changed:
        _check_workshop(seminar, workshop)
    for name, value in new_values.items():
        setattr(registration, name, value)
    registration.details_updated_at = timezone.now()
    update_fields = [name.removesuffix("_id") for name in changed] + ["details_updated_at"]
    if gains_place:
        registration.status = Registration.Status.CONFIRMED
        update_fields.append("status")
    registration.save(update_fields=update_fields)
    if needs != needs_before:
        registration.access_needs.set(needs)
    if gains_place:
        registration_email_send(registration=registration, kind="promoted")
    if (
        left_behind is not None
        and places.waitlist_offers_open(seminar)
        and registration in _promote_waiting(seminar, left_behind)
    ):
        registration.status = Registration.Status.CONFIRMED  # waiting, now needing one place
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
ERASED_REGISTRATION = "Erased registration"
# Every email about a registration carries its private link, /registrations/<token>/.
PRIVATE_LINK_TOKEN = re.compile(r"/registrations/([^/\s]+)/")
ERASED_FIELDS = {
    "name": "",
    "email": "",
    "pronouns": "",
    "organisation": "",
    "role": None,
    "role_declined": False,
    "access_requirements": "",
    "dietary_requirements": "",
    "do_not_photograph": False,
    **ACCESS_REQUEST_ERASED,
}


def _addresses_still_held(addresses):
    """The addresses that someone's live details still use: another registration not yet
    erased, a speaker's profile, a login. Their mail stays, but for the erased links'."""
    addresses = {canonical_email(address) for address in addresses if address}
    held = set(
        Registration.objects.filter(email__in=addresses, purged_at__isnull=True).values_list(
            "email", flat=True
        )
    )
    for model in [Person, User]:
        held |= set(model.objects.filter(email__in=addresses).values_list("email", flat=True))
    return held


def _registration_traces_erase(erased):
    """What else was kept about erased registrations, given as (email, token) pairs taken
    before the rows were erased: their emails in django-mailer's queue and log, and their
    names in the admin's change log."""
    addresses = {email for email, _token in erased}
    tokens = {token for _email, token in erased}
    queued_mail_erase(
        addresses=addresses - _addresses_still_held(addresses),
        mentioned=lambda text: not tokens.isdisjoint(PRIVATE_LINK_TOKEN.findall(text)),
    )
    _registration_change_log_erase()


def _registration_change_log_erase():
    """The admin logs an organiser's edit of a registration under the registrant's name
    (`object_repr`): once the registration is erased or deleted, its entries say only
    "Erased registration". The admin's own change messages name fields, never values; any
    other message is emptied."""
    content_type = ContentType.objects.get_for_model(Registration)
    entries = LogEntry.objects.filter(content_type=content_type).exclude(
        object_repr=ERASED_REGISTRATION
    )
    ids = {int(pk) for pk in entries.values_list("object_id", flat=True) if pk.isdigit()}
    live = Registration.objects.filter(pk__in=ids, purged_at__isnull=True).values_list(
        "pk", flat=True
    )
    gone = entries.exclude(object_id__in=[str(pk) for pk in live])
    gone.exclude(change_message__startswith="[").update(change_message="")
    gone.update(object_repr=ERASED_REGISTRATION)


@transaction.atomic
def registration_erase(*, registration):
    """The registrant asks for their details to be deleted: cancel (passing the place on),
    then erase every personal detail now, as the purge after the seminar would, with the
    emails about it and the change log's mentions of their name.

    The row stays, anonymous, so that the seminar's counts stay true; its token is replaced,
    so the old private link stops working.
    """
    if registration.is_active:
        registration_cancel(registration=registration, notify=False)
    feedback_response_erase(registration=registration)
    erased = Registration.objects.filter(pk=registration.pk).values_list("email", "token").get()
    Registration.objects.filter(pk=registration.pk).update(
        **ERASED_FIELDS, purged_at=timezone.now(), **registration_token_fields()
    )
    access_needs_erase(registration_ids=[registration.pk])
    _registration_traces_erase([erased])


def registrations_purge(*, ended_before, dry_run=False):
    """Erase the personal details of registrations for seminars that ended before a moment
    (access needs, the organisers' note and a companion included), with the emails about
    them and the change log's mentions of their names.

    Status, attendance and dates stay, so anonymous counts survive. Each token is replaced
    so the old manage link stops working. What attendees wrote in feedback about those
    seminars goes too (seminars/feedback/services.py). A dry run does the very same work in a
    transaction that it then rolls back, so it counts what a real run would purge and fails
    where a real run would fail. Returns how many registrations were (or would be) purged.
    """
    if not dry_run:
        return _purge(ended_before)
    with transaction.atomic():
        count = _purge(ended_before)
        transaction.set_rollback(True)
    return count


def _purge(ended_before):
    count = _purge_in_batches(ended_before)
    with transaction.atomic():
        feedback_purge(ended_before=ended_before)
    return count


def _purge_in_batches(ended_before):
    """One short transaction per batch: the rows are locked only while they are erased, and
    a crash keeps what was already done. A concurrent run waits on the locked rows, then
    skips them, since they are purged by then (PostgreSQL re-reads a locked row's WHERE)."""
    due = Registration.objects.filter(seminar__ends_at__lt=ended_before, purged_at__isnull=True)
    now, purged = timezone.now(), 0
    while True:
        with transaction.atomic():
            rows = list(
                due.select_for_update(of=("self",))
                .order_by("pk")
                .values_list("pk", "email", "token")[:PURGE_BATCH_SIZE]
            )
            if not rows:
                return purged
            batch = [pk for pk, _email, _token in rows]
            Registration.objects.filter(pk__in=batch).update(**ERASED_FIELDS, purged_at=now)
            access_needs_erase(registration_ids=batch)
            # Tokens are unique, so each row needs its own: one CASE update per batch.
            Registration.objects.bulk_update(
                [Registration(pk=pk, **registration_token_fields()) for pk in batch],
                ["token", "token_digest"],
            )
            _registration_traces_erase([(email, token) for _pk, email, token in rows])
        purged += len(rows)
