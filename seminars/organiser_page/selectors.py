"""What the seminar's page for organisers reads: each part in one query, however many are
registered."""

from django.db.models import Count, Q, Sum, prefetch_related_objects
from django.db.models.functions import Coalesce, Lower

from seminars.access.selectors import with_access_needs
from seminars.models import Registration
from seminars.notices.models import SeminarChange
from seminars.registrant_messages.models import RegistrantMessage
from seminars.subscriptions.models import SeminarNotice

Status = Registration.Status
Attendance = Registration.Attendance


def registration_counts(seminar):
    """Confirmed, waiting and cancelled registrations; confirmed ones by way of attending,
    the companions they bring, and how many have arrived; those waiting for a place in the
    room and their companions; reminders and feedback requests emailed."""
    confirmed = Q(status=Status.CONFIRMED)
    waiting_in_room = Q(status=Status.WAITLISTED, attendance=Attendance.IN_PERSON)
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
        waiting_in_person=Count("pk", filter=waiting_in_room),
        waiting_companions=Count("pk", filter=waiting_in_room & Q(with_companion=True)),
        reminders=Count("pk", filter=Q(reminder_sent_at__isnull=False)),
        # One request at most per registration (a one-to-one): the join adds no rows.
        feedback_requests=Count("pk", filter=Q(feedback_request__emailed_at__isnull=False)),
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


def catering(counts):
    """The people to cater for in the room: confirmed in-person places and their
    companions (`in_room`), and those waiting for a place in the room with theirs
    (`waiting`), should they move up. Online attendees are not catered for."""
    return {
        "in_room": counts["in_person"] + counts["companions"],
        "waiting": counts["waiting_in_person"] + counts["waiting_companions"],
    }


def workshop_counts(seminar):
    """The seminar's workshops with `confirmed_count`, the confirmed places chosen in each."""
    return list(
        seminar.workshops.annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED))
        ).order_by("starts_at", "pk")
    )


def emails_sent(seminar):
    """The emails the site records sending about this seminar, by kind: to its registrants,
    the people emailed about changes and the recipients of organisers' messages (reminders
    and feedback requests are counted with the registrations); to subscribers, the
    announcement of the seminar and the one of its registration opening. A seminar
    announced with its registration already open had one email, recorded as both notices
    at the same moment: `announced_open` says so, and `registration_open` is then 0 so
    that nobody is counted twice. Confirmations and other replies to what a registrant
    did are not recorded, so not counted."""
    changes = SeminarChange.objects.filter(seminar=seminar, emailed=True).aggregate(
        total=Coalesce(Sum("notified_count"), 0)
    )["total"]
    messages = RegistrantMessage.objects.filter(seminar=seminar).aggregate(
        total=Coalesce(Sum("recipient_count"), 0)
    )["total"]
    notices = {
        notice.kind: notice
        for notice in SeminarNotice.objects.filter(seminar=seminar).only(
            "kind", "recipient_count", "sent_at"
        )
    }
    published = notices.get(SeminarNotice.Kind.PUBLISHED)
    opened = notices.get(SeminarNotice.Kind.REGISTRATION_OPEN)
    announced_open = bool(published and opened and published.sent_at == opened.sent_at)
    return {
        "changes": changes,
        "messages": messages,
        "announced": published.recipient_count if published else 0,
        "announced_open": announced_open,
        "registration_open": opened.recipient_count if opened and not announced_open else 0,
    }


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
    """For catering, by name: those with a dietary requirement who have a place in the
    room (`confirmed`) and who are waiting for one, should they move up (`waiting`).
    Online attendees are not catered for."""
    wanting = list(
        _held(seminar)
        .filter(attendance=Attendance.IN_PERSON)
        .exclude(dietary_requirements="")
        .only("name", "status", "with_companion", "dietary_requirements")
        .order_by(Lower("name"), "pk")
    )
    return {
        "confirmed": [each for each in wanting if each.status == Status.CONFIRMED],
        "waiting": [each for each in wanting if each.status == Status.WAITLISTED],
    }


def sign_in_list(seminar):
    """The people expected in the room, by name: confirmed in-person places whose details
    are held. Only what a sheet on a table or a badge may show: no email, no needs. The
    pronouns are for the badges, which people wear by choice; the sheet leaves them out."""
    return list(
        Registration.objects.filter(
            seminar=seminar,
            status=Status.CONFIRMED,
            attendance=Attendance.IN_PERSON,
            purged_at__isnull=True,
        )
        .only("name", "pronouns", "organisation", "do_not_photograph", "with_companion")
        .order_by(Lower("name"), "pk")
    )


def programme_people(timeline):
    """Everyone on the programme (`planning_timeline`), once each in the order of the day,
    with their logins (one query): whom to invite to edit their profiles."""
    people = {}
    for item in timeline:
        if not getattr(item, "is_break", False):
            for person in item.people:
                people.setdefault(person.pk, person)
    people = list(people.values())
    prefetch_related_objects(people, "user")
    return people
