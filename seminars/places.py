"""Places beyond a seminar's capacity: the ways of attending a hybrid seminar, a companion's
place in the room, the waiting list's order and cut-off, and the places in workshops
registrants choose between."""

from django.db.models import Count, Q
from django.utils import timezone

from seminars.models import Registration, Workshop

# "the in-person waiting list", "no online places"
ATTENDANCE_ADJECTIVES = {
    Registration.Attendance.IN_PERSON: "in-person",
    Registration.Attendance.ONLINE: "online",
}


def places_needed(*, attendance, with_companion):
    """The places a registration takes in its way of attending: two in the room for someone
    who brings a companion or personal assistant (online, one screen is shared)."""
    return 2 if with_companion and attendance == Registration.Attendance.IN_PERSON else 1


def companion_allowed(seminar, attendance):
    """Whether a registration may bring a companion: only to a room."""
    return seminar.venue_id is not None and attendance == Registration.Attendance.IN_PERSON


def attendance_modes(seminar):
    """The ways of attending a registrant may choose between: both only when hybrid."""
    if seminar.is_hybrid:
        return [Registration.Attendance.IN_PERSON, Registration.Attendance.ONLINE]
    return [seminar.only_attendance]


def waitlist_offers_open(seminar, *, now=None):
    """Whether a freed place still goes to the next person waiting: not once the cut-off
    before the start (the organisers' choice, 24 hours unless changed) has come."""
    now = now or timezone.now()
    return not seminar.is_cancelled and now < seminar.waitlist_offers_end_at()


def waitlist_position(registration):
    """Where a waiting registration stands in its queue (1 for the next to be offered a
    place): the queue of its way of attending, when the seminar is hybrid. None when it is
    not waiting."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        seminar_id=registration.seminar_id, status=Registration.Status.WAITLISTED
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk)
    )
    if registration.seminar.is_hybrid:
        ahead = ahead.filter(attendance=registration.attendance)
    return ahead.count() + 1


ACTIVE_STATUSES = [Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]


def workshop_choices(seminar):
    """The workshops a registrant may choose one of: those that run at the same time as
    another, once any of them has a capacity. Each carries `taken` (the places held by
    active registrations, waiting ones included, so a person moved up from the waiting list
    never overfills a workshop), `places_left` and `is_full`. Empty when there is no choice
    to make, so that nothing changes for registrants."""
    workshops = list(
        Workshop.objects.filter(seminar=seminar)
        .annotate(taken=Count("registrations", filter=Q(registrations__status__in=ACTIVE_STATUSES)))
        .order_by("starts_at", "title", "pk")
    )
    parallel = [
        workshop
        for workshop in workshops
        if any(
            other.pk != workshop.pk
            and other.starts_at < workshop.ends_at
            and workshop.starts_at < other.ends_at
            for other in workshops
        )
    ]
    if not any(workshop.capacity is not None for workshop in parallel):
        return []
    for workshop in parallel:
        workshop.places_left = (
            None if workshop.capacity is None else max(workshop.capacity - workshop.taken, 0)
        )
        workshop.is_full = workshop.places_left == 0
    return parallel
