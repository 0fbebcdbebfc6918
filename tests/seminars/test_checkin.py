"""Check-in at the door: the organisers' list, ticking and undoing arrivals, adding people
who walk in, what the admin shows, and what happens to attendance when details are erased."""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from mailer.models import Message

from seminars.checkin.services import walk_in_add
from seminars.models import Registration
from seminars.registrant_messages.services import registrant_message_audience_counts
from seminars.services import registration_create, registrations_purge
from tests.factories import RegistrationFactory, SeminarFactory, UserFactory
from tests.html import form_data, page, page_with_status, text, texts

pytestmark = pytest.mark.django_db

Status = Registration.Status


def check_in_url(seminar, query=""):
    url = f"/admin/seminars/seminar/{seminar.pk}/check-in/"
    return f"{url}?q={query}" if query else url


@pytest.fixture
def seminar():
    # Five places: three registrants, one erased (whose place still counts), one left.
    return SeminarFactory(title="Sharing power", capacity=5)


@pytest.fixture
def registrants(seminar):
    """Three confirmed places, in no particular order of name; and people not to list."""
    people = {
        name: RegistrationFactory(seminar=seminar, name=name, email=email, organisation=org)
        for name, email, org in [
            ("Zoë Ngozi-Ó Briain", "zoe@example.org", "Leeds Mind"),
            ("ann able", "ann@example.org", ""),
            ("Bea Bold", "bea@example.org", "Hearing Voices Network"),
        ]
    }
    RegistrationFactory(seminar=seminar, name="Wai Ting", status=Status.WAITLISTED)
    RegistrationFactory(seminar=seminar, name="Cal Cancelled", status=Status.CANCELLED)
    RegistrationFactory(seminar=seminar, name="", email="", purged_at=timezone.now())
    RegistrationFactory(name="Other Seminar")
    return people


def row_names(soup):
    return texts(soup, ".checkin-list .checkin-name")


def test_seminar_admin_page_links_to_its_check_in(organiser_client, seminar):
    soup = page(organiser_client.get(f"/admin/seminars/seminar/{seminar.pk}/change/"))

    [link] = soup.select(".object-tools a[href$='/check-in/']")
    assert (link.get_text(strip=True), link["href"]) == (
        "Check-in at the door",
        check_in_url(seminar),
    )


def test_check_in_lists_confirmed_registrants_by_name_with_the_counts(
    organiser_client, seminar, registrants
):
    soup = page(organiser_client.get(check_in_url(seminar)))

    assert text(soup, "h1") == "Check-in: Sharing power"
    assert row_names(soup) == ["ann able", "Bea Bold", "Zoë Ngozi-Ó Briain"]
    assert texts(soup, ".checkin-list .meta") == [
        "Not arrived yet",
        "Hearing Voices Network · Not arrived yet",
        "Leeds Mind · Not arrived yet",
    ]
    assert [button["aria-label"] for button in soup.select(".checkin-list button")] == [
        "Arrived: ann able",
        "Arrived: Bea Bold",
        "Arrived: Zoë Ngozi-Ó Briain",
    ]
    assert text(soup, "#checkin-counts") == "0 of 3 arrived. 1 place left in the room."
    assert soup.select_one("meta[name=robots]")["content"] == "noindex, nofollow"


@pytest.mark.parametrize("count", [1, 200])
def test_check_in_page_runs_the_same_queries_for_1_and_200_registrants(
    organiser_client, django_assert_num_queries, count
):
    seminar = SeminarFactory(capacity=300)
    RegistrationFactory.create_batch(count, seminar=seminar)
    RegistrationFactory.create_batch(
        count // 2, seminar=seminar, attended_at=timezone.now(), is_walk_in=True
    )

    # Session, user, its two sets of permissions, the seminar and its venue; the places
    # taken in the room, the list, and the counts.
    with django_assert_num_queries(9):
        response = organiser_client.get(check_in_url(seminar))

    assert len(response.context["registrations"]) == count + count // 2


def test_check_in_search_filters_by_name_or_email_whatever_the_case(
    organiser_client, seminar, registrants
):
    assert row_names(page(organiser_client.get(check_in_url(seminar, "BEA")))) == ["Bea Bold"]
    assert row_names(page(organiser_client.get(check_in_url(seminar, "zoe@")))) == [
        "Zoë Ngozi-Ó Briain"
    ]
    soup = page(organiser_client.get(check_in_url(seminar, "Briain")))
    assert text(soup, "#checkin-showing") == "1 person matches “Briain”. Show everyone"
    assert soup.select_one("#id_q")["value"] == "Briain"

    soup = page(organiser_client.get(check_in_url(seminar, "Nobody")))
    assert row_names(soup) == []
    assert "Nobody registered matches “Nobody”." in soup.select_one("main").get_text()


def test_check_in_search_too_long_is_refused_with_a_message(organiser_client, seminar):
    soup = page_with_status(organiser_client.get(check_in_url(seminar, "x" * 101)), 400)

    assert texts(soup, "#id_q_error") == [
        "Ensure this value has at most 100 characters (it has 101)."
    ]


def tick(client, seminar, registration, action="arrive", query=""):
    return client.post(
        check_in_url(seminar),
        {"action": action, "registration": registration.pk, "q": query},
    )


def test_ticking_arrived_stores_the_time_and_returns_to_the_same_search(
    organiser_client, seminar, registrants
):
    bea = registrants["Bea Bold"]
    before = timezone.now()

    response = tick(organiser_client, seminar, bea, query="bea")

    assert response.status_code == 302
    assert response["Location"] == check_in_url(seminar, "bea") + f"#registration-{bea.pk}"
    bea.refresh_from_db()
    assert before <= bea.attended_at <= timezone.now()
    soup = page(organiser_client.get(response["Location"]))
    arrived = f"{timezone.localtime(bea.attended_at):%H:%M}"
    assert text(soup, "p.notice") == f"Bea Bold: arrived at {arrived}."
    assert texts(soup, ".checkin-list li.arrived .meta") == [
        f"Hearing Voices Network · Arrived {arrived}"
    ]
    [button] = soup.select(".checkin-list button")
    assert (button.get_text(), button["aria-label"]) == ("Undo", "Undo arrival of Bea Bold")


def test_ticking_twice_keeps_the_first_arrival_time(organiser_client, seminar, registrants):
    bea = registrants["Bea Bold"]
    tick(organiser_client, seminar, bea)
    first = Registration.objects.get(pk=bea.pk).attended_at

    tick(organiser_client, seminar, bea)

    assert Registration.objects.get(pk=bea.pk).attended_at == first


def test_undo_clears_the_arrival(organiser_client, seminar, registrants):
    bea = registrants["Bea Bold"]
    tick(organiser_client, seminar, bea)
    arrived = f"{timezone.localtime(Registration.objects.get(pk=bea.pk).attended_at):%H:%M}."

    response = tick(organiser_client, seminar, bea, action="undo")

    assert response.status_code == 302
    assert Registration.objects.get(pk=bea.pk).attended_at is None
    soup = page(organiser_client.get(response["Location"]))
    assert texts(soup, "p.notice") == [
        "Bea Bold: arrived at " + arrived,
        "Bea Bold: not arrived (undone).",
    ]
    assert text(soup, "#checkin-counts") == "0 of 3 arrived. 1 place left in the room."


def test_each_row_is_a_real_form_that_a_browser_without_javascript_submits(
    organiser_client, seminar, registrants
):
    soup = page(organiser_client.get(check_in_url(seminar, "ann")))
    [form] = soup.select(".checkin-list form")
    [button] = form.select("button")
    data = {**form_data(form), button["name"]: button["value"]}

    response = organiser_client.post(form["action"], data)

    assert response.status_code == 302
    assert Registration.objects.get(name="ann able").attended_at is not None


@pytest.mark.parametrize(
    "who",
    ["Wai Ting", "Cal Cancelled", "Other Seminar"],
)
def test_only_confirmed_registrants_of_the_seminar_can_be_ticked(
    organiser_client, seminar, registrants, who
):
    registration = Registration.objects.get(name=who)

    soup = page_with_status(tick(organiser_client, seminar, registration), 404)

    assert text(soup, ".checkin-error").startswith("Nothing was changed")
    assert Registration.objects.get(pk=registration.pk).attended_at is None


@pytest.mark.parametrize(
    "data", [{"action": "arrive", "registration": "x"}, {"action": "explode"}, {}]
)
def test_check_in_with_a_form_it_does_not_know_answers_400(organiser_client, seminar, data):
    soup = page_with_status(organiser_client.post(check_in_url(seminar), data), 400)

    assert text(soup, ".checkin-error").startswith("Nothing was changed")


def test_check_in_needs_permission_to_change_registrations(client, seminar, registrants):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_seminar", "view_registration"])
    )
    client.force_login(viewer)

    assert client.get(check_in_url(seminar)).status_code == 403
    assert tick(client, seminar, registrants["Bea Bold"]).status_code == 403
    assert Registration.objects.filter(attended_at__isnull=False).count() == 0


def test_check_in_asks_anyone_else_to_log_in(client, seminar):
    client.force_login(UserFactory())

    response = client.get(check_in_url(seminar))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_check_in_refuses_a_post_without_its_csrf_token(organiser, seminar, registrants):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)

    response = tick(client, seminar, registrants["Bea Bold"])

    assert response.status_code == 403
    assert Registration.objects.get(name="Bea Bold").attended_at is None


# Walk-ins


def walk_in(client, seminar, **fields):
    return client.post(check_in_url(seminar), {"action": "walk_in", "q": "", **fields})


def test_walk_in_with_a_name_only_takes_a_place_and_is_arrived(
    organiser_client, seminar, registrants, mail_queue
):
    response = walk_in(organiser_client, seminar, name="  Łukasz Nowak ")

    walker = Registration.objects.get(name="Łukasz Nowak")
    assert response["Location"] == check_in_url(seminar) + f"#registration-{walker.pk}"
    assert (walker.email, walker.status, walker.attendance, walker.is_walk_in) == (
        "",
        Status.CONFIRMED,
        Registration.Attendance.IN_PERSON,
        True,
    )
    assert walker.attended_at is not None
    assert Message.objects.count() == 0
    soup = page(organiser_client.get(response["Location"]))
    assert text(soup, "p.notice") == "Łukasz Nowak is added as a walk-in, arrived."
    assert text(soup, "#checkin-counts") == "1 of 4 arrived. 0 places left in the room."
    assert texts(soup, f"#registration-{walker.pk} .meta")[0].startswith("Walk-in · Arrived")


def test_walk_in_with_an_email_is_sent_their_private_link(organiser_client, seminar, mail_queue):
    walk_in(organiser_client, seminar, name="Dee Dale", email="Dee@Example.org")

    walker = Registration.objects.get(name="Dee Dale")
    assert walker.email == "dee@example.org"
    [message] = [message.email for message in Message.objects.all()]
    assert (message.to, message.subject) == (["dee@example.org"], "Welcome to Sharing power")
    assert f"/registrations/{walker.token}/" in message.body
    assert message.body.startswith(
        "Dear Dee Dale,\n\nWelcome to Sharing power. The organisers have added you at the "
        "door, so you have a place.\n"
    )


def test_walk_ins_without_an_email_can_be_several(seminar):
    for name in ["One", "Two"]:
        walk_in_add(seminar=seminar, name=name)

    assert Registration.objects.filter(seminar=seminar, email="").count() == 2


def test_a_registration_needs_an_email_unless_it_is_a_walk_in(seminar):
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(seminar=seminar, email="")


def test_walk_in_without_a_name_is_refused_with_a_message(organiser_client, seminar):
    soup = page_with_status(walk_in(organiser_client, seminar, name=" ", email="x"), 400)

    assert texts(soup, ".error-summary li") == [
        "Please enter their name.",
        "Please enter an email address like name@example.org.",
    ]
    assert not Registration.objects.filter(is_walk_in=True).exists()


def test_walk_in_with_an_address_already_registered_is_refused(
    organiser_client, seminar, registrants
):
    soup = page_with_status(
        walk_in(organiser_client, seminar, name="Bea Again", email="BEA@example.org"), 409
    )

    assert texts(soup, ".error-summary li") == [
        "This email address is already registered, as Bea Bold (confirmed). Find them in "
        "the list instead."
    ]
    assert not Registration.objects.filter(name="Bea Again").exists()


def test_walk_in_when_the_room_is_full_is_refused_unless_the_organiser_says_so(
    organiser_client, seminar, registrants
):
    walk_in_add(seminar=seminar, name="Fourth Person")  # the last place

    soup = page_with_status(walk_in(organiser_client, seminar, name="Fifth Person"), 409)
    assert texts(soup, ".error-summary li") == [
        "The room is full: every in-person place is taken. Tick “Add them even though the "
        "room is full” to add them anyway."
    ]
    assert soup.select_one("#id_beyond_capacity") is not None
    assert not Registration.objects.filter(name="Fifth Person").exists()

    response = walk_in(organiser_client, seminar, name="Fifth Person", beyond_capacity="on")

    assert response.status_code == 302
    assert seminar.registrations.filter(status=Status.CONFIRMED, purged_at=None).count() == 5
    soup = page(organiser_client.get(check_in_url(seminar)))
    assert text(soup, "#checkin-counts") == "2 of 5 arrived. 0 places left in the room."


def test_walk_in_at_a_hybrid_seminar_counts_only_the_rooms_places(organiser_client):
    hybrid = SeminarFactory(capacity=1, online_capacity=5, online_url="https://meet.example.org/")
    registration_create(seminar=hybrid, name="On Line", email="on@example.org", attendance="online")

    assert walk_in(organiser_client, hybrid, name="Room Person").status_code == 302
    assert walk_in(organiser_client, hybrid, name="Next Person").status_code == 409
    soup = page(organiser_client.get(check_in_url(hybrid)))
    arrived = timezone.localtime(Registration.objects.get(name="Room Person").attended_at)
    assert texts(soup, ".checkin-list .meta") == [
        "Online · Not arrived yet",
        f"In person · Walk-in · Arrived {arrived:%H:%M}",
    ]


def test_online_only_and_cancelled_seminars_take_no_walk_ins(organiser_client):
    online = SeminarFactory(venue=None, online_url="https://meet.example.org/")
    cancelled = SeminarFactory(status="cancelled")

    for seminar in [online, cancelled]:
        soup = page(organiser_client.get(check_in_url(seminar)))
        assert soup.select("#walk-in") == []
        assert walk_in(organiser_client, seminar, name="Door Person").status_code == 409
    assert not Registration.objects.filter(name="Door Person").exists()


def test_people_without_an_address_are_left_out_of_emails_to_registrants(seminar):
    RegistrationFactory(seminar=seminar)
    walk_in_add(seminar=seminar, name="No Address")

    assert registrant_message_audience_counts(seminar=seminar)["all"] == 1


# In the admin


def test_registration_admin_shows_and_filters_who_arrived(organiser_client, seminar, registrants):
    tick(organiser_client, seminar, registrants["Bea Bold"])
    walk_in_add(seminar=seminar, name="Door Person")
    changelist = "/admin/seminars/registration/"

    soup = page(organiser_client.get(changelist + "?arrived=yes"))
    assert texts(soup, "#result_list td.field-name, #result_list th.field-name a") == [
        "Bea Bold",
        "Door Person",
    ]
    soup = page(organiser_client.get(changelist + f"?arrived=no&seminar__id__exact={seminar.pk}"))
    assert sorted(texts(soup, "#result_list th.field-name a")) == [
        "-",  # an erased registration
        "Cal Cancelled",
        "Wai Ting",
        "Zoë Ngozi-Ó Briain",
        "ann able",
    ]
    assert texts(soup, "#result_list td.field-arrived") == ["No"] * 5
    soup = page(organiser_client.get(changelist + "?is_walk_in__exact=1"))
    assert texts(soup, "#result_list th.field-name a") == ["Door Person"]


def test_admin_actions_mark_confirmed_registrations_as_arrived_and_back(
    organiser_client, seminar, registrants
):
    chosen = Registration.objects.filter(name__in=["Bea Bold", "Wai Ting"])
    changelist = "/admin/seminars/registration/"

    organiser_client.post(
        changelist,
        {"action": "mark_arrived", "_selected_action": [r.pk for r in chosen]},
    )
    assert list(
        Registration.objects.filter(attended_at__isnull=False).values_list("name", flat=True)
    ) == ["Bea Bold"]

    organiser_client.post(
        changelist,
        {"action": "mark_not_arrived", "_selected_action": [r.pk for r in chosen]},
    )
    assert not Registration.objects.filter(attended_at__isnull=False).exists()


def test_organiser_can_edit_a_walk_in_who_gave_no_address(organiser_client, seminar):
    walker = walk_in_add(seminar=seminar, name="Door Person")
    url = f"/admin/seminars/registration/{walker.pk}/change/"
    data = form_data(page(organiser_client.get(url)).select_one("#registration_form"))

    response = organiser_client.post(url, {**data, "name": "Door Person-Smith"})

    assert response.status_code == 302
    walker.refresh_from_db()
    assert (walker.name, walker.email) == ("Door Person-Smith", "")


def test_a_registered_person_still_needs_an_email_in_the_admin(organiser_client, registrants):
    bea = registrants["Bea Bold"]
    url = f"/admin/seminars/registration/{bea.pk}/change/"
    data = form_data(page(organiser_client.get(url)).select_one("#registration_form"))

    soup = page(organiser_client.post(url, {**data, "email": ""}))

    assert texts(soup, ".field-email .errorlist li") == ["This field is required."]


# Erasure


def test_purge_erases_walk_ins_and_keeps_only_anonymous_attendance():
    seminar = SeminarFactory(days_from_now=-100)
    arrived_at = seminar.starts_at + dt.timedelta(minutes=5)
    RegistrationFactory(seminar=seminar, name="Ann Able", attended_at=arrived_at)
    walk_in_add(seminar=seminar, name="Door Person", email="door@example.org")

    assert registrations_purge(ended_before=timezone.now() - dt.timedelta(days=30)) == 2

    rows = list(
        Registration.objects.filter(seminar=seminar)
        .order_by("pk")
        .values_list("name", "email", "is_walk_in", "attended_at")
    )
    assert [row[:3] for row in rows] == [("", "", False), ("", "", True)]
    assert rows[0][3] == arrived_at
    assert rows[1][3] is not None


def test_reminders_are_not_sent_to_people_already_arrived(seminar):
    soon = SeminarFactory(days_from_now=1)
    walk_in_add(seminar=soon, name="Early Bird", email="early@example.org")
    RegistrationFactory(seminar=soon, name="Still Coming")

    call_command("send_reminders", stdout=io.StringIO())

    assert sorted(
        Registration.objects.filter(reminder_sent_at__isnull=False).values_list("name", flat=True)
    ) == ["Still Coming"]


def test_check_in_page_names_no_access_or_dietary_needs(organiser_client, seminar):
    RegistrationFactory(
        seminar=seminar,
        name="Ann Able",
        access_requirements="Wheelchair user",
        dietary_requirements="Coeliac",
    )

    content = organiser_client.get(check_in_url(seminar)).content.decode()

    assert re.search("Wheelchair|Coeliac", content) is None


def test_a_cancelled_seminar_refuses_walk_ins_with_a_message_for_the_whole_form(
    organiser_client,
):
    seminar = SeminarFactory(status="cancelled")

    soup = page_with_status(walk_in(organiser_client, seminar, name="Door Person"), 409)

    assert text(soup, ".checkin-error") == "This seminar is cancelled, so nobody can be added."


def test_registrants_data_download_says_whether_and_when_they_arrived(client, seminar):
    walker = walk_in_add(seminar=seminar, name="Door Person", email="door@example.org")

    data = client.get(f"/registrations/{walker.token}/data/").json()

    assert (data["arrived_at"], data["added_at_the_door"]) == (
        walker.attended_at.isoformat(),
        True,
    )
