"""What the seminar's page for organisers reads: each part in one query, however many are
registered."""

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, Lower

from seminars.access.selectors import with_access_needs
from seminars.models import Registration
from seminars.notices.models import SeminarChange
from seminars.registrant_messages.models import RegistrantMessage

Status = Registration.Status
Attendance = Registration.Attendance


def registration_counts(seminar):
    """Confirmed, waiting and cancelled registrations; confirmed ones by way of attending,
    the companions they bring, and how many have arrived; reminders sent."""
    confirmed = Q(status=Status.CONFIRMED)
    return Registration.objects.filter(seminar=seminar).aggregate(
        confirmed=Count("pk", filter=confirmed),
        waiting=Count("pk", filter=Q(status=Status.WAITLISTED)),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
        in_person=Count("pk", filter=confirmed & Q(attendance=Attendance.IN_PERSON)),
        online=Count("pk", filter=confirmed & Q(attendance=Attendance.ONLINE)),
        companions=Count(
            "pk", filter=confirmed & Q(attendance=Attendance.IN_PERSON, with_companion=True)
        ),
        arrived=Count("pk", filter=confirmed & Q(attended_at__isnull=False)),
        reminders=Count("pk", filter=Q(reminder_sent_at__isnull=False)),
    )


def places_left(seminar, counts):
    """The places still free, as (way of attending or "", places left or None for no
    limit): one pool, or one for each way when the seminar is hybrid. A companion takes a
    place in the room, as the registration form counts it."""
    in_room = counts["in_person"] + counts["companions"]

    def left(capacity, taken):
        return None if capacity is None else max(capacity - taken, 0)

    if not seminar.is_hybrid:
        return [("", left(seminar.capacity, counts["confirmed"] + counts["companions"]))]
    return [
        ("In person", left(seminar.capacity_for(Attendance.IN_PERSON), in_room)),
        ("Online", left(seminar.capacity_for(Attendance.ONLINE), counts["online"])),
    ]


def workshop_counts(seminar):
    """The seminar's workshops with `confirmed_count`, the confirmed places chosen in each."""
    return list(
        seminar.workshops.annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED))
        ).order_by("starts_at", "pk")
    )


def emails_sent(seminar):
    """The emails the site records sending to this seminar's registrants, by kind: the
    reminders (counted with the registrations), the people emailed about changes, and the
    recipients of organisers' messages. Confirmations go one to each registration."""
    changes = SeminarChange.objects.filter(seminar=seminar, emailed=True).aggregate(
        total=Coalesce(Sum("notified_count"), 0)
    )["total"]
    messages = RegistrantMessage.objects.filter(seminar=seminar).aggregate(
        total=Coalesce(Sum("recipient_count"), 0)
    )["total"]
    return {"changes": changes, "messages": messages}


def _held(seminar):
    """Registrations with a place or waiting for one, whose details are still held."""
    return Registration.objects.filter(seminar=seminar, purged_at__isnull=True).exclude(
        status=Status.CANCELLED
    )


def access_requests(seminar):
    """Those who asked for something (needs ticked, words written, or a status set), by
    name, with their needs."""
    asked = ~Q(access_request_status="") | ~Q(access_requirements="")
    return list(with_access_needs(_held(seminar).filter(asked)).order_by(Lower("name"), "pk"))


def dietary_requirements(seminar):
    """Those with a dietary requirement, by name: for catering."""
    return list(
        _held(seminar)
        .exclude(dietary_requirements="")
        .only("name", "status", "dietary_requirements")
        .order_by(Lower("name"), "pk")
    )


def sign_in_list(seminar):
    """The people expected in the room, by name: confirmed in-person places whose details
    are held. Only what a sheet on a table may show: no email, no needs."""
    return list(
        Registration.objects.filter(
            seminar=seminar,
            status=Status.CONFIRMED,
            attendance=Attendance.IN_PERSON,
            purged_at__isnull=True,
        )
        .only("name", "organisation", "do_not_photograph", "with_companion")
        .order_by(Lower("name"), "pk")
    )
