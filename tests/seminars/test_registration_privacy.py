"""A registrant's own data: download it, delete it; and it never reaches the logs."""

import json
import logging

import pytest
from mailer.models import Message

from people.models import Role
from seminars.models import Registration
from seminars.services import registration_create
from tests.factories import SeminarFactory
from tests.html import page, page_with_status, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar(mail_queue):
    return SeminarFactory(title="Sharing power", slug="sharing-power", capacity=1)


def test_registrant_downloads_everything_stored_about_them(client, seminar):
    registration = registration_create(
        seminar=seminar,
        name="Sam Visitor",
        email="sam@example.org",
        pronouns="he/him",
        organisation="Leeds Mind",
        role=Role.objects.get(slug="carer"),
        access_requirements="A hearing loop",
        dietary_requirements="Vegan",
        do_not_photograph=True,
    )

    response = client.get(f"/registrations/{registration.token}/data/")

    assert response["Content-Disposition"] == (
        'attachment; filename="registration-sharing-power.json"'
    )
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["seminar"]["title"] == "Sharing power"
    assert {key: data[key] for key in data if key != "seminar"} == {
        "name": "Sam Visitor",
        "email": "sam@example.org",
        "pronouns": "he/him",
        "organisation": "Leeds Mind",
        "involvement": "Carer",
        "attendance": "In person",
        "workshop": "",
        "with_companion": False,
        "access_needs": [],
        "access_requirements": "A hearing loop",
        "access_request_status": "New",
        "dietary_requirements": "Vegan",
        "do_not_photograph": True,
        "status": "Confirmed",
        "registered_at": registration.created_at.isoformat(),
        "details_updated_at": None,
        "cancelled_at": None,
        "arrived_at": None,
        "added_at_the_door": False,
        "erased_after_days": 90,
        "feedback": None,
    }


def test_registrant_deletes_their_registration_and_the_place_passes_on(client, seminar):
    first = registration_create(
        seminar=seminar, name="Sam Visitor", email="sam@example.org", access_requirements="Loop"
    )
    waiting = registration_create(seminar=seminar, name="Wai Ting", email="wai@example.org")
    old_link = f"/registrations/{first.token}/"

    confirm = page(client.get(old_link + "delete/"))
    assert text(confirm, "h1") == "Delete your registration for Sharing power?"
    done = page(client.post(old_link + "delete/"))

    assert text(done, "h1") == "Your details are deleted"
    first.refresh_from_db()
    assert (first.name, first.email, first.access_requirements, first.role) == ("", "", "", None)
    assert first.status == Registration.Status.CANCELLED
    assert first.purged_at is not None
    assert client.get(old_link).status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_a_full_seminar_answers_the_same_whether_or_not_the_email_is_registered(client, seminar):
    """No probing who registered: the page is the same, the registered person gets their link."""
    seminar.waitlist_enabled = False
    seminar.save()
    registered = registration_create(seminar=seminar, name="Sam Visitor", email="sam@example.org")
    Message.objects.all().delete()

    answers = [
        client.post(
            "/seminars/sharing-power/register/",
            {"name": "Someone", "email": email, "consent": "on", "homepage": ""},
        )
        for email in ["Sam@Example.org", "not.registered@example.org"]
    ]

    assert [answer.status_code for answer in answers] == [409, 409]
    assert answers[0].content == answers[1].content
    soup = page_with_status(answers[0], 409)
    assert [text(soup, "#availability"), text(soup, "#link-resent")] == [
        "This seminar is full.",
        "If you had already registered for this seminar with that email address, we have "
        "emailed you the link to your registration again.",
    ]
    [message] = [queued.email for queued in Message.objects.all()]
    assert (message.to, message.subject) == (
        ["sam@example.org"],
        "Your registration for Sharing power",
    )
    assert f"/registrations/{registered.token}/" in message.body
    assert list(Registration.objects.values_list("email", flat=True)) == ["sam@example.org"]


def test_registration_never_writes_personal_data_to_the_logs(client, seminar, caplog):
    caplog.set_level(logging.DEBUG)
    client.post(
        "/seminars/sharing-power/register/",
        {
            "name": "Sam Visitor",
            "email": "sam@example.org",
            "access_requirements": "Needs a BSL interpreter",
            "dietary_requirements": "Coeliac",
            "consent": "on",
        },
    )
    registration = Registration.objects.get()
    client.get(f"/registrations/{registration.token}/")
    client.post("/seminars/sharing-power/register/", {"name": "x" * 300, "email": "bad"})

    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in ["Sam Visitor", "sam@example.org", "BSL interpreter", "Coeliac"]:
        assert secret not in logged
    assert registration.token not in logged
