import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from people.models import Role
from seminars.models import Recap, Seminar, Talk, Workshop
from tests.factories import (
    PersonFactory,
    RecapFactory,
    RegistrationFactory,
    SeminarFactory,
    SeriesFactory,
    TalkFactory,
    VenueFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

# An end before the start, and an end equal to it: neither is a seminar or an item.
BAD_ENDS = [pytest.param(-HOUR, id="before"), pytest.param(dt.timedelta(0), id="equal")]


def _titles(queryset):
    return list(queryset.values_list("title", flat=True))


# Constraints: end after start


@pytest.mark.parametrize("offset", BAD_ENDS)
def test_seminar_ending_before_or_at_its_start_is_refused_by_the_database(offset):
    starts_at = timezone.now() + DAY

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        SeminarFactory(starts_at=starts_at, ends_at=starts_at + offset)

    assert "seminars_seminar_ends_after_starts" in str(error.value)
    assert Seminar.objects.count() == 0


@pytest.mark.parametrize("offset", BAD_ENDS)
def test_seminar_ending_before_or_at_its_start_is_refused_by_full_clean(offset):
    seminar = SeminarFactory()
    seminar.ends_at = seminar.starts_at + offset

    with pytest.raises(ValidationError) as error:
        seminar.full_clean()

    assert error.value.message_dict == {NON_FIELD_ERRORS: ["A seminar must end after it starts."]}


def test_seminar_ending_after_its_start_passes_full_clean():
    seminar = SeminarFactory()

    seminar.full_clean()

    assert seminar.ends_at - seminar.starts_at == dt.timedelta(hours=6)


@pytest.mark.parametrize("factory", [TalkFactory, WorkshopFactory], ids=["talk", "workshop"])
@pytest.mark.parametrize("offset", BAD_ENDS)
def test_programme_item_ending_before_or_at_its_start_is_refused_by_the_database(factory, offset):
    seminar = SeminarFactory()

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        factory(seminar=seminar, starts_at=seminar.starts_at, ends_at=seminar.starts_at + offset)

    assert f"seminars_{factory._meta.model._meta.model_name}_ends_after_starts" in str(error.value)
    assert (Talk.objects.count(), Workshop.objects.count()) == (0, 0)


@pytest.mark.parametrize("factory", [TalkFactory, WorkshopFactory], ids=["talk", "workshop"])
@pytest.mark.parametrize("offset", BAD_ENDS)
def test_programme_item_ending_before_or_at_its_start_is_refused_by_full_clean(factory, offset):
    item = factory()
    item.ends_at = item.starts_at + offset

    with pytest.raises(ValidationError) as error:
        item.full_clean()

    assert error.value.message_dict == {NON_FIELD_ERRORS: ["An item must end after it starts."]}


# Constraints: uniqueness


def test_seminar_number_is_unique_within_its_series_in_the_database():
    series = SeriesFactory()
    SeminarFactory(series=series, number=3)

    with pytest.raises(IntegrityError), transaction.atomic():
        SeminarFactory(series=series, number=3)

    assert list(series.seminars.values_list("number", flat=True)) == [3]


def test_seminar_number_is_unique_within_its_series_in_full_clean():
    series = SeriesFactory()
    SeminarFactory(series=series, number=3)
    second = SeminarFactory.build(series=series, number=3, venue=None)

    with pytest.raises(ValidationError) as error:
        second.full_clean()

    assert error.value.message_dict == {
        NON_FIELD_ERRORS: ["The series already has a seminar with this number."]
    }


def test_seminar_number_may_repeat_across_series():
    SeminarFactory(series=SeriesFactory(title="First series"), number=1)
    SeminarFactory(series=SeriesFactory(title="Second series"), number=1)

    assert sorted(Seminar.objects.values_list("series__title", "number")) == [
        ("First series", 1),
        ("Second series", 1),
    ]


def test_talk_slug_is_unique_within_its_seminar():
    seminar = SeminarFactory()
    TalkFactory(seminar=seminar, slug="opening")

    with pytest.raises(IntegrityError), transaction.atomic():
        TalkFactory(seminar=seminar, slug="opening")

    assert list(seminar.talks.values_list("slug", flat=True)) == ["opening"]


def test_talk_slug_may_repeat_on_another_seminar():
    first = TalkFactory(seminar=SeminarFactory(title="First"), slug="opening")
    second = TalkFactory(seminar=SeminarFactory(title="Second"), slug="opening")

    second.full_clean()

    assert sorted(Talk.objects.values_list("seminar__title", "slug")) == [
        ("First", "opening"),
        ("Second", "opening"),
    ]
    assert first.pk != second.pk


# Querysets: public, upcoming, past


def test_seminar_public_includes_published_and_cancelled_but_not_draft():
    SeminarFactory(title="Published", status=Seminar.Status.PUBLISHED)
    SeminarFactory(title="Cancelled", status=Seminar.Status.CANCELLED)
    SeminarFactory(title="Draft", status=Seminar.Status.DRAFT)

    assert sorted(_titles(Seminar.objects.public())) == ["Cancelled", "Published"]


def test_seminar_upcoming_includes_one_in_progress_and_future_ones_soonest_first():
    now = timezone.now()
    SeminarFactory(title="In ten days", starts_at=now + 10 * DAY, ends_at=now + 10 * DAY + HOUR)
    SeminarFactory(title="Ended", starts_at=now - 3 * HOUR, ends_at=now - HOUR)
    SeminarFactory(title="In progress", starts_at=now - HOUR, ends_at=now + HOUR)
    SeminarFactory(title="In two days", starts_at=now + 2 * DAY, ends_at=now + 2 * DAY + HOUR)

    assert _titles(Seminar.objects.upcoming()) == ["In progress", "In two days", "In ten days"]


def test_seminar_past_lists_ended_ones_newest_first():
    now = timezone.now()
    SeminarFactory(title="Last month", starts_at=now - 30 * DAY, ends_at=now - 30 * DAY + HOUR)
    SeminarFactory(title="In progress", starts_at=now - HOUR, ends_at=now + HOUR)
    SeminarFactory(title="Earlier today", starts_at=now - 3 * HOUR, ends_at=now - HOUR)
    SeminarFactory(title="Last week", starts_at=now - 7 * DAY, ends_at=now - 7 * DAY + HOUR)
    SeminarFactory(title="Tomorrow", starts_at=now + DAY, ends_at=now + DAY + HOUR)

    assert _titles(Seminar.objects.past()) == ["Earlier today", "Last week", "Last month"]


def test_seminar_upcoming_and_public_combine():
    now = timezone.now()
    SeminarFactory(title="Public future", starts_at=now + DAY, ends_at=now + DAY + HOUR)
    SeminarFactory(
        title="Draft future",
        starts_at=now + DAY,
        ends_at=now + DAY + HOUR,
        status=Seminar.Status.DRAFT,
    )
    SeminarFactory(title="Public past", starts_at=now - DAY, ends_at=now - DAY + HOUR)

    assert _titles(Seminar.objects.public().upcoming()) == ["Public future"]


def test_recap_public_excludes_drafts_and_future_dated_recaps():
    now = timezone.now()
    RecapFactory(title="Published yesterday", published_at=now - DAY)
    RecapFactory(title="Draft", status=Recap.Status.DRAFT, published_at=now - DAY)
    RecapFactory(title="Published tomorrow", published_at=now + DAY)
    RecapFactory(title="Published last week", published_at=now - 7 * DAY)

    assert _titles(Recap.objects.public()) == ["Published yesterday", "Published last week"]


# __str__ and get_absolute_url


def test_seminar_str_and_url():
    seminar = SeminarFactory(title="Doing research together", slug="doing-research-together")

    assert (str(seminar), seminar.get_absolute_url()) == (
        "Doing research together",
        "/seminars/doing-research-together/",
    )


def test_person_str_and_url():
    person = PersonFactory(name="Ann Example", slug="ann-example")

    assert (str(person), person.get_absolute_url()) == ("Ann Example", "/people/ann-example/")


def test_recap_str_and_url():
    recap = RecapFactory(title="What we learned", slug="what-we-learned")

    assert (str(recap), recap.get_absolute_url()) == ("What we learned", "/recaps/what-we-learned/")


def test_talk_str_and_url_point_at_its_place_on_the_seminar_page():
    talk = TalkFactory(
        seminar=SeminarFactory(slug="doing-research-together"),
        title="Whose knowledge?",
        slug="whose-knowledge",
    )

    assert (str(talk), talk.get_absolute_url()) == (
        "Whose knowledge?",
        "/seminars/doing-research-together/#talk-whose-knowledge",
    )


def test_workshop_url_points_at_its_place_on_the_seminar_page():
    workshop = WorkshopFactory(seminar=SeminarFactory(slug="together"), slug="mapping")

    assert workshop.get_absolute_url() == "/seminars/together/#workshop-mapping"


def test_venue_str_includes_the_city_when_there_is_one():
    assert [
        str(VenueFactory(name="Town Hall", city="Leeds")),
        str(VenueFactory(name="Online room", city="")),
    ] == ["Town Hall, Leeds", "Online room"]


def test_a_registration_cannot_both_name_a_role_and_prefer_not_to_say():
    carer = Role.objects.get(slug="carer")

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        RegistrationFactory(role=carer, role_declined=True)

    assert "seminars_registration_role_or_declined" in str(error.value)
    assert [
        (registration.role, registration.role_declined, registration.involvement)
        for registration in [
            RegistrationFactory(),
            RegistrationFactory(role_declined=True),
            RegistrationFactory(role=carer),
        ]
    ] == [(None, False, ""), (None, True, "Prefer not to say"), (carer, False, "Carer")]
