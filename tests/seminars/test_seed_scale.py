import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from people.models import Person, Role
from seminars.management.commands.seed_scale import scaled_counts
from seminars.models import (
    Recap,
    Registration,
    Seminar,
    Series,
    Talk,
    TalkSpeaker,
    Venue,
    Workshop,
    WorkshopFacilitator,
    registration_token_digest,
)
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

SCALE = "0.05"
# scaled_counts(0.05): every count at scale 1.0 times 0.05, rounded, and at least 1.
COUNTS_AT_SCALE = {
    "series": 1,  # 10 * 0.05 = 0.5 rounds to 0, and there is always one
    "venues": 2,
    "seminars": 15,
    "talks": 105,
    "workshops": 45,
    "people": 250,
    "recaps": 15,
    "registrations": 5000,
}
MODELS = {
    "series": Series,
    "venues": Venue,
    "seminars": Seminar,
    "talks": Talk,
    "workshops": Workshop,
    "people": Person,
    "recaps": Recap,
    "registrations": Registration,
}


def seed(*args):
    out = io.StringIO()
    call_command("seed_scale", "--scale", SCALE, *args, stdout=out)
    return out.getvalue()


def stored_counts():
    return {name: model.objects.count() for name, model in MODELS.items()}


def test_seed_scale_at_scale_one_makes_the_dataset_the_issue_asks_for():
    assert scaled_counts(1.0) == {
        "series": 10,
        "venues": 40,
        "seminars": 300,
        "talks": 2100,
        "workshops": 900,
        "people": 5000,
        "recaps": 300,
        "registrations": 100_000,
    }


def test_seed_scale_stores_the_scaled_counts_and_says_so():
    output = seed()

    assert stored_counts() == COUNTS_AT_SCALE == scaled_counts(0.05)
    assert re.fullmatch(
        r"Seeded 1 series, 2 venues, 15 seminars, 105 talks, 45 workshops, 250 people, "
        r"15 recaps, 5,000 registrations in \d+\.\d s\.\n",
        output,
    )


def test_seed_scale_rejects_a_scale_that_is_not_positive():
    with pytest.raises(CommandError, match="--scale must be more than 0"):
        call_command("seed_scale", "--scale", "0")

    assert Seminar.objects.count() == 0


def test_seed_scale_data_keeps_every_rule_of_the_models():
    seed()
    seminars = Seminar.objects.all()

    invalid = []
    for model in [*MODELS.values(), TalkSpeaker, WorkshopFacilitator]:
        for obj in model.objects.all():
            try:
                # Unique and other constraints are the database's own; see below.
                obj.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                invalid.append((obj, error))
    assert invalid == []

    # Stricter than the constraint, which allows one active registration per address.
    duplicates = Registration.objects.values("seminar", "email").annotate(times=Count("pk"))
    assert list(duplicates.filter(times__gt=1)) == []
    assert set(Registration.objects.values_list("seminar__status", flat=True)) == {
        Seminar.Status.PUBLISHED,
        Seminar.Status.CANCELLED,
    }
    assert Registration.objects.filter(created_at__gt=F("seminar__starts_at")).count() == 0
    assert Registration.objects.filter(created_at__gt=timezone.now()).count() == 0
    emails = Registration.objects.values_list("email", flat=True)
    assert [email for email in emails if email != email.lower()] == []
    assert Registration.objects.values("token").distinct().count() == 5000
    assert {len(token) for token in Registration.objects.values_list("token", flat=True)} == {43}
    assert [
        token
        for token, digest in Registration.objects.values_list("token", "token_digest")
        if registration_token_digest(token) != digest
    ] == []
    assert [
        (seminar.slug, seminar.confirmed_count)
        for seminar in seminars.with_registration_counts()
        if seminar.capacity is not None and seminar.confirmed_count > seminar.capacity
    ] == []

    for model in [Talk, Workshop]:
        outside = model.objects.filter(
            Q(starts_at__lt=F("seminar__starts_at")) | Q(ends_at__gt=F("seminar__ends_at"))
        )
        assert list(outside) == []
    assert Talk.objects.filter(speaker_links__isnull=True).count() == 0
    assert Workshop.objects.filter(facilitator_links__isnull=True).count() == 0
    for links, item in [(TalkSpeaker, "talk"), (WorkshopFacilitator, "workshop")]:
        positions = {}
        for item_id, position in links.objects.order_by("position").values_list(item, "position"):
            positions.setdefault(item_id, []).append(position)
        assert [ranks for ranks in positions.values() if ranks != list(range(len(ranks)))] == []

    for series in Series.objects.all():
        in_order = series.seminars.order_by("starts_at")
        assert in_order.values("starts_at__date").distinct().count() == in_order.count()
        assert list(in_order.values_list("number", flat=True)) == list(
            range(1, in_order.count() + 1)
        )

    assert Recap.objects.filter(authors__isnull=True).count() == 0
    assert Recap.objects.filter(seminar__starts_at__gt=timezone.now()).count() == 0
    assert Person.objects.filter(roles__isnull=True).count() == 0
    assert set(Person.roles.through.objects.values_list("role", flat=True)) <= set(
        Role.objects.values_list("pk", flat=True)
    )


def test_seed_scale_data_is_varied_like_real_data():
    seed()

    assert set(Seminar.objects.values_list("status", flat=True)) == set(Seminar.Status.values)
    assert Seminar.objects.upcoming().count() == 1
    assert Seminar.objects.past().count() == 14
    assert set(Registration.objects.values_list("status", flat=True)) == set(
        Registration.Status.values
    )
    assert set(Talk.objects.values_list("kind", flat=True)) == set(Talk.Kind.values)
    # One recap in twenty is a draft, from the twentieth on: none at this scale.
    assert set(Recap.objects.values_list("status", flat=True)) == {Recap.Status.PUBLISHED}
    assert set(Person.objects.values_list("show_roles", flat=True)) == {True, False}
    assert set(Person.objects.values_list("is_listed", flat=True)) == {True, False}
    assert Seminar.objects.values("title").distinct().count() == 15
    assert Person.objects.values("name").distinct().count() > 200
    generated = "Generated by `manage.py seed_scale`"
    assert Person.objects.exclude(bio__startswith=generated).exists() is False


def snapshot():
    """Everything seed_scale stores, without the ids and tokens that differ from run to run."""
    return {
        "series": list(Series.objects.order_by("slug").values("title", "slug", "funder")),
        "venues": list(Venue.objects.order_by("name").values("name", "address", "postcode")),
        "people": list(
            Person.objects.order_by("slug").values(
                "name", "slug", "affiliation", "email", "show_roles", "is_listed"
            )
        ),
        "roles": sorted(Person.roles.through.objects.values_list("person__slug", "role__slug")),
        "seminars": list(
            Seminar.objects.order_by("slug").values(
                "slug",
                "series__slug",
                "number",
                "title",
                "starts_at",
                "ends_at",
                "venue__name",
                "status",
                "capacity",
                "registration_closes_at",
            )
        ),  # fmt: skip
        "talks": list(
            Talk.objects.order_by("seminar__slug", "slug").values(
                "seminar__slug", "slug", "title", "kind", "starts_at", "ends_at"
            )
        ),
        "workshops": list(
            Workshop.objects.order_by("seminar__slug", "slug").values(
                "seminar__slug", "slug", "starts_at", "capacity"
            )
        ),
        "speakers": sorted(
            TalkSpeaker.objects.values_list(
                "talk__seminar__slug", "talk__slug", "person__slug", "position"
            )
        ),
        "facilitators": sorted(
            WorkshopFacilitator.objects.values_list(
                "workshop__seminar__slug", "workshop__slug", "person__slug", "position"
            )
        ),
        "recaps": list(
            Recap.objects.order_by("slug").values("slug", "seminar__slug", "status", "published_at")
        ),
        "authors": sorted(Recap.authors.through.objects.values_list("recap__slug", "person__slug")),
        "registrations": list(
            Registration.objects.order_by("seminar__slug", "email").values(
                "seminar__slug",
                "name",
                "email",
                "organisation",
                "role__slug",
                "attendance",
                "status",
                "created_at",
                "cancelled_at",
                "reminder_sent_at",
            )
        ),  # fmt: skip
    }


def test_seed_scale_makes_the_same_data_from_the_same_seed():
    seed("--seed", "7")
    first = snapshot()
    first_tokens = set(Registration.objects.values_list("token", flat=True))

    seed("--seed", "7", "--replace")
    again = snapshot()
    seed("--seed", "8", "--replace")
    other = snapshot()

    assert again == first
    assert other["seminars"] != first["seminars"]
    assert other["registrations"] != first["registrations"]
    # Tokens are secrets: never derived from the seed.
    assert first_tokens.isdisjoint(Registration.objects.values_list("token", flat=True))


def test_seed_scale_refuses_to_seed_twice_without_replace():
    seed()

    with pytest.raises(CommandError, match="already holds seed_scale data.*--replace"):
        seed()

    assert stored_counts() == COUNTS_AT_SCALE


def hand_made_data():
    """One of each, by hand, with a series whose slug starts "scale-" for good measure."""
    series = SeriesFactory(title="Scale up together")
    seminar = SeminarFactory(series=series, venue=VenueFactory(name="Guildhall"))
    person = PersonFactory(name="Ann Example")
    TalkFactory(seminar=seminar, speakers=[person])
    WorkshopFactory(seminar=seminar, facilitators=[person])
    RecapFactory(seminar=seminar, authors=[person])
    RegistrationFactory(seminar=seminar, email="ann@example.org")


SEED_MARK = re.compile(r"seed-scale-|\(seed_scale venue\)")


def without_seed_data(stored):
    return {
        name: [row for row in rows if not SEED_MARK.search(str(row))]
        for name, rows in stored.items()
    }


def test_seed_scale_replace_deletes_only_earlier_seed_data():
    hand_made_data()
    seed()
    # Someone chose a generated venue for a seminar of their own: the venue stays.
    kept_venue = Venue.objects.filter(name__endswith="(seed_scale venue)").first()
    hand_made_series = Series.objects.get(slug="scale-up-together")
    at_kept_venue = SeminarFactory(series=hand_made_series, venue=kept_venue)
    before = snapshot()

    seed("--replace")

    assert without_seed_data(snapshot()) == without_seed_data(before)
    assert {name: len(rows) for name, rows in without_seed_data(before).items()} == {
        "series": 1, "venues": 1, "people": 1, "roles": 0, "seminars": 1, "talks": 1,
        "workshops": 1, "speakers": 1, "facilitators": 1, "recaps": 1, "authors": 1,
        "registrations": 1,
    }  # fmt: skip
    assert Seminar.objects.get(pk=at_kept_venue.pk).venue == kept_venue
    hand_made = {"series": 1, "venues": 2, "seminars": 2}
    assert stored_counts() == {
        name: count + hand_made.get(name, 1) for name, count in COUNTS_AT_SCALE.items()
    }


def seed_person():
    return Person.objects.filter(slug__startswith="seed-scale-").first()


@pytest.mark.parametrize(
    ("tie", "problem"),
    [
        (
            lambda: TalkFactory(speakers=[seed_person()]),
            "its people are on other seminars' programmes",
        ),
        (
            lambda: RecapFactory(seminar=Seminar.objects.filter(slug__startswith="seed-scale-")[0]),
            "other recaps are about its seminars",
        ),
        (
            lambda: SeminarFactory(
                series=Series.objects.get(slug__startswith="seed-scale-"), number=99
            ),
            "other seminars belong to its series",
        ),
    ],
)
def test_seed_scale_replace_refuses_while_other_data_is_tied_to_seed_data(tie, problem):
    seed()
    tie()
    counts = stored_counts()

    with pytest.raises(CommandError, match=re.escape(problem)):
        seed("--replace")

    assert stored_counts() == counts
