"""What the check-in page reads: each in one query, however many are registered."""

from django.db.models import Count, Q
from django.db.models.functions import Lower

from seminars.models import Registration


def checkable_registrations(seminar):
    """The registrations an organiser can tick at the door: confirmed, details still held."""
    return Registration.objects.filter(
        seminar=seminar, status=Registration.Status.CONFIRMED, purged_at__isnull=True
    )


def checkin_list(seminar, query=""):
    """The people to tick, by name, matching `query` in their name or email."""
    registrations = checkable_registrations(seminar)
    if query:
        registrations = registrations.filter(Q(name__icontains=query) | Q(email__icontains=query))
    return list(
        registrations.only(
            "name", "email", "organisation", "attendance", "attended_at", "is_walk_in"
        ).order_by(Lower("name"), "pk")
    )


def checkin_counts(seminar):
    """How many confirmed places there are, and how many of them have arrived."""
    return checkable_registrations(seminar).aggregate(
        confirmed=Count("pk"), arrived=Count("pk", filter=Q(attended_at__isnull=False))
    )
