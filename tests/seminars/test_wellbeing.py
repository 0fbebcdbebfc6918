"""Wellbeing and what to expect, and the easy read summary: written by the organisers per
seminar, shown on its page and in the confirmation and reminder emails, only where filled in."""

import pytest
from django.urls import reverse
from mailer.models import Message

from seminars.models import Registration, Seminar
from seminars.services import registration_create, registration_remind
from tests.factories import SeminarFactory
from tests.html import form_data, page, page_with_status, text, texts

pytestmark = pytest.mark.django_db

WELLBEING = {
    "content_notes": "Accounts of **detention** and self-harm.",
    "what_to_expect": "Talks in the morning, a workshop after lunch.\n\n- A break every hour",
    "wellbeing_contact_name": "Alex Morgan",
    "wellbeing_contact_details": "01632 960 000",
    "support": "The quiet room is open all day.",
}


def queued_body():
    (message,) = Message.objects.all()
    return message.email.body


def test_seminar_page_shows_every_part_of_the_wellbeing_block_in_order(client):
    seminar = SeminarFactory(slug="calm", **WELLBEING)

    soup = page(client.get(seminar.get_absolute_url()))

    block = soup.select_one("section[aria-labelledby=wellbeing-title]")
    assert text(block, "h2") == "Wellbeing and what to expect"
    assert texts(block, "h3") == [
        "Content notes",
        "What to expect on the day",
        "Wellbeing contact on the day",
        "Where to find support",
    ]
    assert texts(block, ".prose") == [
        "Accounts of detention and self-harm.",
        "Talks in the morning, a workshop after lunch. A break every hour",
        "The quiet room is open all day.",
    ]
    assert str(block.select_one(".prose strong")) == "<strong>detention</strong>"
    assert text(block, "h3 + p") == "Alex Morgan: 01632 960 000"


def test_seminar_page_shows_only_the_parts_filled_in(client):
    seminar = SeminarFactory(support="Your GP can help.", wellbeing_contact_name="Alex Morgan")

    soup = page(client.get(seminar.get_absolute_url()))

    block = soup.select_one("section[aria-labelledby=wellbeing-title]")
    assert texts(block, "h3") == ["Wellbeing contact on the day", "Where to find support"]
    assert text(block, "h3 + p") == "Alex Morgan"


def test_seminar_page_without_wellbeing_or_easy_read_shows_neither(client):
    seminar = SeminarFactory(description="About it.", content_notes="  \n ")

    soup = page(client.get(seminar.get_absolute_url()))

    assert soup.select("#wellbeing-title, #easy-read-title, .wellbeing, .easy-read") == []
    assert "easy read" not in text(soup, "main").lower()


def test_easy_read_is_a_section_of_its_own_beside_the_description(client):
    seminar = SeminarFactory(
        description="A seminar about *co-production*.",
        easy_read="This is a meeting.\n\nYou can leave at any time.<script>alert(1)</script>",
    )

    response = client.get(seminar.get_absolute_url())
    soup = page(response)

    headings = texts(soup, "article h2")
    assert headings.index("Easy read") == headings.index("About this seminar") + 1
    assert text(soup, "section[aria-labelledby=about-title] p a") == (
        "Read about this seminar in easy read"
    )
    assert soup.select_one("section[aria-labelledby=about-title] p a")["href"] == (
        "#easy-read-title"
    )
    assert texts(soup, "section[aria-labelledby=easy-read-title] .prose p") == [
        "This is a meeting.",
        "You can leave at any time.",
    ]
    assert b"<script>alert(1)" not in response.content


def test_easy_read_without_a_description_still_shows(client):
    seminar = SeminarFactory(description="", easy_read="This is a meeting.")

    soup = page(client.get(seminar.get_absolute_url()))

    assert text(soup, "#easy-read-title") == "Easy read"
    assert soup.select("#about-title") == []


def test_has_wellbeing_ignores_blank_fields_and_the_easy_read():
    assert not Seminar(content_notes=" \n", easy_read="Easy words.").has_wellbeing
    assert Seminar(what_to_expect="Breaks.").has_wellbeing


def test_confirmation_email_carries_the_wellbeing_block(mail_queue):
    seminar = SeminarFactory(title="Calm day", **WELLBEING)

    registration_create(seminar=seminar, name="Ann Able", email="ann@example.org")

    body = queued_body()
    block = body[body.index("Wellbeing and what to expect") : body.index("The seminar is")]
    assert block.strip().splitlines() == [
        "Wellbeing and what to expect",
        "",
        "Content notes:",
        "Accounts of **detention** and self-harm.",
        "",
        "What to expect on the day:",
        "Talks in the morning, a workshop after lunch.",
        "",
        "- A break every hour",
        "",
        "Wellbeing contact on the day: Alex Morgan, 01632 960 000",
        "",
        "Where to find support:",
        "The quiet room is open all day.",
    ]


def test_reminder_email_carries_the_wellbeing_block(mail_queue):
    seminar = SeminarFactory(
        days_from_now=1, support="The quiet room is open all day.", content_notes="Detention."
    )
    registration = Registration.objects.create(
        seminar=seminar, name="Ann Able", email="ann@example.org"
    )

    assert registration_remind(registration=registration, now=seminar.starts_at) is True

    body = queued_body()
    assert "Wellbeing and what to expect\n\nContent notes:\nDetention.\n" in body
    assert "Where to find support:\nThe quiet room is open all day.\n" in body
    assert "What to expect" not in body.replace("Wellbeing and what to expect", "")


def test_emails_without_wellbeing_say_nothing_of_it(mail_queue):
    seminar = SeminarFactory(easy_read="Easy words.")

    registration_create(seminar=seminar, name="Ann Able", email="ann@example.org")

    body = queued_body()
    assert "Wellbeing" not in body
    assert "Easy words" not in body


# The admin


def test_admin_groups_the_fields_in_a_wellbeing_fieldset(organiser_client):
    seminar = SeminarFactory()

    response = organiser_client.get(reverse("admin:seminars_seminar_change", args=[seminar.pk]))

    [fieldset] = [
        fieldset
        for fieldset in response.context["adminform"]
        if fieldset.name == "Wellbeing and what to expect"
    ]
    assert [field for line in fieldset.fields for field in _names(line)] == [
        "content_notes",
        "what_to_expect",
        "wellbeing_contact_name",
        "wellbeing_contact_details",
        "support",
        "easy_read",
    ]


def _names(line):
    return list(line) if isinstance(line, tuple) else [line]


def test_admin_saves_the_wellbeing_fields(organiser_client):
    seminar = SeminarFactory()
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    data = _change_form_data(organiser_client, url) | {
        **WELLBEING,
        "easy_read": "This is a meeting.",
    }

    response = organiser_client.post(url, data)

    assert response.status_code == 302
    seminar.refresh_from_db()
    assert {name: getattr(seminar, name) for name in [*WELLBEING, "easy_read"]} == {
        **WELLBEING,
        "easy_read": "This is a meeting.",
    }


def test_admin_refuses_a_way_to_reach_a_contact_without_their_name(organiser_client):
    seminar = SeminarFactory()
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    data = _change_form_data(organiser_client, url) | {"wellbeing_contact_details": "01632 960 000"}

    response = organiser_client.post(url, data)

    soup = page_with_status(response, 200)
    assert text(soup, ".field-wellbeing_contact_name .errorlist") == (
        "Please give the name of the wellbeing contact, so that people know whom they are reaching."
    )
    seminar.refresh_from_db()
    assert seminar.wellbeing_contact_details == ""


def _change_form_data(client, url):
    """The change form as the browser posts it back unchanged: {name: [values]}."""
    return form_data(page(client.get(url)).select_one("form#seminar_form"))
