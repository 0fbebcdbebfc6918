"""Registrants choose a parallel workshop, and change their own details through their
private link: requirements, pronouns, organisation, how they attend and their workshop."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from seminars.models import Registration
from seminars.services import (
    RegistrationChangeRefused,
    WorkshopUnavailable,
    registration_cancel,
    registration_create,
    registration_details_update,
)
from tests.factories import SeminarFactory, WorkshopFactory
from tests.html import page, page_with_status, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar():
    return SeminarFactory(title="Sharing power", slug="sharing-power", capacity=10)


@pytest.fixture
def workshops(seminar):
    """Two workshops at the same time, one with a single place; a later one on its own."""
    starts = seminar.starts_at + dt.timedelta(hours=2)
    small = WorkshopFactory(
        seminar=seminar, title="Mutuality", starts_at=starts, ends_at=starts + dt.timedelta(hours=1)
    )
    small.capacity = 1
    small.save()
    big = WorkshopFactory(
        seminar=seminar,
        title="Recovery together",
        starts_at=starts + dt.timedelta(minutes=30),
        ends_at=starts + dt.timedelta(hours=2),
    )
    WorkshopFactory(
        seminar=seminar,
        title="Closing circle",
        starts_at=starts + dt.timedelta(hours=3),
        ends_at=starts + dt.timedelta(hours=4),
    )
    return small, big


def register(seminar, number, **fields):
    return registration_create(
        seminar=seminar, name=f"Person {number}", email=f"p{number}@example.org", **fields
    )


def form_data(**overrides):
    return {
        "name": "Ann Able",
        "email": "ann@example.org",
        "organisation": "",
        "role": "",
        "access_requirements": "",
        "dietary_requirements": "",
        "consent": "on",
        "homepage": "",
        **overrides,
    }


def change_url(registration):
    return reverse("seminars:registration_change", kwargs={"token": registration.token})


def details(registration):
    registration.refresh_from_db()
    return {
        "pronouns": registration.pronouns,
        "organisation": registration.organisation,
        "access_requirements": registration.access_requirements,
        "dietary_requirements": registration.dietary_requirements,
        "attendance": registration.attendance,
        "workshop": registration.workshop.title if registration.workshop else None,
        "status": registration.status,
        "updated": registration.details_updated_at is not None,
    }


# Choosing a workshop when registering


def _local(moment):
    return f"{timezone.localtime(moment):%H:%M}"


def test_register_form_offers_parallel_workshops_and_shows_a_full_one(client, seminar, workshops):
    small, big = workshops
    register(seminar, 1, workshop=small)

    soup = page(client.get(f"/seminars/{seminar.slug}/register/"))

    radios = soup.select("input[name=workshop]")
    assert [(radio["value"], radio.has_attr("disabled")) for radio in radios] == [
        ("", False),
        (str(small.pk), True),
        (str(big.pk), False),
    ]
    labels = [soup.select_one(f"label[for={radio['id']}]").get_text(strip=True) for radio in radios]
    assert labels == [
        "No workshop",
        f"Mutuality ({_local(small.starts_at)} to {_local(small.ends_at)}, full)",
        f"Recovery together ({_local(big.starts_at)} to {_local(big.ends_at)}, places available)",
    ]


def test_register_form_asks_nothing_when_no_workshop_has_a_capacity(client, seminar, workshops):
    small, _ = workshops
    small.capacity = None
    small.save()

    soup = page(client.get(f"/seminars/{seminar.slug}/register/"))

    assert soup.select("input[name=workshop]") == []


def test_register_with_a_workshop_stores_the_choice(client, seminar, workshops, mailoutbox):
    small, _ = workshops

    response = client.post(f"/seminars/{seminar.slug}/register/", form_data(workshop=small.pk))

    assert response.status_code == 302
    assert Registration.objects.get().workshop == small


def test_register_for_a_full_workshop_says_so_and_stores_nothing(client, seminar, workshops):
    small, _ = workshops
    register(seminar, 1, workshop=small)

    response = client.post(f"/seminars/{seminar.slug}/register/", form_data(workshop=small.pk))

    soup = page_with_status(response, 400)
    assert texts(soup, "#error-summary li") == [
        "The workshop “Mutuality” is full. Choose another, or none."
    ]
    assert Registration.objects.count() == 1


def test_registration_create_refuses_a_full_or_foreign_workshop(seminar, workshops):
    small, _ = workshops
    register(seminar, 1, workshop=small)
    lone = WorkshopFactory(title="Elsewhere")  # another seminar's
    lone.capacity = 5
    lone.save()

    with pytest.raises(WorkshopUnavailable, match="“Mutuality” is full"):
        register(seminar, 2, workshop=small)
    with pytest.raises(WorkshopUnavailable, match="cannot be chosen"):
        register(seminar, 3, workshop=lone)
    assert seminar.registrations.count() == 1


def test_a_cancelled_registration_frees_its_workshop_place(seminar, workshops):
    small, _ = workshops
    first = register(seminar, 1, workshop=small)
    registration_cancel(registration=first)

    assert register(seminar, 2, workshop=small).workshop == small


# Changing details through the private link


def test_manage_page_links_to_the_change_page(client, seminar):
    registration = register(seminar, 1)

    soup = page(client.get(registration.get_absolute_url()))

    assert ("Change your details", change_url(registration)) in [
        (a.get_text(strip=True), a["href"]) for a in soup.select("main a")
    ]


def test_change_page_shows_the_current_details(client, seminar, workshops):
    _, big = workshops
    registration = register(
        seminar,
        1,
        pronouns="they/them",
        organisation="Leeds Mind",
        access_requirements="A hearing loop",
        workshop=big,
    )

    soup = page(client.get(change_url(registration)))

    assert text(soup, "h1") == "Change your details for Sharing power"
    assert soup.select_one("#id_pronouns")["value"] == "they/them"
    assert soup.select_one("#id_organisation")["value"] == "Leeds Mind"
    assert text(soup, "#id_access_requirements") == "A hearing loop"
    assert soup.select_one("input[name=workshop][checked]")["value"] == str(big.pk)
    assert soup.select("input[name=attendance]") == []  # not hybrid
    assert soup.select("#id_name, #id_email") == []
    assert response_headers_are_private(client.get(change_url(registration)))


def response_headers_are_private(response):
    return "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == (
        "noindex, nofollow"
    )


def test_change_saves_the_details_and_the_organisers_see_updated(
    client, organiser_client, seminar, workshops
):
    small, _ = workshops
    registration = register(seminar, 1, access_requirements="A hearing loop")

    response = client.post(
        change_url(registration),
        {
            "pronouns": " they/them ",
            "organisation": "  Leeds Mind ",
            "access_requirements": "Step-free seating",
            "dietary_requirements": "Vegan",
            "workshop": small.pk,
        },
        follow=True,
    )

    soup = page(response)
    assert texts(soup, "p.notice") == ["Your details are saved. The organisers can see them now."]
    assert details(registration) == {
        "pronouns": "they/them",
        "organisation": "Leeds Mind",
        "access_requirements": "Step-free seating",
        "dietary_requirements": "Vegan",
        "attendance": "in_person",
        "workshop": "Mutuality",
        "status": "confirmed",
        "updated": True,
    }
    shown = dict(zip(texts(soup, "dt"), texts(soup, "dd"), strict=True))
    assert (shown["Pronouns"], shown["Workshop"], shown["Access requirements"]) == (
        "they/them",
        "Mutuality",
        "Step-free seating",
    )
    changelist = page(organiser_client.get(reverse("admin:seminars_registration_changelist")))
    created, updated = (
        timezone.localtime(moment)
        for moment in (registration.created_at, registration.details_updated_at)
    )
    assert texts(changelist, "#result_list .field-registered") == [
        f"{created.day} {created:%b %Y} updated {updated.day} {updated:%b %Y}"
    ]


def test_change_without_changes_does_not_mark_updated(client, seminar):
    registration = register(seminar, 1, organisation="Leeds Mind")

    client.post(
        change_url(registration),
        {"organisation": "Leeds Mind", "access_requirements": "", "dietary_requirements": ""},
    )

    assert details(registration)["updated"] is False


def test_change_bad_input_gets_the_registration_forms_errors(client, seminar, workshops):
    registration = register(seminar, 1, pronouns="she/her", organisation="Leeds Mind")

    response = client.post(
        change_url(registration),
        {
            "pronouns": "she/\r\nher",
            "organisation": "x" * 201,
            "access_requirements": "",
            "dietary_requirements": "",
            "workshop": "not-a-workshop",
        },
    )

    soup = page_with_status(response, 400)
    assert texts(soup, "#error-summary li") == [
        "Enter this on one line: line breaks and control characters cannot be used here.",
        "Ensure this value has at most 200 characters (it has 201).",
        "Choose one of the workshops listed, or none.",
    ]
    assert (details(registration)["pronouns"], details(registration)["organisation"]) == (
        "she/her",
        "Leeds Mind",
    )


def test_change_to_a_full_workshop_is_refused_and_nothing_changes(client, seminar, workshops):
    small, big = workshops
    register(seminar, 1, workshop=small)
    registration = register(seminar, 2, workshop=big)

    response = client.post(
        change_url(registration),
        {
            "organisation": "New",
            "access_requirements": "",
            "dietary_requirements": "",
            "workshop": small.pk,
        },
    )

    soup = page_with_status(response, 400)
    assert texts(soup, "#error-summary li") == [
        "The workshop “Mutuality” is full. Choose another, or none."
    ]
    assert details(registration)["workshop"] == "Recovery together"
    assert details(registration)["organisation"] == ""


def test_change_keeps_ones_own_place_in_a_full_workshop(client, seminar, workshops):
    small, _ = workshops
    registration = register(seminar, 1, workshop=small)

    soup = page(client.get(change_url(registration)))
    assert not soup.select_one(f"input[name=workshop][value='{small.pk}']").has_attr("disabled")

    response = client.post(
        change_url(registration),
        {
            "organisation": "New",
            "access_requirements": "",
            "dietary_requirements": "",
            "workshop": small.pk,
        },
    )

    assert response.status_code == 302
    assert (details(registration)["workshop"], details(registration)["organisation"]) == (
        "Mutuality",
        "New",
    )


def test_change_is_not_offered_once_cancelled(client, seminar):
    registration = register(seminar, 1)
    registration_cancel(registration=registration)

    response = client.post(
        change_url(registration),
        {"organisation": "New", "access_requirements": "", "dietary_requirements": ""},
    )

    assert response["Location"] == registration.get_absolute_url()
    assert details(registration)["organisation"] == ""
    with pytest.raises(RegistrationChangeRefused):
        registration_details_update(
            registration=registration,
            organisation="New",
            access_requirements="",
            dietary_requirements="",
        )


# Switching between in person and online


@pytest.fixture
def hybrid(seminar):
    seminar.online_url = "https://meet.example.org/room"
    seminar.capacity = 1
    seminar.online_capacity = 1
    seminar.save()
    return seminar


def _switch(client, registration, attendance):
    return client.post(
        change_url(registration),
        {
            "organisation": "",
            "access_requirements": "",
            "dietary_requirements": "",
            "attendance": attendance,
        },
    )


def test_switch_to_a_full_way_of_attending_says_so_and_changes_nothing(client, hybrid, mailoutbox):
    register(hybrid, 1, attendance="in_person")
    registration = register(hybrid, 2, attendance="online")

    response = _switch(client, registration, "in_person")

    soup = page_with_status(response, 409)
    assert texts(soup, "#error-summary li") == [
        "There are no in-person places free, so nothing has changed: you are still "
        "registered to attend online."
    ]
    assert details(registration)["attendance"] == "online"
    assert details(registration)["updated"] is False


def test_switch_frees_the_old_place_for_the_next_person_waiting(client, hybrid, mailoutbox):
    hybrid.online_capacity = 2
    hybrid.save()
    moving = register(hybrid, 1, attendance="in_person")
    waiting = register(hybrid, 2, attendance="in_person")
    mailoutbox.clear()

    response = _switch(client, moving, "online")

    assert response.status_code == 302
    assert (details(moving)["attendance"], details(moving)["status"]) == ("online", "confirmed")
    assert details(waiting)["status"] == "confirmed"
    assert [(m.to[0], m.subject) for m in mailoutbox] == [
        ("p2@example.org", "A place has come up for you at Sharing power")
    ]


def test_a_waiting_person_switching_to_a_free_place_gets_it(client, hybrid, mailoutbox):
    hybrid.online_capacity = 2
    hybrid.save()
    register(hybrid, 1, attendance="in_person")
    waiting = register(hybrid, 2, attendance="in_person")
    mailoutbox.clear()

    assert _switch(client, waiting, "online").status_code == 302

    assert (details(waiting)["attendance"], details(waiting)["status"]) == ("online", "confirmed")
    assert [m.subject for m in mailoutbox] == ["A place has come up for you at Sharing power"]


def test_switch_refused_when_others_wait_for_the_free_place(hybrid):
    # After the cut-off a freed place is not offered: it still belongs to those waiting.
    for number in (1, 2):
        register(hybrid, number, attendance="online")
    first_online = hybrid.registrations.get(email="p1@example.org")
    in_person = register(hybrid, 3, attendance="in_person")
    hybrid.waitlist_cutoff_hours = 24 * 365
    hybrid.save()
    registration_cancel(registration=first_online)

    with pytest.raises(RegistrationChangeRefused, match="no online places free"):
        registration_details_update(
            registration=in_person,
            organisation="",
            access_requirements="",
            dietary_requirements="",
            attendance="online",
        )


def test_confirmation_email_names_the_workshop(seminar, workshops, mailoutbox):
    small, _ = workshops

    register(seminar, 1, workshop=small)
    register(seminar, 2)

    with_workshop, without = (message.body for message in mailoutbox)
    assert "\nWorkshop: Mutuality\n" in with_workshop
    assert "Workshop:" not in without
