"""The programme on a seminar's admin page: times on the seminar's day (typed once, checked
against its hours, in UK time on both sides of a clock change), breaks, the day as one
timeline, and a "+" to add a person from a talk or workshop row."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from seminars.models import Break, Seminar, Talk
from tests.factories import (
    PersonFactory,
    SeminarFactory,
    SeriesFactory,
    TalkFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.html import form_data, page, page_with_status, text, texts

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
# British Summer Time starts on Sunday 28 March 2027: the Monday after is an hour ahead of UTC.
SUMMER = dt.date(2027, 3, 29)
WINTER = dt.date(2027, 1, 11)
ADD = reverse("admin:seminars_seminar_add")


def _management_form(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _new_seminar(day, *, talk=("10:30", "11:15"), lunch=("12:30", "13:30")):
    """What the add page posts: a seminar 10:00 to 16:00 on `day`, a talk and a lunch break,
    their times typed as times only."""
    return {
        "series": SeriesFactory().pk,
        "number": "1",
        "title": "Sharing power",
        "slug": "sharing-power",
        "status": "draft",
        "starts_at_0": day.isoformat(),
        "starts_at_1": "10:00",
        "ends_at_0": day.isoformat(),
        "ends_at_1": "16:00",
        "waitlist_cutoff_hours": "24",
        **_management_form("talks", 1),
        "talks-0-title": "Whose knowledge?",
        "talks-0-slug": "whose-knowledge",
        "talks-0-kind": "talk",
        "talks-0-starts_at": talk[0],
        "talks-0-ends_at": talk[1],
        **_management_form("workshops"),
        **_management_form("breaks", 1),
        "breaks-0-title": "Lunch",
        "breaks-0-starts_at": lunch[0],
        "breaks-0-ends_at": lunch[1],
    }


def _row_errors(response):
    return {
        formset.formset.prefix: [dict(errors) for errors in formset.formset.errors]
        for formset in response.context["inline_admin_formsets"]
    }


@pytest.mark.parametrize(
    ("day", "talk_starts_utc"),
    [
        (SUMMER, dt.datetime(2027, 3, 29, 9, 30, tzinfo=UTC)),
        (WINTER, dt.datetime(2027, 1, 11, 10, 30, tzinfo=UTC)),
    ],
)
def test_programme_times_are_typed_once_on_the_seminars_day_in_uk_time(
    organiser_client, day, talk_starts_utc
):
    response = organiser_client.post(ADD, _new_seminar(day))

    assert response.status_code == 302
    seminar = Seminar.objects.get()
    talk, lunch = seminar.talks.get(), seminar.breaks.get()
    assert talk.starts_at == talk_starts_utc
    assert [
        (item.starts_at.astimezone(LONDON).date(), f"{item.starts_at.astimezone(LONDON):%H:%M}")
        for item in (talk, lunch)
    ] == [(day, "10:30"), (day, "12:30")]
    assert (lunch.title, lunch.ends_at.astimezone(LONDON).time()) == ("Lunch", dt.time(13, 30))


@pytest.mark.parametrize(
    ("day", "hours"),
    [
        (SUMMER, "10:00 to 16:00 on Monday 29 March 2027"),
        (WINTER, "10:00 to 16:00 on Monday 11 January 2027"),
    ],
)
def test_programme_items_outside_the_seminars_hours_are_refused_naming_the_hours(
    organiser_client, day, hours
):
    response = organiser_client.post(
        ADD, _new_seminar(day, talk=("09:30", "10:30"), lunch=("15:30", "16:30"))
    )

    runs = f"The seminar runs from {hours} (UK time)"
    assert response.status_code == 200
    assert _row_errors(response) == {
        "talks": [{"starts_at": [f"{runs}: this talk must start within those hours."]}],
        "workshops": [],
        "breaks": [{"ends_at": [f"{runs}: this break must end within those hours."]}],
    }
    assert texts(page(response), ".inline-group .errorlist li") == [
        f"{runs}: this talk must start within those hours.",
        f"{runs}: this break must end within those hours.",
    ]
    assert (Seminar.objects.count(), Talk.objects.count(), Break.objects.count()) == (0, 0, 0)


def test_talk_page_refuses_a_talk_dated_a_year_before_its_seminar(organiser_client):
    seminar = SeminarFactory(
        starts_at=dt.datetime.combine(SUMMER, dt.time(10), LONDON),
        ends_at=dt.datetime.combine(SUMMER, dt.time(16), LONDON),
    )
    talk = TalkFactory(seminar=seminar, title="Whose knowledge?")
    url = reverse("admin:seminars_talk_change", args=[talk.pk])
    data = form_data(page(organiser_client.get(url)).select_one("#talk_form"))
    data.update({"starts_at_0": "29/03/2026", "ends_at_0": "29/03/2026"})

    response = organiser_client.post(url, data)

    runs = "The seminar runs from 10:00 to 16:00 on Monday 29 March 2027 (UK time)"
    assert response.context["adminform"].form.errors == {
        "starts_at": [f"{runs}: this talk must start within those hours."],
        "ends_at": [f"{runs}: this talk must end within those hours."],
    }
    talk.refresh_from_db()
    assert talk.starts_at == seminar.starts_at


def test_moving_a_seminar_to_another_day_moves_its_programme(organiser_client):
    seminar = SeminarFactory(
        starts_at=dt.datetime.combine(WINTER, dt.time(10), LONDON),
        ends_at=dt.datetime.combine(WINTER, dt.time(16), LONDON),
    )
    TalkFactory(
        seminar=seminar,
        starts_at=dt.datetime.combine(WINTER, dt.time(10, 30), LONDON),
        ends_at=dt.datetime.combine(WINTER, dt.time(11, 15), LONDON),
    )
    Break.objects.create(
        seminar=seminar,
        title="Lunch",
        starts_at=dt.datetime.combine(WINTER, dt.time(12, 30), LONDON),
        ends_at=dt.datetime.combine(WINTER, dt.time(13, 30), LONDON),
    )
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    data = form_data(page(organiser_client.get(url)).select_one("#seminar_form"))
    data.update({"starts_at_0": "29/03/2027", "ends_at_0": "29/03/2027"})

    response = organiser_client.post(url, data)

    assert response.status_code == 302
    seminar.refresh_from_db()
    moved = [
        f"{item.starts_at.astimezone(LONDON):%Y-%m-%d %H:%M}"
        for item in [seminar.talks.get(), seminar.breaks.get()]
    ]
    assert moved == ["2027-03-29 10:30", "2027-03-29 12:30"]


def test_seminar_page_shows_the_whole_day_as_one_timeline(organiser_client):
    seminar = SeminarFactory(
        starts_at=dt.datetime.combine(WINTER, dt.time(10), LONDON),
        ends_at=dt.datetime.combine(WINTER, dt.time(16), LONDON),
    )
    at = lambda hour, minute=0: dt.datetime.combine(WINTER, dt.time(hour, minute), LONDON)  # noqa: E731
    WorkshopFactory(
        seminar=seminar,
        title="Mapping",
        room="Room 2",
        starts_at=at(13, 30),
        ends_at=at(15),
        facilitators=[PersonFactory(name="Cy Dee"), PersonFactory(name="Ed Eff")],
    )
    TalkFactory(
        seminar=seminar,
        title="Whose knowledge?",
        room="Main hall",
        starts_at=at(10, 15),
        ends_at=at(11),
        speakers=[PersonFactory(name="Ann Bee")],
    )
    Break.objects.create(seminar=seminar, title="Lunch", starts_at=at(12, 30), ends_at=at(13, 30))

    soup = page(organiser_client.get(reverse("admin:seminars_seminar_change", args=[seminar.pk])))

    assert text(soup, "#timeline h2") == "Timeline of the day"
    assert [texts(row, "td") for row in soup.select("#timeline tbody tr")] == [
        ["10:15–11:00", "Whose knowledge? (talk)", "Main hall", "Ann Bee"],
        ["12:30–13:30", "Lunch (break)", "", ""],
        ["13:30–15:00", "Mapping (workshop)", "Room 2", "Cy Dee, Ed Eff"],
    ]


def test_public_programme_shows_breaks_among_talks_and_workshops_in_time_order(client):
    seminar = SeminarFactory(slug="sharing-power")
    TalkFactory(seminar=seminar, title="Whose knowledge?")
    WorkshopFactory(seminar=seminar, title="Mapping")  # two hours in
    Break.objects.create(
        seminar=seminar,
        title="Coffee",
        starts_at=seminar.starts_at + dt.timedelta(hours=1),
        ends_at=seminar.starts_at + dt.timedelta(hours=1, minutes=15),
    )

    soup = page(client.get("/seminars/sharing-power/"))

    assert [
        texts(item, ".time, h3, .programme-break p:not(.time)")
        for item in soup.select("ol.programme > li")
    ] == [
        ["Whose knowledge?", "10:00 – 10:45"],
        ["Coffee", "11:00 – 11:15"],
        ["Mapping", "12:00 – 13:30"],
    ]


def test_programme_rows_offer_a_new_person_to_those_who_may_add_people(organiser_client):
    seminar = SeminarFactory()
    TalkFactory(seminar=seminar)
    WorkshopFactory(seminar=seminar)

    soup = page(organiser_client.get(reverse("admin:seminars_seminar_change", args=[seminar.pk])))

    add_person = f"{reverse('admin:people_person_add')}?_to_field=id&_popup=1"
    for row in ["talks-0", "workshops-0", "talks-__prefix__"]:
        link = soup.select_one(f"#add_id_{row}-people")
        assert (link["href"], link["title"]) == (add_person, "Add another person")


def test_programme_rows_offer_no_new_person_to_staff_who_may_not_add_people(client):
    planner = UserFactory(email="planner@example.org", is_staff=True)
    # Everything about seminars, and people to choose from, but not to add.
    planner.user_permissions.set(
        Permission.objects.filter(content_type__app_label="seminars")
        | Permission.objects.filter(content_type__app_label="people", codename="view_person")
    )
    client.force_login(planner)
    seminar = SeminarFactory()
    TalkFactory(seminar=seminar)

    soup = page(client.get(reverse("admin:seminars_seminar_change", args=[seminar.pk])))

    assert len(soup.select("#talks-group .field-people select")) == 2  # the row and a blank
    assert soup.select("#talks-group .field-people a.add-related") == []
    assert len(soup.select("#talks-group .field-themes a.add-related")) == 2


def test_a_break_must_end_after_it_starts(organiser_client):
    response = organiser_client.post(ADD, _new_seminar(WINTER, lunch=("13:30", "12:30")))

    assert _row_errors(response)["breaks"] == [{"__all__": ["A break must end after it starts."]}]
    page_with_status(response, 200)
    assert Seminar.objects.count() == 0


def test_speaker_still_edits_the_abstract_of_a_talk_saved_outside_the_seminars_hours(client):
    """The hours are checked where times are entered, not where a speaker edits words."""
    seminar = SeminarFactory()
    user = UserFactory(email="sam@example.org")
    speaker = PersonFactory(name="Sam Speaker", user=user, email=user.email)
    talk = TalkFactory(
        seminar=seminar,
        speakers=[speaker],
        starts_at=seminar.starts_at - dt.timedelta(days=365),
        ends_at=seminar.starts_at - dt.timedelta(days=365) + dt.timedelta(hours=1),
    )
    client.force_login(user)

    response = client.post(
        f"/profile/talks/{talk.pk}/", {"title": "Whose knowledge?", "abstract": "Power."}
    )

    assert response.status_code == 302
    talk.refresh_from_db()
    assert (talk.title, talk.abstract) == ("Whose knowledge?", "Power.")
