"""A fairer waiting list: a cut-off before the start, places offered when organisers add
them, each waiting person's position, and hybrid seminars' separate places and queues."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from seminars import selectors
from seminars.models import Registration, Seminar
from seminars.services import (
    RegistrationRefused,
    registration_cancel,
    registration_create,
    seminar_waitlist_promote,
)
from seminars.templatetags.coproseries import ordinal
from tests.factories import SeminarFactory
from tests.html import page, text, texts

pytestmark = pytest.mark.django_db


def register(seminar, number, **fields):
    return registration_create(
        seminar=seminar, name=f"Person {number}", email=f"p{number}@example.org", **fields
    )


def statuses(seminar):
    return dict(seminar.registrations.values_list("email", "status"))


def subjects(outbox):
    return [(message.to[0], message.subject) for message in outbox]


def starting_in(hours, **fields):
    starts = timezone.now() + dt.timedelta(hours=hours)
    return SeminarFactory(
        title="Sharing power",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=6),
        **{"capacity": 1, "waitlist_enabled": True, **fields},
    )


# The cut-off


@pytest.mark.parametrize(
    ("hours_to_start", "cutoff_hours", "promoted"),
    [
        (48, 24, True),  # before the default cut-off
        (10, 24, False),  # within the default cut-off
        (10, 2, True),  # the organisers chose a shorter cut-off
        (-1, 0, False),  # under way: a place is never offered once the seminar has started
    ],
    ids=["before cut-off", "after cut-off", "shorter cut-off", "started"],
)
def test_registration_cancel_offers_a_freed_place_only_before_the_cut_off(
    mailoutbox, hours_to_start, cutoff_hours, promoted
):
    seminar = starting_in(
        hours_to_start + 50, waitlist_cutoff_hours=cutoff_hours
    )  # registration is open while people register
    first, waiting = register(seminar, 1), register(seminar, 2)
    Seminar.objects.filter(pk=seminar.pk).update(
        starts_at=timezone.now() + dt.timedelta(hours=hours_to_start)
    )
    mailoutbox.clear()

    moved_up = registration_cancel(registration=first)

    assert [registration.pk for registration in moved_up] == ([waiting.pk] if promoted else [])
    assert statuses(seminar) == {
        "p1@example.org": "cancelled",
        "p2@example.org": "confirmed" if promoted else "waitlisted",
    }
    expected = [("p1@example.org", "Your registration for Sharing power is cancelled")]
    if promoted:
        expected.append(("p2@example.org", "A place has come up for you at Sharing power"))
    assert subjects(mailoutbox) == expected


def test_seminar_default_cut_off_is_24_hours_before_the_start():
    seminar = SeminarFactory()

    assert seminar.waitlist_cutoff_hours == 24
    assert seminar.waitlist_offers_end_at() == seminar.starts_at - dt.timedelta(hours=24)


# Raising the capacity


def test_seminar_waitlist_promote_offers_new_places_in_order_with_email(mailoutbox):
    seminar = starting_in(48)
    for number in range(1, 5):
        register(seminar, number)
    mailoutbox.clear()
    seminar.capacity = 3
    seminar.save()

    promoted = seminar_waitlist_promote(seminar=seminar)

    assert [registration.email for registration in promoted] == [
        "p2@example.org",
        "p3@example.org",
    ]
    assert statuses(seminar) == {
        "p1@example.org": "confirmed",
        "p2@example.org": "confirmed",
        "p3@example.org": "confirmed",
        "p4@example.org": "waitlisted",
    }
    assert subjects(mailoutbox) == [
        ("p2@example.org", "A place has come up for you at Sharing power"),
        ("p3@example.org", "A place has come up for you at Sharing power"),
    ]


def test_seminar_waitlist_promote_offers_nothing_once_the_seminar_has_started(mailoutbox):
    seminar = starting_in(48)
    register(seminar, 1), register(seminar, 2)
    Seminar.objects.filter(pk=seminar.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=5), capacity=5
    )
    seminar.refresh_from_db()

    assert seminar_waitlist_promote(seminar=seminar) == []
    assert statuses(seminar)["p2@example.org"] == "waitlisted"


def _submitted(soup):
    """What a browser posts for the admin's change form, as it stands on the page."""
    form = soup.select_one("form#seminar_form")
    data = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        name, kind = field["name"], field.get("type", "")
        if field.name == "select":
            chosen = [option["value"] for option in field.select("option[selected]")]
            if chosen:
                data[name] = chosen if field.has_attr("multiple") else chosen[0]
        elif field.name == "textarea":
            data[name] = field.get_text()
        elif kind in {"checkbox", "radio"}:
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif kind not in {"submit", "button", "file"}:
            data[name] = field.get("value", "")
    return data


def test_admin_raising_the_capacity_promotes_people_waiting_at_once(organiser_client, mailoutbox):
    seminar = starting_in(48)
    for number in range(1, 5):
        register(seminar, number)
    mailoutbox.clear()
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    data = _submitted(page(organiser_client.get(url)))

    response = organiser_client.post(url, {**data, "capacity": "3"}, follow=True)

    assert texts(page(response), ".messagelist li") == [
        "2 people moved up from the waiting list and emailed.",
        "The seminar “ Sharing power ” was changed successfully.",
    ]
    assert statuses(seminar) == {
        "p1@example.org": "confirmed",
        "p2@example.org": "confirmed",
        "p3@example.org": "confirmed",
        "p4@example.org": "waitlisted",
    }
    assert subjects(mailoutbox) == [
        ("p2@example.org", "A place has come up for you at Sharing power"),
        ("p3@example.org", "A place has come up for you at Sharing power"),
    ]


def test_admin_saving_without_changing_the_capacity_promotes_nobody(organiser_client, mailoutbox):
    seminar = starting_in(48)
    register(seminar, 1), register(seminar, 2)
    # A place freed after the cut-off stays free until the organisers decide.
    Registration.objects.filter(email="p1@example.org").update(status="cancelled")
    mailoutbox.clear()
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])

    organiser_client.post(url, {**_submitted(page(organiser_client.get(url))), "title": "New"})

    assert statuses(seminar)["p2@example.org"] == "waitlisted"
    assert mailoutbox == []


# Position on the waiting list


@pytest.mark.parametrize(
    ("number", "expected"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (22, "22nd"), (23, "23rd"), (101, "101st"), (111, "111th"), (112, "112th")],
)  # fmt: skip
def test_ordinal_is_plain_english(number, expected):
    assert ordinal(number) == expected


def test_manage_page_tells_a_waiting_person_their_position(client):
    seminar = starting_in(48)
    registrations = [register(seminar, number) for number in range(1, 6)]
    registration_cancel(registration=registrations[2])  # the 2nd waiting leaves the queue

    def status(registration):
        soup = page(client.get(registration.get_absolute_url()))
        return text(soup, "#registration-status")

    assert status(registrations[0]) == "You have a place."
    assert status(registrations[3]) == (
        "You are 2nd on the waiting list. We will email you if a place comes up."
    )
    assert status(registrations[4]) == (
        "You are 3rd on the waiting list. We will email you if a place comes up."
    )


# Hybrid seminars: places and waiting lists in the room and online


@pytest.fixture
def hybrid():
    return starting_in(
        48, online_url="https://meet.example.org/room", online_capacity=2, capacity=1
    )


def test_hybrid_online_registrants_cannot_take_the_rooms_places(hybrid):
    online = [register(hybrid, number, attendance="online") for number in (1, 2)]
    in_person = register(hybrid, 3, attendance="in_person")
    later_online = register(hybrid, 4, attendance="online")
    later_in_person = register(hybrid, 5, attendance="in_person")

    assert [registration.status for registration in online] == ["confirmed", "confirmed"]
    assert (in_person.status, later_online.status, later_in_person.status) == (
        "confirmed",
        "waitlisted",
        "waitlisted",
    )


def test_hybrid_online_places_may_be_unlimited(hybrid):
    hybrid.online_capacity = None
    hybrid.save()

    assert {register(hybrid, n, attendance="online").status for n in range(5)} == {"confirmed"}


def test_hybrid_a_freed_place_goes_to_the_same_waiting_list(hybrid, mailoutbox):
    in_person = register(hybrid, 1, attendance="in_person")
    register(hybrid, 2, attendance="online"), register(hybrid, 3, attendance="online")
    waiting_online = register(hybrid, 4, attendance="online")
    waiting_in_person = register(hybrid, 5, attendance="in_person")

    promoted = registration_cancel(registration=in_person)

    assert promoted == [waiting_in_person]
    assert Registration.objects.get(pk=waiting_online.pk).status == "waitlisted"


def test_hybrid_without_waiting_list_refuses_a_full_mode_only(hybrid):
    hybrid.waitlist_enabled = False
    hybrid.save()
    register(hybrid, 1, attendance="in_person")

    with pytest.raises(RegistrationRefused) as refused:
        register(hybrid, 2, attendance="in_person")

    assert str(refused.value) == (
        "The in-person places are full and there is no waiting list. You may still be able to "
        "register to attend the other way."
    )
    assert register(hybrid, 3, attendance="online").status == "confirmed"


def test_hybrid_waiting_position_counts_the_same_queue_only(client, hybrid):
    register(hybrid, 1, attendance="in_person")
    for number in (2, 3):
        register(hybrid, number, attendance="online")
    register(hybrid, 4, attendance="in_person")
    waiting_online = register(hybrid, 5, attendance="online")

    soup = page(client.get(waiting_online.get_absolute_url()))

    assert text(soup, "#registration-status") == (
        "You are 1st on the online waiting list. We will email you if a place comes up."
    )


def test_hybrid_seminar_page_shows_places_left_in_each_way(client, hybrid):
    register(hybrid, 1, attendance="in_person")
    register(hybrid, 2, attendance="online")

    soup = page(client.get(hybrid.get_absolute_url()))

    assert text(soup, "#availability") == "Registration is open."
    assert texts(soup, "#availability-modes li") == [
        "In person: full. You can join the in-person waiting list.",
        "Online: 1 place left.",
    ]


def test_hybrid_availability_as_a_whole():
    seminar = starting_in(48, online_url="https://meet.example.org/room", capacity=10)
    seminar = Seminar.objects.with_registration_counts().get(pk=seminar.pk)

    availability = selectors.registration_availability(seminar)

    assert (availability.code, availability.message, availability.places_left) == (
        "open",
        "Registration is open. In person: 10 places left. Online: places available.",
        None,
    )


def test_seminar_admin_summarises_places_in_each_way(organiser_client, hybrid):
    register(hybrid, 1, attendance="in_person")
    register(hybrid, 2, attendance="in_person")
    register(hybrid, 3, attendance="online")

    soup = page(organiser_client.get(reverse("admin:seminars_seminar_change", args=[hybrid.pk])))

    assert text(soup, ".field-registration_summary .readonly").startswith(
        "In person: 1 confirmed of 1 place; Online: 1 confirmed of 2 places; 1 waiting in all."
    )
    changelist = page(organiser_client.get(reverse("admin:seminars_seminar_changelist")))
    assert texts(changelist, "#result_list .field-places") == [
        "1 of 1 in person · 1 of 2 online · 1 waiting"
    ]


def test_manage_page_after_the_cut_off_says_places_are_no_longer_offered(client):
    seminar = starting_in(48)
    register(seminar, 1)
    waiting = register(seminar, 2)
    Seminar.objects.filter(pk=seminar.pk).update(waitlist_cutoff_hours=72)

    soup = page(client.get(waiting.get_absolute_url()))

    assert text(soup, "#registration-status") == (
        "You are 1st on the waiting list. It is now too close to the seminar for places to be "
        "offered automatically; the organisers may still offer you one."
    )


def test_organisers_offer_a_place_by_hand_after_the_cut_off(organiser_client, mailoutbox):
    seminar = starting_in(10)  # within the 24-hour cut-off
    first, waiting = register(seminar, 1), register(seminar, 2)
    registration_cancel(registration=first)
    assert statuses(seminar)["p2@example.org"] == "waitlisted"
    mailoutbox.clear()
    changelist = reverse("admin:seminars_registration_changelist")
    soup = page(organiser_client.get(changelist))
    assert "Offer a place: confirm selected registrations (even beyond capacity)" in texts(
        soup, "select[name=action] option"
    )

    organiser_client.post(
        changelist, {"action": "confirm_selected", "_selected_action": [waiting.pk]}
    )

    assert statuses(seminar)["p2@example.org"] == "confirmed"
    assert subjects(mailoutbox) == [
        ("p2@example.org", "A place has come up for you at Sharing power")
    ]
