"""A companion or personal assistant comes without registering: they take a second place in
the room, counted with every other place (the seminar's lock, the waiting list, changes)."""

import pytest
from django.core import mail
from django.urls import reverse

from seminars.models import Registration
from seminars.services import (
    RegistrationChangeRefused,
    registration_cancel,
    registration_create,
    registration_details_update,
)
from tests.factories import SeminarFactory
from tests.html import page, page_with_status, text, texts

pytestmark = pytest.mark.django_db

ONLINE = "https://meet.example.org/private-room"


def register(seminar, name, **fields):
    return registration_create(
        seminar=seminar, name=name, email=f"{name.lower()}@example.org", **fields
    )


def statuses(seminar):
    return {
        registration.name: (registration.status, registration.with_companion)
        for registration in seminar.registrations.order_by("pk")
    }


def availability(client, seminar):
    return text(page(client.get(seminar.get_absolute_url())), "#availability")


def form_data(**overrides):
    return {
        "name": "Ann",
        "email": "ann@example.org",
        "consent": "on",
        "homepage": "",
        **overrides,
    }


# Asking


def test_the_form_asks_about_a_companion_only_when_there_is_a_room(client):
    in_room = SeminarFactory(slug="in-room", capacity=10)
    online = SeminarFactory(slug="online", venue=None, online_url=ONLINE)
    hybrid = SeminarFactory(slug="hybrid", online_url=ONLINE)

    room_form = page(client.get(f"/seminars/{in_room.slug}/register/"))
    online_form = page(client.get(f"/seminars/{online.slug}/register/"))
    hybrid_form = page(client.get(f"/seminars/{hybrid.slug}/register/"))

    assert text(room_form, "label[for=id_with_companion]") == (
        "I will bring a companion or personal assistant"
    )
    assert text(room_form, "#id_with_companion_helptext") == (
        "They do not need to register or give an email address. They take a place in the "
        "room too, so the organisers know to expect them."
    )
    assert online_form.select("#id_with_companion") == []
    assert text(hybrid_form, "#id_with_companion_helptext").startswith("In person only. ")


def test_a_companion_takes_a_second_place_in_the_room(client):
    seminar = SeminarFactory(title="Sharing power", capacity=3)

    response = client.post(f"/seminars/{seminar.slug}/register/", form_data(with_companion="on"))

    assert response.status_code == 302
    assert statuses(seminar) == {"Ann": ("confirmed", True)}
    assert availability(client, seminar) == "Registration is open: 1 place left."
    [email] = mail.outbox
    assert "With you: a companion or personal assistant, with a place in the room" in email.body


def test_a_companion_is_not_counted_online(client):
    seminar = SeminarFactory(capacity=1, online_url=ONLINE, online_capacity=1)

    registration = register(seminar, "Ann", attendance="online", with_companion=True)

    assert (registration.status, registration.with_companion) == ("confirmed", False)
    assert texts(page(client.get(seminar.get_absolute_url())), "#availability-modes li") == [
        "In person: 1 place left.",
        "Online: full. You can join the online waiting list.",
    ]


# One place left


def test_with_one_place_left_the_form_says_what_a_companion_would_mean(client):
    waiting = SeminarFactory(slug="waiting", capacity=2, waitlist_enabled=True)
    no_list = SeminarFactory(slug="no-list", capacity=2, waitlist_enabled=False)
    for seminar in [waiting, no_list]:
        register(seminar, "Bea")

    hints = [
        text(page(client.get(f"/seminars/{slug}/register/")), "#id_with_companion_helptext")
        for slug in ["waiting", "no-list"]
    ]

    assert hints == [
        "Only one place is left in the room: with a companion or personal assistant you would "
        "join the waiting list, and be offered both places together as soon as two are free. "
        "They do not need to register or give an email address. They take a place in the "
        "room too, so the organisers know to expect them.",
        "Only one place is left in the room: there is no room for a companion or personal "
        "assistant as well. They do not need to register or give an email address. They take "
        "a place in the room too, so the organisers know to expect them.",
    ]


def test_with_one_place_left_a_companion_joins_the_waiting_list_and_the_place_stays_open(
    client,
):
    seminar = SeminarFactory(title="Sharing power", capacity=2, waitlist_enabled=True)
    register(seminar, "Bea")

    ann = register(seminar, "Ann", with_companion=True)
    register(seminar, "Cal")

    assert statuses(seminar) == {
        "Bea": ("confirmed", False),
        "Ann": ("waitlisted", True),
        "Cal": ("confirmed", False),
    }
    waitlisted = next(email for email in mail.outbox if email.to == ["ann@example.org"])
    assert waitlisted.subject == "You are on the waiting list for Sharing power"
    assert (
        "You and your companion or personal assistant need two places at Sharing power, and "
        "two are not free just now, so you are on the waiting list." in waitlisted.body
    )
    soup = page(client.get(ann.get_absolute_url()))
    assert text(soup, "#companion-waiting") == (
        "You and your companion or personal assistant will be offered places together, when "
        "two are free."
    )


def test_with_one_place_left_and_no_waiting_list_a_companion_is_refused_clearly(client):
    seminar = SeminarFactory(capacity=2, waitlist_enabled=False)
    register(seminar, "Bea")

    response = client.post(f"/seminars/{seminar.slug}/register/", form_data(with_companion="on"))

    soup = page_with_status(response, 409)
    assert text(soup, "#availability") == (
        "Only one place is left, so there is no room for a companion or personal assistant as "
        "well, and this seminar has no waiting list. You can register without one, or contact "
        "the organisers."
    )
    assert statuses(seminar) == {"Bea": ("confirmed", False)}


# The waiting list


def test_cancelling_a_place_with_a_companion_frees_two(client):
    seminar = SeminarFactory(capacity=2, waitlist_enabled=True)
    ann = register(seminar, "Ann", with_companion=True)
    register(seminar, "Bea")
    register(seminar, "Cal")

    promoted = registration_cancel(registration=ann)

    assert [registration.name for registration in promoted] == ["Bea", "Cal"]


def test_one_free_place_goes_to_the_next_person_who_needs_one_until_two_are_free():
    seminar = SeminarFactory(capacity=2, waitlist_enabled=True)
    ann, bea = register(seminar, "Ann"), register(seminar, "Bea")
    register(seminar, "Cal", with_companion=True)
    dee = register(seminar, "Dee")

    first = registration_cancel(registration=ann)
    second = registration_cancel(registration=bea)
    third = registration_cancel(registration=dee)

    assert [[r.name for r in promoted] for promoted in [first, second, third]] == [
        ["Dee"],  # one place: Cal needs two, so Dee, next, takes it
        [],  # one place again, and only Cal waiting
        ["Cal"],  # two places: Cal's turn
    ]
    assert statuses(seminar)["Cal"] == ("confirmed", True)


# Changing it later


def test_adding_a_companion_needs_a_free_place(client):
    seminar = SeminarFactory(capacity=2)
    ann, bea = register(seminar, "Ann"), register(seminar, "Bea")

    response = client.post(
        reverse("seminars:registration_change", kwargs={"token": ann.token}),
        {"organisation": "", "access_requirements": "", "dietary_requirements": "",
         "with_companion": "on"},
    )  # fmt: skip

    soup = page_with_status(response, 409)
    assert text(soup, "#id_with_companion_error") == (
        "Error: There is no place free for a companion or personal assistant, so nothing has "
        "changed: you keep your own place. Contact the organisers if you need one."
    )
    assert statuses(seminar) == {"Ann": ("confirmed", False), "Bea": ("confirmed", False)}
    registration_cancel(registration=bea)

    registration_details_update(
        registration=ann,
        organisation="",
        access_requirements="",
        dietary_requirements="",
        with_companion=True,
    )

    assert statuses(seminar)["Ann"] == ("confirmed", True)
    assert availability(client, seminar) == "This seminar is full. You can join the waiting list."


def test_dropping_a_companion_passes_the_place_on():
    seminar = SeminarFactory(capacity=2, waitlist_enabled=True)
    ann = register(seminar, "Ann", with_companion=True)
    register(seminar, "Bea")

    registration_details_update(
        registration=ann,
        organisation="",
        access_requirements="",
        dietary_requirements="",
        with_companion=False,
    )

    assert statuses(seminar) == {"Ann": ("confirmed", False), "Bea": ("confirmed", False)}


def test_someone_waiting_who_drops_their_companion_takes_the_one_free_place():
    seminar = SeminarFactory(capacity=2, waitlist_enabled=True)
    register(seminar, "Bea")
    ann = register(seminar, "Ann", with_companion=True)

    updated = registration_details_update(
        registration=ann,
        organisation="",
        access_requirements="",
        dietary_requirements="",
        with_companion=False,
    )

    assert updated.status == "confirmed"
    assert statuses(seminar)["Ann"] == ("confirmed", False)
    assert [email.subject for email in mail.outbox][-1].startswith("A place has come up")


def test_moving_in_person_with_a_companion_needs_two_places():
    seminar = SeminarFactory(capacity=2, online_url=ONLINE, waitlist_enabled=True)
    register(seminar, "Bea")
    ann = register(seminar, "Ann", attendance="online")

    with pytest.raises(RegistrationChangeRefused) as refused:
        registration_details_update(
            registration=ann,
            organisation="",
            access_requirements="",
            dietary_requirements="",
            attendance="in_person",
            with_companion=True,
        )

    assert str(refused.value) == (
        "There are no in-person places free, so nothing has changed: you are still registered "
        "to attend online."
    )
    ann.refresh_from_db()
    assert (ann.attendance, ann.with_companion) == ("online", False)


# Organisers


def test_seminar_admin_counts_companions_beside_the_confirmed(organiser_client):
    seminar = SeminarFactory(title="Sharing power", capacity=10)
    register(seminar, "Ann", with_companion=True)
    register(seminar, "Bea")

    changelist = page(organiser_client.get(reverse("admin:seminars_seminar_changelist")))
    change = page(organiser_client.get(reverse("admin:seminars_seminar_change", args=[seminar.pk])))

    assert texts(changelist, "#result_list .field-places") == ["3 of 10 (1 companion)"]
    assert text(change, ".field-registration_summary .readonly").startswith(
        "2 + 1 companion confirmed of 10 places, 0 waiting"
    )


def test_registration_admin_shows_and_filters_companions(organiser_client):
    seminar = SeminarFactory()
    register(seminar, "Ann", with_companion=True)
    register(seminar, "Bea")
    url = reverse("admin:seminars_registration_changelist")

    everyone = page(organiser_client.get(url))
    with_one = page(organiser_client.get(url, {"with_companion__exact": "1"}))

    assert dict(
        zip(
            texts(everyone, "#result_list .field-name"),
            texts(everyone, "#result_list .field-status_and_way"),
            strict=True,
        )
    ) == {"Ann": "Confirmed, in person, with a companion", "Bea": "Confirmed, in person"}
    assert texts(with_one, "#result_list .field-name") == ["Ann"]
    assert Registration.objects.filter(with_companion=True).count() == 1
