"""Attendees may say, when registering or later through their private link, that they do not
want to be photographed. Organisers see how many, and who, in the admin and the CSV."""

import pytest
from django.urls import reverse

from seminars.models import Registration
from seminars.services import registration_create, registration_erase
from tests.factories import RegistrationFactory, SeminarFactory
from tests.html import page, text, texts

pytestmark = pytest.mark.django_db

LABEL = "I do not want to be photographed"
HELP = "The organisers will ask anyone taking photographs at the seminar not to photograph you."


@pytest.fixture
def seminar():
    return SeminarFactory(title="Sharing power", slug="sharing-power", capacity=10)


def registration_data(**overrides):
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


def box(soup):
    """The checkbox, its label and the help text it is described by."""
    checkbox = soup.select_one("input[type=checkbox][name=do_not_photograph]")
    label = soup.select_one(f"label[for={checkbox['id']}]").get_text(strip=True)
    described = soup.select_one(f"#{checkbox['aria-describedby']}").get_text(strip=True)
    return label, described, checkbox.has_attr("checked"), checkbox.has_attr("required")


def test_registration_form_offers_an_optional_unticked_box(client, seminar):
    soup = page(client.get("/seminars/sharing-power/register/"))

    assert box(soup) == (LABEL, HELP, False, False)


@pytest.mark.parametrize(("ticked", "stored"), [({"do_not_photograph": "on"}, True), ({}, False)])
def test_registering_stores_the_answer(client, seminar, ticked, stored):
    response = client.post("/seminars/sharing-power/register/", registration_data(**ticked))

    assert response.status_code == 302
    assert Registration.objects.get().do_not_photograph is stored


def test_registrant_changes_it_through_their_private_link(client, seminar):
    registration = registration_create(
        seminar=seminar, name="Ann Able", email="ann@example.org", do_not_photograph=True
    )
    change_url = reverse("seminars:registration_change", kwargs={"token": registration.token})
    assert box(page(client.get(change_url))) == (LABEL, HELP, True, False)

    response = client.post(change_url, {"organisation": "", "access_requirements": ""}, follow=True)

    soup = page(response)
    registration.refresh_from_db()
    assert (registration.do_not_photograph, registration.details_updated_at is not None) == (
        False,
        True,
    )
    shown = dict(zip(texts(soup, "dt"), texts(soup, "dd"), strict=True))
    assert shown["Photographs"] == "No request made"

    client.post(change_url, {"do_not_photograph": "on"})

    registration.refresh_from_db()
    assert registration.do_not_photograph is True
    soup = page(client.get(registration.get_absolute_url()))
    shown = dict(zip(texts(soup, "dt"), texts(soup, "dd"), strict=True))
    assert shown["Photographs"] == "You do not want to be photographed"


def test_not_to_photograph_lists_only_confirmed_people_who_asked(seminar):
    asked = RegistrationFactory(seminar=seminar, name="Asked", do_not_photograph=True)
    RegistrationFactory(seminar=seminar, name="Did not ask")
    RegistrationFactory(
        seminar=seminar,
        name="Waiting",
        do_not_photograph=True,
        status=Registration.Status.WAITLISTED,
    )
    RegistrationFactory(
        seminar=seminar,
        name="Cancelled",
        do_not_photograph=True,
        status=Registration.Status.CANCELLED,
    )
    RegistrationFactory(name="Elsewhere", do_not_photograph=True)

    assert list(Registration.objects.filter(seminar=seminar).not_to_photograph()) == [asked]


def test_erasing_a_registration_forgets_the_answer(seminar):
    registration = registration_create(
        seminar=seminar, name="Ann Able", email="ann@example.org", do_not_photograph=True
    )

    registration_erase(registration=registration)

    registration.refresh_from_db()
    assert (registration.name, registration.do_not_photograph) == ("", False)


def test_organisers_see_the_count_on_the_seminar_page(organiser_client, seminar):
    RegistrationFactory.create_batch(2, seminar=seminar, do_not_photograph=True)
    RegistrationFactory(seminar=seminar)
    RegistrationFactory(
        seminar=seminar, do_not_photograph=True, status=Registration.Status.WAITLISTED
    )
    SeminarFactory(title="Nobody asked", days_from_now=60)

    changelist = page(organiser_client.get(reverse("admin:seminars_seminar_changelist")))
    change = page(organiser_client.get(reverse("admin:seminars_seminar_change", args=[seminar.pk])))

    assert texts(changelist, "#result_list .field-title") == ["Nobody asked", "Sharing power"]
    assert text(change, ".field-registration_summary .readonly") == (
        "3 confirmed of 10 places, 1 waiting. Not to be photographed: 2. See the registrations"
    )


def test_organisers_filter_registrations_by_it(organiser_client, seminar):
    RegistrationFactory(seminar=seminar, name="Asked", do_not_photograph=True)
    RegistrationFactory(seminar=seminar, name="Did not ask")

    response = organiser_client.get(
        reverse("admin:seminars_registration_changelist"), {"do_not_photograph__exact": "1"}
    )

    assert [str(row) for row in response.context["cl"].result_list] == ["Asked for Sharing power"]
