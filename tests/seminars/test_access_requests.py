"""What a registrant asks for: access needs ticked from the organisers' vocabulary beside
the free text, and where the organisers are with it. Health data: the registrant and the
organisers only, never in a log or a public page, and erased with the registration."""

import csv
import io
import json
import logging

import pytest
from django.urls import reverse

from seminars.access.models import AccessProvision
from seminars.models import Registration
from seminars.services import registration_create
from tests.factories import AccessProvisionFactory, RegistrationFactory, SeminarFactory
from tests.html import page, page_with_status, text, texts
from tests.processes import manage as manage_py

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:seminars_registration_changelist"


@pytest.fixture
def seminar():
    return SeminarFactory(title="Sharing power", slug="sharing-power", capacity=10)


def needs(*slugs):
    return list(AccessProvision.objects.filter(slug__in=slugs))


def pks(*slugs):
    return [str(provision.pk) for provision in needs(*slugs)]


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


def details(soup):
    """The private page's details, by their terms."""
    return dict(zip(texts(soup, ".details-list dt"), texts(soup, ".details-list dd"), strict=True))


def register(seminar, **fields):
    return registration_create(seminar=seminar, name="Ann Able", email="ann@example.org", **fields)


def stored_request(registration):
    registration.refresh_from_db()
    return (
        [need.name for need in registration.access_needs.all()],
        registration.access_requirements,
        registration.access_request_status,
    )


# Asking


def test_registration_form_offers_the_vocabulary_as_labelled_checkboxes(client, seminar):
    soup = page(client.get("/seminars/sharing-power/register/"))

    fieldset = soup.select_one("#div_id_access_needs fieldset")
    assert text(fieldset, "legend") == "Access needs (optional)"
    assert text(soup, f"#{fieldset['aria-describedby']}") == (
        "Tick anything you need to take part; the organisers will tell you what they can "
        "arrange. Only the organisers see this. Your details are deleted 90 days after the "
        "seminar ends."
    )
    boxes = fieldset.select("input[type=checkbox]")
    labels = [text(soup, f"label[for={box['id']}]") for box in boxes]
    assert labels[:3] == [
        "Step-free access (level or ramped access, or a lift, to every room used)",
        "Hearing loop (for hearing aids with a T setting)",
        "BSL interpretation (British Sign Language interpreters)",
    ]
    assert len(labels) == AccessProvision.objects.count()


def test_registering_with_needs_stores_them_as_a_new_request(client, seminar):
    response = client.post(
        "/seminars/sharing-power/register/",
        form_data(access_needs=pks("hearing-loop", "quiet-room"), access_requirements="Front row"),
    )

    assert response.status_code == 302
    assert stored_request(Registration.objects.get()) == (
        ["Hearing loop", "Quiet room"],
        "Front row",
        "new",
    )


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({}, ""),
        ({"access_requirements": "A seat by the door"}, "new"),
        ({"access_requirements": "   "}, ""),
    ],
)
def test_only_something_asked_for_makes_a_request(client, seminar, data, status):
    client.post("/seminars/sharing-power/register/", form_data(**data))

    assert Registration.objects.get().access_request_status == status


def test_a_need_not_in_the_vocabulary_is_refused_with_a_message(client, seminar):
    response = client.post("/seminars/sharing-power/register/", form_data(access_needs=["0"]))

    soup = page_with_status(response, 400)
    assert text(soup, "#id_access_needs_error") == "Error: Tick only the access needs listed."
    assert Registration.objects.count() == 0


# What the registrant sees


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        ("new", "New: the organisers have your request, and will get in touch if they need to "
         "know more."),
        ("contacted", "Contacted: the organisers have been in touch with you about it."),
        ("arranged", "Arranged: the organisers have arranged what you asked for."),
        ("cannot_arrange", "Cannot arrange: the organisers cannot arrange everything you asked "
         "for. If they have not told you why, please contact them."),
    ],
)  # fmt: skip
def test_private_page_shows_the_needs_and_status_never_the_organisers_note(
    client, seminar, status, shown
):
    registration = register(seminar, access_needs=needs("quiet-room", "hearing-loop"))
    Registration.objects.filter(pk=registration.pk).update(
        access_request_status=status, access_note="Phoned Ann about the loop"
    )

    response = client.get(registration.get_absolute_url())

    soup = page(response)
    assert details(soup)["Access needs"] == "Hearing loop, Quiet room"
    assert details(soup)["Your access request"] == shown
    assert text(soup, "#access-request-status") == shown
    assert b"Phoned Ann" not in response.content


def test_private_page_without_a_request_shows_no_status(client, seminar):
    registration = register(seminar)

    soup = page(client.get(registration.get_absolute_url()))

    assert details(soup)["Access needs"] == "None ticked"
    assert soup.select("#access-request-status") == []


def test_private_page_runs_no_query_for_the_needs(client, seminar, django_assert_num_queries):
    registration = register(seminar, access_needs=needs("quiet-room", "hearing-loop"))

    # The registration with its seminar and needs; the seminar's last change.
    with django_assert_num_queries(2):
        client.get(registration.get_absolute_url())


def test_data_download_has_the_needs_and_status_not_the_note(client, seminar):
    registration = register(
        seminar, access_needs=needs("live-captions"), access_requirements="Large print"
    )
    Registration.objects.filter(pk=registration.pk).update(access_note="Printed in 18pt")

    data = json.loads(client.get(f"/registrations/{registration.token}/data/").content)

    assert {key: data[key] for key in ["access_needs", "access_requirements"]} == {
        "access_needs": ["Live captions"],
        "access_requirements": "Large print",
    }
    assert (data["access_request_status"], data["with_companion"]) == ("New", False)
    assert "Printed in 18pt" not in json.dumps(data)


def test_public_pages_never_show_a_registrants_needs(client, seminar):
    seminar.access_provisions.set(needs("step-free-access"))
    register(seminar, access_needs=needs("bsl-interpretation"), access_requirements="Zq corner")

    for url in ["/", "/seminars/", "/seminars/sharing-power/", "/search/?q=zq"]:
        content = client.get(url).content.decode()
        assert "BSL interpretation" not in content
        assert "Zq corner" not in content


# Changing them


def change(client, registration, **overrides):
    data = {
        "organisation": registration.organisation,
        "access_requirements": registration.access_requirements,
        "dietary_requirements": registration.dietary_requirements,
        **overrides,
    }
    return client.post(f"/registrations/{registration.token}/change/", data)


def test_change_page_ticks_the_needs_already_asked_for(client, seminar):
    registration = register(seminar, access_needs=needs("quiet-room"))

    soup = page(client.get(f"/registrations/{registration.token}/change/"))

    ticked = soup.select("input[name=access_needs][checked]")
    assert [text(soup, f"label[for={box['id']}]") for box in ticked] == [
        "Quiet room (a calm space to take a break in)"
    ]


def test_changing_the_needs_makes_the_request_new_again(client, seminar):
    registration = register(seminar, access_needs=needs("quiet-room"))
    Registration.objects.filter(pk=registration.pk).update(access_request_status="arranged")

    response = change(client, registration, access_needs=pks("quiet-room", "regular-breaks"))

    assert response.status_code == 302
    assert stored_request(registration) == (["Quiet room", "Regular breaks"], "", "new")
    assert registration.details_updated_at is not None


def test_changing_something_else_keeps_the_organisers_status(client, seminar):
    registration = register(seminar, access_needs=needs("quiet-room"))
    Registration.objects.filter(pk=registration.pk).update(access_request_status="arranged")

    change(client, registration, organisation="Leeds Mind", access_needs=pks("quiet-room"))

    assert stored_request(registration) == (["Quiet room"], "", "arranged")
    assert registration.organisation == "Leeds Mind"


def test_taking_every_need_away_leaves_no_request(client, seminar):
    registration = register(seminar, access_needs=needs("quiet-room"), access_requirements="X")
    Registration.objects.filter(pk=registration.pk).update(access_request_status="contacted")

    change(client, registration, access_requirements="")

    assert stored_request(registration) == ([], "", "")


# Organisers


def test_organiser_sets_the_status_and_a_note_in_the_admin(organiser_client, seminar):
    registration = register(seminar, access_needs=needs("hearing-loop"))
    url = reverse("admin:seminars_registration_change", args=[registration.pk])

    response = organiser_client.post(
        url,
        {
            "name": "Ann Able",
            "email": "ann@example.org",
            "organisation": "",
            "role": "",
            "attendance": "in_person",
            "access_needs": pks("hearing-loop"),
            "access_requirements": "",
            "dietary_requirements": "",
            "access_request_status": "contacted",
            "access_note": "Phoned on 3 March: the loop covers the front rows.",
        },
    )

    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.access_request_status, registration.access_note) == (
        "contacted",
        "Phoned on 3 March: the loop covers the front rows.",
    )
    assert [need.name for need in registration.access_needs.all()] == ["Hearing loop"]


def test_admin_filters_registrations_by_access_request_status(organiser_client, seminar):
    register(seminar, access_needs=needs("hearing-loop", "quiet-room"), access_requirements="X")
    arranged = registration_create(
        seminar=seminar, name="Bea", email="bea@example.org", access_needs=needs("live-captions")
    )
    Registration.objects.filter(pk=arranged.pk).update(access_request_status="arranged")
    registration_create(seminar=seminar, name="Cal", email="cal@example.org")

    def listed(status):
        soup = page(organiser_client.get(reverse(CHANGELIST), {"access_request_status": status}))
        return texts(soup, "#result_list .field-name")

    # The list's columns fit a laptop's screen: the request is a filter, and the CSV's column.
    assert (listed("new"), listed("arranged"), listed("contacted")) == (["Ann Able"], ["Bea"], [])


@pytest.mark.parametrize("count", [1, 5])
def test_admin_list_with_needs_runs_the_same_queries_for_one_or_many(
    organiser_client, django_assert_num_queries, count
):
    seminar = SeminarFactory()
    for registration in RegistrationFactory.create_batch(count, seminar=seminar):
        registration.access_needs.set(needs("quiet-room", "hearing-loop"))

    # As without needs (test_registration_admin.py): they come annotated.
    with django_assert_num_queries(11):
        organiser_client.get(reverse(CHANGELIST))


def test_csv_has_the_needs_status_and_companion_but_not_the_note(organiser_client, seminar):
    registration = register(
        seminar, access_needs=needs("quiet-room", "hearing-loop"), with_companion=True
    )
    Registration.objects.filter(pk=registration.pk).update(access_note="Seats kept at front")

    response = organiser_client.post(
        reverse(CHANGELIST),
        {"action": "download_csv", "_selected_action": [registration.pk]},
    )

    header, row = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    columns = dict(zip(header, row, strict=True))
    assert {
        name: columns[name]
        for name in ["companion or personal assistant", "access needs", "access request"]
    } == {
        "companion or personal assistant": "yes",
        "access needs": "Hearing loop, Quiet room",
        "access request": "New",
    }
    assert "Seats kept at front" not in response.content.decode()


# Never logged; erased with the rest


def test_asking_changing_and_organising_log_nothing_of_the_request(
    client, organiser_client, seminar, caplog
):
    caplog.set_level(logging.DEBUG)
    client.post(
        "/seminars/sharing-power/register/",
        form_data(access_needs=pks("bsl-interpretation"), access_requirements="Zq interpreter"),
    )
    registration = Registration.objects.get()
    change(client, registration, access_needs=pks("live-captions"))
    # Refused (a need not listed): Django logs the 400 with its path, and no more.
    change(client, registration, access_needs=["0"], access_requirements="Zq again")
    Registration.objects.filter(pk=registration.pk).update(access_note="Zq booked")
    client.get(registration.get_absolute_url())
    organiser_client.get(reverse("admin:seminars_registration_change", args=[registration.pk]))

    assert [record.getMessage() for record in caplog.records if record.levelno >= 30] == [
        "Bad Request: /registrations/[token]/change/"
    ]
    for secret in ["BSL interpretation", "Live captions", "Zq"]:
        assert secret.lower() not in caplog.text.lower()


def test_deleting_my_registration_erases_the_request_and_companion(client, seminar):
    registration = register(
        seminar, access_needs=needs("quiet-room"), access_requirements="X", with_companion=True
    )
    Registration.objects.filter(pk=registration.pk).update(access_note="Booked the quiet room")

    client.post(f"/registrations/{registration.token}/delete/")

    registration.refresh_from_db()
    assert (
        registration.access_requirements,
        registration.access_request_status,
        registration.access_note,
        registration.with_companion,
        registration.purged_at is not None,
    ) == ("", "", "", False, True)
    assert not Registration.access_needs.through.objects.filter(registration=registration).exists()


@pytest.mark.django_db(transaction=True)
def test_the_purge_as_cron_runs_it_erases_every_request_after_the_seminar():
    past = SeminarFactory(days_from_now=-200)
    upcoming = SeminarFactory(days_from_now=10)
    quiet = AccessProvisionFactory(slug="quiet-room", name="Quiet room")
    loop = AccessProvisionFactory(slug="hearing-loop", name="Hearing loop")
    for seminar in [past, upcoming]:
        registration = RegistrationFactory(
            seminar=seminar,
            access_requirements="A seat by the door",
            access_request_status="arranged",
            access_note="Seat kept by the door",
            with_companion=True,
        )
        registration.access_needs.set([quiet, loop])

    purged = manage_py("purge_registrations")  # as cron runs it

    assert purged.stdout == "Purged 1 registration.\n"
    assert {
        registration.seminar_id: (
            sorted(need.name for need in registration.access_needs.all()),
            registration.access_requirements,
            registration.access_request_status,
            registration.access_note,
            registration.with_companion,
        )
        for registration in Registration.objects.all()
    } == {
        past.pk: ([], "", "", "", False),
        upcoming.pk: (
            ["Hearing loop", "Quiet room"],
            "A seat by the door",
            "arranged",
            "Seat kept by the door",
            True,
        ),
    }
