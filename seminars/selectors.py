"""Reads that cross models, shaped for the public pages with a fixed number of queries."""

from operator import attrgetter

from django.db.models import Prefetch
from django.utils import timezone

from seminars.models import Recap, Seminar, Series, Talk, TalkSpeaker, Workshop, WorkshopFacilitator


def _talk_people():
    return Prefetch(
        "speaker_links",
        queryset=TalkSpeaker.objects.select_related("person").order_by("position", "pk"),
        to_attr="people_links",
    )


def _workshop_people():
    return Prefetch(
        "facilitator_links",
        queryset=WorkshopFacilitator.objects.select_related("person").order_by("position", "pk"),
        to_attr="people_links",
    )


def _public_recaps(to_attr="public_recaps"):
    return Prefetch(
        "recaps",
        queryset=Recap.objects.public().prefetch_related("authors"),
        to_attr=to_attr,
    )


def seminar_list_split():
    """Public seminars as (upcoming soonest first, past newest first), in one query."""
    now = timezone.now()
    seminars = list(Seminar.objects.public().select_related("venue").order_by("starts_at", "pk"))
    upcoming = [seminar for seminar in seminars if seminar.ends_at >= now]
    past = [seminar for seminar in seminars if seminar.ends_at < now]
    past.reverse()
    return upcoming, past


def seminar_detail_queryset():
    return (
        Seminar.objects.public()
        .select_related("series", "venue")
        .prefetch_related(
            Prefetch("talks", queryset=Talk.objects.prefetch_related(_talk_people())),
            Prefetch("workshops", queryset=Workshop.objects.prefetch_related(_workshop_people())),
            _public_recaps(),
        )
    )


def seminar_programme(seminar):
    """Talks and workshops of a seminar interleaved by start time (talks first on a tie)."""
    items = [*seminar.talks.all(), *seminar.workshops.all()]
    return sorted(items, key=attrgetter("starts_at", "ends_at"))


def person_programme(person):
    """A person's public talks and workshops, newest seminar first."""
    talks = Talk.objects.filter(speaker_links__person=person, seminar__in=Seminar.objects.public())
    workshops = Workshop.objects.filter(
        facilitator_links__person=person, seminar__in=Seminar.objects.public()
    )
    items = [
        *talks.select_related("seminar").prefetch_related(_talk_people()),
        *workshops.select_related("seminar").prefetch_related(_workshop_people()),
    ]
    return sorted(items, key=attrgetter("starts_at"), reverse=True)


def person_recaps(person):
    return list(recap_list_queryset().filter(authors=person))


def recap_list_queryset():
    return Recap.objects.public().select_related("seminar").prefetch_related("authors")


def home_context():
    upcoming = list(Seminar.objects.public().upcoming().select_related("venue")[:6])
    next_seminar = next((seminar for seminar in upcoming if not seminar.is_cancelled), None)
    return {
        "series": Series.objects.order_by("pk").first(),
        "next_seminar": next_seminar,
        "upcoming": [seminar for seminar in upcoming if seminar != next_seminar],
        "latest_recaps": list(recap_list_queryset()[:3]),
    }
