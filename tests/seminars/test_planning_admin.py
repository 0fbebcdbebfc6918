"""Planning a seminar in fewer steps: a new seminar's series and number filled in, the end's
date taken from the start's, a new venue typed on the seminar's form, and "Save and publish"
(seminars, then the organisers' page; for recaps see test_recap_admin)."""

import datetime as dt

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from seminars.models import Seminar, Venue
from tests.factories import (
    RegistrationFactory,
    SeminarFactory,
    SeriesFactory,
    UserFactory,
    VenueFactory,
)
from tests.html import form_data, page, texts

pytestmark = pytest.mark.django_db

ADD = reverse("admin:seminars_seminar_add")
DAY = timezone.localdate() + dt.timedelta(days=20)
NO_ROWS = {
    f"{prefix}-{name}": value
    for prefix in ["talks", "workshops", "breaks"]
    for name, value in [
        ("TOTAL_FORMS", "0"),
        ("INITIAL_FORMS", "0"),
        ("MIN_NUM_FORMS", "0"),
        ("MAX_NUM_FORMS", "1000"),
    ]
}


def change_url(seminar):
    return reverse("admin:seminars_seminar_change", args=[seminar.pk])


def organisers_page(seminar):
    return reverse("admin:seminars_seminar_organiser_page", args=[seminar.pk])


def new_seminar(**changes):
    """What the add page posts for a seminar 10:00 to 16:00 on `DAY`, the end's date left
    empty, with no programme."""
    return {
        "series": SeriesFactory().pk,
        "number": "1",
        "title": "Sharing power",
        "slug": "sharing-power",
        "status": "draft",
        "starts_at_0": DAY.isoformat(),
        "starts_at_1": "10:00",
        "ends_at_0": "",
        "ends_at_1": "16:00",
        "waitlist_cutoff_hours": "24",
        **NO_ROWS,
        **changes,
    }


def errors(response):
    return response.context["adminform"].form.errors


def test_a_new_seminar_follows_the_last_one_added_in_its_series(organiser_client):
    SeminarFactory(series=SeriesFactory(title="Other series"), number=9)
    series = SeriesFactory(title="Co-production")
    SeminarFactory(series=series, number=3)
    SeminarFactory(series=series, number=4, days_from_now=-100)  # added last, held earlier

    form = page(organiser_client.get(ADD)).select_one("#seminar_form")

    assert (form_data(form)["series"], form_data(form)["number"]) == ([str(series.pk)], ["5"])


def test_the_only_series_is_chosen_for_the_first_seminar(organiser_client):
    series = SeriesFactory()

    data = form_data(page(organiser_client.get(ADD)).select_one("#seminar_form"))

    assert (data["series"], data["number"]) == ([str(series.pk)], ["1"])


def test_with_several_series_and_no_seminar_none_is_chosen(organiser_client):
    SeriesFactory.create_batch(2)

    data = form_data(page(organiser_client.get(ADD)).select_one("#seminar_form"))

    assert (data["series"], data["number"]) == ([""], [""])


def test_an_end_without_a_date_is_on_the_starts_day(organiser_client):
    response = organiser_client.post(ADD, new_seminar())

    assert response.status_code == 302
    seminar = Seminar.objects.get()
    assert timezone.localtime(seminar.ends_at) == timezone.make_aware(
        dt.datetime.combine(DAY, dt.time(16))
    )


def test_an_end_date_typed_is_kept(organiser_client):
    response = organiser_client.post(ADD, new_seminar(ends_at_0=DAY.isoformat()))

    assert response.status_code == 302
    assert timezone.localtime(Seminar.objects.get().ends_at).date() == DAY


def test_an_end_time_without_any_date_is_refused_as_the_start_is(organiser_client):
    response = organiser_client.post(ADD, new_seminar(starts_at_0=""))

    assert response.status_code == 200
    assert (errors(response)["starts_at"], errors(response)["ends_at"]) == (
        ["This field is required."],
        ["This field is required."],
    )
    assert Seminar.objects.count() == 0


NEW_VENUE = {
    "new_venue_name": "Friends Meeting House",
    "new_venue_address": "6 Mount Street",
    "new_venue_city": "Manchester",
    "new_venue_postcode": "M2 5NS",
}


def test_a_new_venue_typed_on_the_form_is_saved_as_the_seminars(organiser_client, organiser):
    response = organiser_client.post(ADD, new_seminar(**NEW_VENUE))

    assert response.status_code == 302
    venue = Seminar.objects.get().venue
    assert (venue.name, venue.address, venue.city, venue.postcode) == (
        "Friends Meeting House",
        "6 Mount Street",
        "Manchester",
        "M2 5NS",
    )
    assert LogEntry.objects.filter(
        object_id=str(venue.pk), action_flag=ADDITION, user=organiser
    ).exists()


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        (
            {"venue": "chosen"},
            "new_venue_name",
            "Choose a venue from the list or add a new one here, not both: empty one.",
        ),
        (
            {"new_venue_name": "", "new_venue_city": "Manchester"},
            "new_venue_name",
            "Give the new venue a name.",
        ),
        (
            {"new_venue_name": "friends meeting house", "new_venue_city": "MANCHESTER"},
            "new_venue_name",
            "“Friends Meeting House, Manchester” is already in the list: choose it under Venue.",
        ),
        (
            {"new_venue_city": "Man\nchester"},
            "new_venue_city",
            "Enter this on one line: line breaks and control characters cannot be used here.",
        ),
    ],
)
def test_a_new_venue_is_refused_with_the_reason_by_its_field(
    organiser_client, posted, field, message
):
    existing = VenueFactory(name="Friends Meeting House", city="Manchester")
    if posted.get("venue") == "chosen":
        posted = {**posted, "venue": existing.pk}

    response = organiser_client.post(ADD, new_seminar(**{**NEW_VENUE, **posted}))

    assert response.status_code == 200
    assert errors(response)[field] == [message]
    assert (Seminar.objects.count(), Venue.objects.count()) == (0, 1)


def test_staff_who_may_not_add_venues_are_not_offered_a_new_one(client):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(codename__in=["add_seminar", "view_seminar", "view_venue"])
    )
    client.force_login(staff)

    soup = page(client.get(ADD))
    response = client.post(ADD, new_seminar(**NEW_VENUE))

    assert soup.select("#id_new_venue_name") == []
    assert response.status_code == 302
    assert (Seminar.objects.get().venue, Venue.objects.count()) == (None, 0)


def test_a_new_venue_for_a_published_seminar_asks_before_emailing_and_names_it(
    organiser_client,
):
    seminar = SeminarFactory(
        title="Sharing power", venue__name="Old Hall", venue__city="", venue__postcode=""
    )
    RegistrationFactory(seminar=seminar)
    data = form_data(page(organiser_client.get(change_url(seminar))).select_one("#seminar_form"))

    response = organiser_client.post(change_url(seminar), {**data, "venue": "", **NEW_VENUE})

    # Asked first, and nothing saved: not even the venue.
    question = page(response)
    assert texts(question, "#notice-changes li") == [
        "Venue: was Old Hall, now Friends Meeting House, Manchester, M2 5NS"
    ]
    assert Venue.objects.filter(name="Friends Meeting House").count() == 0
    confirmed = form_data(question.select_one("#content-main form"))
    response = organiser_client.post(
        change_url(seminar), {**confirmed, "_notice-decision": "email"}
    )
    assert response.status_code == 302
    seminar.refresh_from_db()
    assert str(seminar.venue) == "Friends Meeting House, Manchester"
    assert seminar.changes.get().summary_lines == [
        "Venue: was Old Hall, now Friends Meeting House, Manchester, M2 5NS"
    ]


def test_save_and_publish_publishes_a_new_seminar_and_opens_its_organisers_page(
    organiser_client,
):
    response = organiser_client.post(ADD, new_seminar(_publish="Save and publish"))

    seminar = Seminar.objects.get()
    assert (response.status_code, response.url) == (302, organisers_page(seminar))
    assert seminar.status == Seminar.Status.PUBLISHED
    message = page(organiser_client.get(response.url)).select_one(".messagelist li")
    assert message.get_text() == (
        "“Sharing power” is published: see its page. Registrations will show here."
    )
    assert message.a["href"] == seminar.get_absolute_url()


def test_save_and_publish_is_offered_on_drafts_only(organiser_client):
    draft = SeminarFactory(status=Seminar.Status.DRAFT)
    published = SeminarFactory()

    def buttons(url):
        return [
            button["value"]
            for button in page(organiser_client.get(url)).select(".submit-row input[type=submit]")
        ]

    assert buttons(ADD).count("Save and publish") == 2  # at the top and at the bottom
    assert buttons(change_url(draft)).count("Save and publish") == 2
    assert "Save and publish" not in buttons(change_url(published))


def test_a_draft_sent_back_with_errors_still_offers_save_and_publish(organiser_client):
    draft = SeminarFactory(status=Seminar.Status.DRAFT)
    data = form_data(page(organiser_client.get(change_url(draft))).select_one("#seminar_form"))

    response = organiser_client.post(
        change_url(draft), {**data, "title": "", "_publish": "Save and publish"}
    )

    assert errors(response)["title"] == ["This field is required."]
    buttons = page(response).select(".submit-row input[name=_publish]")
    assert [button["value"] for button in buttons] == ["Save and publish"] * 2
    draft.refresh_from_db()
    assert draft.status == Seminar.Status.DRAFT


def shown_status(response):
    """The status the re-shown form's select has chosen, as a browser would submit it."""
    return form_data(page(response).select_one("#seminar_form"))["status"]


def test_a_draft_sent_back_with_errors_after_save_and_publish_still_shows_draft(
    organiser_client,
):
    draft = SeminarFactory(status=Seminar.Status.DRAFT)
    data = form_data(page(organiser_client.get(change_url(draft))).select_one("#seminar_form"))

    response = organiser_client.post(
        change_url(draft), {**data, "title": "", "_publish": "Save and publish"}
    )

    assert errors(response)["title"] == ["This field is required."]
    assert shown_status(response) == ["draft"]
    # A plain "Save" from there saves it as the draft it was.
    data = form_data(page(response).select_one("#seminar_form"))
    organiser_client.post(change_url(draft), {**data, "title": "Sharing power"})
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Sharing power", Seminar.Status.DRAFT)


def test_a_new_seminar_sent_back_with_errors_after_save_and_publish_shows_its_status(
    organiser_client,
):
    response = organiser_client.post(ADD, new_seminar(title="", _publish="Save and publish"))

    assert errors(response)["title"] == ["This field is required."]
    assert shown_status(response) == ["draft"]
    assert not Seminar.objects.exists()


def test_save_and_publish_publishes_a_saved_draft_with_its_changes(organiser_client):
    draft = SeminarFactory(status=Seminar.Status.DRAFT, title="Sharing power")
    data = form_data(page(organiser_client.get(change_url(draft))).select_one("#seminar_form"))

    response = organiser_client.post(
        change_url(draft), {**data, "title": "Sharing power, again", "_publish": "Save and publish"}
    )

    assert (response.status_code, response.url) == (302, organisers_page(draft))
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Sharing power, again", Seminar.Status.PUBLISHED)


def test_save_and_publish_without_seeing_registrations_goes_to_the_list(client):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(codename__in=["add_seminar", "change_seminar", "view_seminar"])
    )
    client.force_login(staff)

    response = client.post(ADD, new_seminar(_publish="Save and publish"))

    assert (response.status_code, response.url) == (
        302,
        reverse("admin:seminars_seminar_changelist"),
    )
    assert Seminar.objects.get().status == Seminar.Status.PUBLISHED
