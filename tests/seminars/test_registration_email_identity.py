"""One address is one registration, however it is spelt; a look-alike address is another.

Capitals, the long s (ſ), the Kelvin sign (K, U+212A) and fullwidth letters spell
desk@mindsight.org; "desk@mındsight.org", with a dotless ı, is a different mailbox.
"""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from seminars.models import Registration
from tests.factories import RegistrationFactory, SeminarFactory
from tests.html import page, texts

pytestmark = pytest.mark.django_db

DESK = "desk@mindsight.org"
SPELLINGS = [
    "DESK@MindSight.ORG",
    "deſk@mindsight.org",
    "des\u212a@mindsight.org",
    "ＤＥＳＫ@mindsight.org",
]
LOOK_ALIKE = "desk@mındsight.org"


@pytest.fixture
def seminar():
    return SeminarFactory(
        title="Sharing power",
        slug="sharing-power",
        capacity=10,
        registration_opens_at=timezone.now() - dt.timedelta(days=1),
    )


def _register(client, seminar, email, name):
    return client.post(
        reverse("seminars:registration_create", kwargs={"slug": seminar.slug}),
        {
            "name": name,
            "email": email,
            "organisation": "",
            "role": "",
            "access_requirements": "",
            "dietary_requirements": "",
            "consent": "on",
            "homepage": "",
        },
    )


def test_registering_with_other_spellings_of_an_address_keeps_one_registration(client, seminar):
    sent = reverse("seminars:registration_sent", kwargs={"slug": seminar.slug})

    responses = [
        _register(client, seminar, email, f"Registrant {n}")
        for n, email in enumerate([DESK, *SPELLINGS, LOOK_ALIKE])
    ]

    assert [(response.status_code, response["Location"]) for response in responses] == [
        (302, sent)
    ] * 6
    assert list(Registration.objects.values_list("name", "email")) == [
        ("Registrant 0", DESK),
        ("Registrant 5", LOOK_ALIKE),
    ]
    # Each other spelling is told about the existing place, at the address it holds.
    assert [(message.to, message.subject) for message in mail.outbox] == [
        ([DESK], "Your place at Sharing power"),
        *[([DESK], "Your registration for Sharing power")] * len(SPELLINGS),
        ([LOOK_ALIKE], "Your place at Sharing power"),
    ]


def test_admin_refuses_another_spelling_of_an_address_registered_for_the_seminar(
    organiser_client, seminar
):
    RegistrationFactory(seminar=seminar, name="Desk", email=DESK)
    other = RegistrationFactory(seminar=seminar, name="Other", email="other@example.org")
    change_url = reverse("admin:seminars_registration_change", args=[other.pk])
    form = {
        "name": "Other",
        "organisation": "",
        "role": "",
        "attendance": "in_person",
        "access_requirements": "",
        "dietary_requirements": "",
    }

    refused = page(organiser_client.post(change_url, {**form, "email": SPELLINGS[1]}))
    changed = organiser_client.post(change_url, {**form, "email": "ＯＴＨＥＲ@Example.org"})

    assert texts(refused, ".errornote, .errorlist li") == [
        "Please correct the error below.",
        "This email address is already registered.",
    ]
    assert changed.status_code == 302
    assert list(Registration.objects.values_list("email", flat=True)) == [
        DESK,
        "other@example.org",
    ]
