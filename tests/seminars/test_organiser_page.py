"""The seminar's page for organisers: the counts, access and dietary needs, the run sheet,
the sign-in sheet and badges (with nothing sensitive on them), the CSV, and who may see
them."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from seminars.exports import REGISTRATION_CSV_HEADER
from seminars.feedback.models import FeedbackRequest
from seminars.models import Break, Registration, TalkSpeaker
from seminars.notices.models import SeminarChange
from seminars.registrant_messages.models import RegistrantMessage
from seminars.subscriptions.models import SeminarNotice, Subscriber
from seminars.subscriptions.services import seminar_notice_send
from tests.factories import (
    AccessProvisionFactory,
    PersonFactory,
    RegistrationFactory,
    SeminarFactory,
    TalkFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.html import page, text, texts

pytestmark = pytest.mark.django_db

Status = Registration.Status
IN_PERSON, ONLINE = Registration.Attendance.IN_PERSON, Registration.Attendance.ONLINE


def page_url(seminar, part=""):
    return f"/admin/seminars/seminar/{seminar.pk}/organisers/{part}"


def subscribers(*emails):
    for email in emails:
        Subscriber.objects.create(email=email, confirmed_at=timezone.now())


@pytest.fixture
def seminar():
    """Ten places; a workshop; registrants with needs, wishes and companions."""
    seminar = SeminarFactory(
        title="Sharing power",
        slug="sharing-power",
        capacity=10,
        registration_opens_at=timezone.make_aware(dt.datetime(2026, 1, 5, 9)),
    )
    workshop = WorkshopFactory(seminar=seminar, title="Mapping support", capacity=6)
    ramp = AccessProvisionFactory(name="Step-free access")
    ann = RegistrationFactory(
        seminar=seminar,
        name="Ann Able",
        email="ann@example.org",
        pronouns="she/her",
        organisation="Leeds Mind",
        with_companion=True,
        workshop=workshop,
        access_requirements="A seat near the door.",
        access_request_status="contacted",
        access_note="Called on Monday.",
        dietary_requirements="Vegan",
    )
    ann.access_needs.add(ramp)
    RegistrationFactory(
        seminar=seminar,
        name="bea bold",
        email="bea@example.org",
        pronouns="they/them",
        do_not_photograph=True,
        dietary_requirements="No nuts",
        attended_at=timezone.now(),
    )
    RegistrationFactory(
        seminar=seminar, name="Wai Ting", status=Status.WAITLISTED, dietary_requirements="Halal"
    )
    RegistrationFactory(
        seminar=seminar, name="Cal Cancelled", status=Status.CANCELLED, dietary_requirements="X"
    )
    RegistrationFactory(name="Other Seminar", dietary_requirements="Kosher")
    return seminar


def test_the_seminar_admin_and_its_list_link_to_the_organisers_page(organiser_client, seminar):
    change = page(organiser_client.get(f"/admin/seminars/seminar/{seminar.pk}/change/"))
    [link] = change.select(".object-tools a[href$='/organisers/']")
    assert (link.get_text(strip=True), link["href"]) == (
        "Seminar page for organisers",
        page_url(seminar),
    )

    changelist = page(organiser_client.get("/admin/seminars/seminar/"))
    [places] = changelist.select(f".field-places a[href='{page_url(seminar)}']")
    assert (places.get_text(strip=True), places["href"]) == (
        "3 of 10 (1 companion) · 1 waiting",
        page_url(seminar),
    )


def test_the_page_counts_registrations_places_arrivals_and_emails(organiser_client, seminar):
    SeminarChange.objects.create(
        seminar=seminar, kind="changed", summary="Time", notified_count=3, sequence=1
    )
    SeminarChange.objects.create(
        seminar=seminar, kind="changed", summary="Room", emailed=False, notified_count=0,
        sequence=2,
    )  # fmt: skip
    RegistrantMessage.objects.create(
        seminar=seminar, subject="Parking", body="…", audience="all", recipient_count=4
    )
    Registration.objects.filter(name="Ann Able").update(reminder_sent_at=timezone.now())
    # Announced before registration opened (it opens on 5 January), then told it opened,
    # by which time one more person had subscribed.
    subscribers("sam@example.org", "sol@example.org")
    published = timezone.make_aware(dt.datetime(2026, 1, 2, 9))
    seminar_notice_send(seminar=seminar, kind=SeminarNotice.Kind.PUBLISHED, now=published)
    subscribers("sky@example.org")
    opened = timezone.make_aware(dt.datetime(2026, 1, 5, 9))
    seminar_notice_send(seminar=seminar, kind=SeminarNotice.Kind.REGISTRATION_OPEN, now=opened)
    # Feedback: bea was emailed the form; Ann's request holds no email; another seminar's.
    FeedbackRequest.objects.create(
        registration=Registration.objects.get(name="bea bold"), emailed_at=timezone.now()
    )
    FeedbackRequest.objects.create(registration=Registration.objects.get(name="Ann Able"))
    FeedbackRequest.objects.create(
        registration=Registration.objects.get(name="Other Seminar"), emailed_at=timezone.now()
    )

    soup = page(organiser_client.get(page_url(seminar)))

    assert text(soup, "h1") == "Sharing power: page for organisers"
    assert texts(soup, "#registrations tbody th") == [
        "Confirmed", "Waiting", "Cancelled", "Places left", "Arrived", "Registration",
        "Emails sent",
    ]  # fmt: skip
    assert texts(soup, "#registrations > table:first-of-type tbody > tr > td")[:-1] == [
        "2 + 1 companion",
        "1",
        "1",
        "7",
        "1",
        "Opens 5 Jan 2026, 09:00; closes when the seminar starts",
    ]
    assert texts(soup, "#emails-sent li") == [
        "1 reminder before the day",
        "3 about changes",
        "4 in messages to registrants",
        "1 asking for feedback after the day",
        "2 to subscribers announcing the seminar",
        "3 to subscribers when registration opened",
    ]
    assert texts(soup, "#workshops tbody tr") == ["Mapping support 1 6"]


def test_a_seminar_announced_with_registration_open_counts_that_one_email_once(
    organiser_client, seminar
):
    subscribers("sam@example.org", "sol@example.org")
    seminar_notice_send(seminar=seminar, kind=SeminarNotice.Kind.PUBLISHED)

    soup = page(organiser_client.get(page_url(seminar)))

    assert sorted(seminar.subscriber_notices.values_list("kind", "recipient_count")) == [
        ("published", 2),
        ("registration_open", 2),
    ]
    assert texts(soup, "#emails-sent li") == [
        "0 reminders before the day",
        "0 about changes",
        "0 in messages to registrants",
        "0 asking for feedback after the day",
        "2 to subscribers announcing the seminar, with registration open",
    ]


def test_the_page_lists_access_requests_and_dietary_needs_for_planning(organiser_client, seminar):
    soup = page(organiser_client.get(page_url(seminar)))

    assert texts(soup, "#access tbody tr") == [
        "Ann Able + companion Step-free access A seat near the door. Contacted Called on Monday."
    ]
    assert text(soup, "#dietary-count") == (
        "Catering for 3 people in the room (2 + 1 companion): 2 with dietary requirements."
    )
    assert text(soup, "#dietary-waiting") == (
        "Waiting for a place in the room, should they move up: 1 more person, 1 with dietary "
        "requirements."
    )
    assert texts(soup, "#dietary tbody tr") == [
        "Ann Able + companion Vegan",
        "bea bold No nuts",
        "Wai Ting (on the waiting list) Halal",
    ]


@pytest.fixture
def hybrid():
    """Four places in the room and ten online; people in each, waiting for each, with
    companions and dietary requirements."""
    seminar = SeminarFactory(
        title="Both ways", capacity=4, online_url="https://meet.example.org/both",
        online_capacity=10,
    )  # fmt: skip
    for name, attendance, status, fields in [
        ("Rae Room", IN_PERSON, Status.CONFIRMED, {"with_companion": True,
                                                   "dietary_requirements": "Vegetarian"}),
        ("Ray Room", IN_PERSON, Status.CONFIRMED, {}),
        ("Ola Online", ONLINE, Status.CONFIRMED, {"dietary_requirements": "Gluten-free"}),
        ("Oli Online", ONLINE, Status.CONFIRMED, {}),
        ("Wyn Waiting", IN_PERSON, Status.WAITLISTED, {"with_companion": True,
                                                       "dietary_requirements": "No dairy"}),
        ("Will Waiting", ONLINE, Status.WAITLISTED, {"dietary_requirements": "Halal"}),
        ("Cai Cancelled", IN_PERSON, Status.CANCELLED, {"dietary_requirements": "Vegan"}),
    ]:  # fmt: skip
        RegistrationFactory(
            seminar=seminar, name=name, attendance=attendance, status=status, **fields
        )
    return seminar


def test_a_hybrid_seminar_counts_places_in_the_room_and_online(organiser_client, hybrid):
    soup = page(organiser_client.get(page_url(hybrid)))

    assert hybrid.is_hybrid
    rows = soup.select("#registrations > table:first-of-type tbody > tr")
    assert [
        (text(row, "th"), text(row, "td")) for row in rows if text(row, "th") != "Emails sent"
    ] == [
        ("Confirmed", "4 + 1 companion"),
        ("In person", "2"),
        ("Online", "2"),
        ("Waiting", "2"),
        ("Cancelled", "1"),
        ("Places left (in person)", "1"),
        ("Places left (online)", "8"),
        ("Arrived", "0"),
        ("Registration", "Open once published; closes when the seminar starts"),
    ]


def test_a_hybrid_seminar_caters_for_the_room_only(organiser_client, hybrid):
    soup = page(organiser_client.get(page_url(hybrid)))

    assert text(soup, "#dietary-count") == (
        "Catering for 3 people in the room (2 + 1 companion): 1 with dietary requirements."
    )
    assert text(soup, "#dietary-waiting") == (
        "Waiting for a place in the room, should they move up: 2 more people (1 + 1 "
        "companion), 1 with dietary requirements."
    )
    assert texts(soup, "#dietary tbody tr") == [
        "Rae Room + companion Vegetarian",
        "Wyn Waiting (on the waiting list) + companion No dairy",
    ]


def test_an_online_seminar_has_no_catering(organiser_client):
    seminar = SeminarFactory(venue=None, online_url="https://meet.example.org/online")
    RegistrationFactory(seminar=seminar, attendance=ONLINE, dietary_requirements="Vegan")

    soup = page(organiser_client.get(page_url(seminar)))

    assert text(soup, "#dietary-count") == "An online seminar: no catering."
    assert texts(soup, "#dietary tbody tr") == []


def test_the_run_sheet_shows_rooms_people_breaks_and_their_wishes(organiser_client, seminar):
    ada, bo = PersonFactory(name="Ada Lovelace"), PersonFactory(name="Bo Quiet")
    talk = TalkFactory(seminar=seminar, title="Whose knowledge?", room="Room 2", speakers=[ada])
    TalkSpeaker.objects.create(
        talk=talk, person=bo, position=1, do_not_record=True, do_not_photograph=True
    )
    Break.objects.create(
        seminar=seminar,
        title="Coffee",
        starts_at=seminar.starts_at + dt.timedelta(minutes=45),
        ends_at=seminar.starts_at + dt.timedelta(minutes=60),
    )

    soup = page(organiser_client.get(page_url(seminar)))

    assert texts(soup, "#run-sheet tbody tr") == [
        "10:00–10:45 Whose knowledge? (talk) Room 2 Ada Lovelace, Bo Quiet "
        "Not recorded — asked by Bo Quiet. No photographs of Bo Quiet.",
        "10:45–11:00 Coffee (break)",
        "12:00–13:30 Mapping support (workshop) —",
    ]


def test_the_sign_in_sheet_lists_people_in_the_room_with_nothing_sensitive(
    organiser_client, seminar
):
    response = organiser_client.get(page_url(seminar, "sign-in-sheet/"))
    soup = page(response)

    assert texts(soup, ".sign-in-sheet tbody tr") == [
        "Ann Able + companion Leeds Mind",
        "bea bold ⊘ Not to be photographed",
    ]
    assert text(soup, "#photo-key") == (
        "Key: ⊘ beside a name: this person asked not to be photographed."
    )
    content = response.content.decode()
    for sensitive in ["ann@example.org", "bea@example.org", "Vegan", "No nuts", "A seat near",
                      "Step-free", "Called on Monday", "Wai Ting"]:  # fmt: skip
        assert sensitive not in content
    # Pronouns are for the badges people wear, not for a list on a table.
    assert "she/her" not in content and "they/them" not in content


def test_the_badges_show_name_pronouns_and_organisation_only(organiser_client, seminar):
    RegistrationFactory(seminar=seminar, name="Cy Cole", organisation="Peer Network")
    response = organiser_client.get(page_url(seminar, "badges/"))
    soup = page(response)

    assert [
        [part.get_text(strip=True) for part in badge.find_all("span")]
        for badge in soup.select(".badge")
    ] == [
        ["Ann Able", "she/her", "Leeds Mind", "Sharing power"],
        ["bea bold", "they/them", "Sharing power"],
        ["Cy Cole", "Peer Network", "Sharing power"],
    ]
    assert texts(soup, ".badge-pronouns") == ["she/her", "they/them"]
    content = response.content.decode()
    for sensitive in ["ann@example.org", "Vegan", "A seat near", "Step-free", "Wai Ting"]:
        assert sensitive not in content


def test_the_csv_is_named_after_the_seminar_with_all_its_registrations(organiser_client, seminar):
    response = organiser_client.get(page_url(seminar, "registrations.csv"))

    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == 'attachment; filename="registrations-sharing-power.csv"'
    )
    assert response.content.startswith("\ufeff".encode())
    header, *rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    assert header == REGISTRATION_CSV_HEADER
    # Name, then pronouns and organisation (the email between is left out here).
    assert [[row[1], *row[3:5]] for row in rows] == [
        ["Ann Able", "she/her", "Leeds Mind"],
        ["bea bold", "they/them", ""],
        ["Wai Ting", "", ""],
        ["Cal Cancelled", "", ""],
    ]


@pytest.mark.parametrize("part", ["", "sign-in-sheet/", "badges/", "registrations.csv"])
def test_only_staff_allowed_to_see_registrations_may_open_the_pages(client, seminar, part):
    response = client.get(page_url(seminar, part))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")

    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(page_url(seminar, part)).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="view_seminar"))
    staff = type(staff).objects.get(pk=staff.pk)
    client.force_login(staff)
    # Seeing seminars is not enough: the pages list registrants and their needs.
    assert client.get(page_url(seminar, part)).status_code == 403


def test_a_missing_seminar_goes_back_to_the_list(organiser_client):
    response = organiser_client.get("/admin/seminars/seminar/999999/organisers/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")


@pytest.mark.parametrize("count", [1, 60])
def test_the_page_runs_the_same_queries_for_1_and_many_registrants(
    organiser_client, django_assert_num_queries, count
):
    seminar = SeminarFactory(capacity=300)
    WorkshopFactory(seminar=seminar)
    TalkFactory(seminar=seminar, speakers=[PersonFactory()])
    need = AccessProvisionFactory()
    for registration in RegistrationFactory.create_batch(
        count, seminar=seminar, dietary_requirements="Vegan", access_requirements="Ramp"
    ):
        registration.access_needs.add(need)
        FeedbackRequest.objects.create(registration=registration, emailed_at=timezone.now())
    subscribers("sam@example.org")
    seminar_notice_send(seminar=seminar, kind=SeminarNotice.Kind.PUBLISHED)

    # Session, user, the seminar, two sets of permissions; the counts, the dietary list, the
    # workshops' places, the changes', messages' and subscriber notices' emails, the access
    # requests (with their needs); talks, workshops and their people, the breaks; the
    # people's logins; the venue; the recaps.
    with django_assert_num_queries(20):
        response = organiser_client.get(page_url(seminar))

    assert len(response.context["dietary"]["confirmed"]) == count
    assert response.context["counts"]["feedback_requests"] == count
