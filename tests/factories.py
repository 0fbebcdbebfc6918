"""Real model instances for tests (factory_boy), saved to the real test database."""

import datetime as dt

import factory
from django.utils import timezone
from django.utils.text import slugify

from people.models import Person, Role, User
from seminars.access.models import AccessProvision
from seminars.models import (
    Recap,
    Registration,
    Seminar,
    Series,
    Talk,
    TalkSpeaker,
    Theme,
    Venue,
    Workshop,
    WorkshopFacilitator,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.django.Password("a-long-test-password")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Test role {n}")
    slug = factory.LazyAttribute(lambda role: slugify(role.name))
    position = factory.Sequence(lambda n: 100 + n)


class AccessProvisionFactory(factory.django.DjangoModelFactory):
    """A provision from the vocabulary, found by slug when the migration seeded it (a
    transactional test's flush deletes the seeded ones)."""

    class Meta:
        model = AccessProvision
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Test provision {n}")
    slug = factory.LazyAttribute(lambda provision: slugify(provision.name))
    position = factory.Sequence(lambda n: 100 + n)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Person {n}")
    slug = factory.LazyAttribute(lambda person: slugify(person.name))
    # Most tests are about people who have agreed to be public; consent tests say otherwise.
    show_roles = True
    roles_consent_at = factory.LazyAttribute(
        lambda person: dt.date(2026, 1, 5) if person.show_roles else None
    )
    roles_consent_note = factory.LazyAttribute(
        lambda person: "by email (test)" if person.show_roles else ""
    )
    is_listed = True
    listing_consent_at = factory.LazyAttribute(
        lambda person: dt.date(2026, 1, 5) if person.is_listed else None
    )
    listing_consent_note = factory.LazyAttribute(
        lambda person: "by email (test)" if person.is_listed else ""
    )

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.roles.set(extracted)


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    title = factory.Sequence(lambda n: f"Test series {n}")
    slug = factory.LazyAttribute(lambda series: slugify(series.title))
    strapline = "A test series"


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Test Hall {n}")
    address = "1 Test Street"
    city = "Testbury"
    postcode = "TE1 1ST"
    access_info = "Step-free entrance on Test Street. Hearing loop in the main room."


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Test theme {n}")
    slug = factory.LazyAttribute(lambda theme: slugify(theme.name))
    description = "A theme made for a test."


def _set_themes(obj, create, extracted, **kwargs):
    if create and extracted:
        obj.themes.set(extracted)


def _in_days(days, hour=10):
    today = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(today, dt.time(hour)))


class SeminarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seminar
        skip_postgeneration_save = True

    class Params:
        days_from_now = 30

    series = factory.SubFactory(SeriesFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Test seminar {n}")
    slug = factory.LazyAttribute(lambda seminar: slugify(seminar.title))
    summary = "A seminar made for a test."
    starts_at = factory.LazyAttribute(lambda seminar: _in_days(seminar.days_from_now))
    ends_at = factory.LazyAttribute(lambda seminar: seminar.starts_at + dt.timedelta(hours=6))
    venue = factory.SubFactory(VenueFactory)
    status = Seminar.Status.PUBLISHED
    themes = factory.PostGeneration(_set_themes)


class TalkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talk
        skip_postgeneration_save = True

    seminar = factory.SubFactory(SeminarFactory)
    title = factory.Sequence(lambda n: f"Test talk {n}")
    slug = factory.LazyAttribute(lambda talk: slugify(talk.title))
    starts_at = factory.LazyAttribute(lambda talk: talk.seminar.starts_at)
    ends_at = factory.LazyAttribute(lambda talk: talk.starts_at + dt.timedelta(minutes=45))
    themes = factory.PostGeneration(_set_themes)

    @factory.post_generation
    def speakers(obj, create, extracted, **kwargs):
        for position, person in enumerate(extracted or []):
            TalkSpeaker.objects.create(talk=obj, person=person, position=position)


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop
        skip_postgeneration_save = True

    seminar = factory.SubFactory(SeminarFactory)
    title = factory.Sequence(lambda n: f"Test workshop {n}")
    slug = factory.LazyAttribute(lambda workshop: slugify(workshop.title))
    starts_at = factory.LazyAttribute(lambda w: w.seminar.starts_at + dt.timedelta(hours=2))
    ends_at = factory.LazyAttribute(lambda w: w.starts_at + dt.timedelta(minutes=90))
    themes = factory.PostGeneration(_set_themes)

    @factory.post_generation
    def facilitators(obj, create, extracted, **kwargs):
        for position, person in enumerate(extracted or []):
            WorkshopFacilitator.objects.create(workshop=obj, person=person, position=position)


class RecapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recap
        skip_postgeneration_save = True

    seminar = factory.SubFactory(SeminarFactory, days_from_now=-30)
    title = factory.Sequence(lambda n: f"Test recap {n}")
    slug = factory.LazyAttribute(lambda recap: slugify(recap.title))
    summary = "What happened, briefly."
    body = "What happened, at length."
    status = Recap.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    themes = factory.PostGeneration(_set_themes)

    @factory.post_generation
    def authors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.authors.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A stored registration, made directly: no capacity check, no email.

    Use `services.registration_create` where the waiting list or the emails matter.
    """

    class Meta:
        model = Registration

    seminar = factory.SubFactory(SeminarFactory)
    name = factory.Sequence(lambda n: f"Test Registrant {n}")
    email = factory.Sequence(lambda n: f"registrant{n}@example.org")
    status = Registration.Status.CONFIRMED


def london(year, month, day, hour, minute=0):
    """A moment on the clock in London (the site's time zone), GMT or BST as the date says."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def seminars_with_programmes(count, series):
    """`count` upcoming seminars, each with a talk, a workshop and a recap by two people."""
    seminars = []
    for index in range(count):
        seminar = SeminarFactory(series=series, days_from_now=10 + index)
        people = [PersonFactory(), PersonFactory()]
        TalkFactory(seminar=seminar, speakers=people)
        WorkshopFactory(seminar=seminar, facilitators=people[:1])
        RecapFactory(seminar=seminar, authors=people)
        seminars.append(seminar)
    return seminars
