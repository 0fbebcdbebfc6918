"""Single-line fields stay single-line, and odd text already stored never fails a page.

A line break in a seminar title once made its calendar and every registration for it answer
500 (an iCalendar line and an email header cannot hold one). Forms, the admin's included,
now refuse line breaks and control characters in titles and names with a message; text
stored before (or written by code) is put on one line where it leaves.
"""

import icalendar
import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse

from seminars.models import Registration, Seminar, Venue
from tests.clients.mail_readers import attached_calendar
from tests.factories import PersonFactory, SeminarFactory, TalkFactory, UserFactory, VenueFactory
from tests.html import page_with_status, text, texts

pytestmark = pytest.mark.django_db

MESSAGE = "Enter this on one line: line breaks and control characters cannot be used here."
ODD_TITLE = "Sharing power\r\nin research\x07 \u2028together"
ODD_TITLE_ON_ONE_LINE = "Sharing power in research together"


def _browser_form_data(response, form_selector):
    """What a browser would post back from the form, unchanged."""
    form = BeautifulSoup(response.content, "html.parser").select_one(form_selector)
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name, kind = field["name"], field.get("type", "text")
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = field.select("option[selected]")
            data[name] = (
                [option["value"] for option in chosen]
                if field.has_attr("multiple")
                else (chosen[0]["value"] if chosen else "")
            )
        elif kind in {"checkbox", "radio"}:
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif kind not in {"submit", "button", "file"}:
            data[name] = field.get("value", "")
    return data


@pytest.mark.parametrize("title", ["First line\nsecond line", "Carriage\rreturn", "Bell\x07"])
def test_admin_refuses_a_seminar_title_on_two_lines_and_keeps_the_old_one(organiser_client, title):
    seminar = SeminarFactory(title="Doing research together")
    TalkFactory(seminar=seminar)
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    data = _browser_form_data(organiser_client.get(url), "#seminar_form")

    response = organiser_client.post(url, {**data, "title": title})

    soup = page_with_status(response, 200)
    assert texts(soup, ".field-title .errorlist") == [MESSAGE]
    assert Seminar.objects.get().title == "Doing research together"


def test_admin_refuses_a_venue_name_with_a_line_break(organiser_client):
    response = organiser_client.post(
        reverse("admin:seminars_venue_add"), {"name": "Leeds\nUniversity", "address": "x"}
    )

    assert texts(page_with_status(response, 200), ".field-name .errorlist") == [MESSAGE]
    assert not Venue.objects.exists()


def test_registration_form_refuses_a_name_with_a_line_break(client):
    SeminarFactory(slug="open", capacity=10)

    response = client.post(
        "/seminars/open/register/",
        {"name": "Ann\r\nBcc: someone", "email": "ann@example.org", "consent": "on"},
    )

    assert text(page_with_status(response, 400), "#id_name_error") == f"Error: {MESSAGE}"
    assert not Registration.objects.exists()
    assert mail.outbox == []


def test_registration_form_refuses_pronouns_with_a_line_break(client):
    SeminarFactory(slug="open", capacity=10)

    response = client.post(
        "/seminars/open/register/",
        {"name": "Ann Able", "email": "ann@example.org", "pronouns": "she/\nher", "consent": "on"},
    )

    soup = page_with_status(response, 400)
    assert texts(soup, "#error-summary li") == [MESSAGE]
    assert text(soup, "#id_pronouns_error") == f"Error: {MESSAGE}"
    assert soup.select_one("#id_pronouns")["value"] == "she/\nher"
    assert not Registration.objects.exists()
    assert mail.outbox == []


def test_profile_form_refuses_a_name_with_a_line_break(client):
    user = UserFactory(email="sam@example.org")
    person = PersonFactory(name="Sam Speaker", user=user)
    client.force_login(user)

    response = client.post(
        "/profile/", {"name": "Sam\nSpeaker", "pronouns": "", "affiliation": "", "bio": ""}
    )

    assert text(page_with_status(response, 400), "#id_name_error") == f"Error: {MESSAGE}"
    person.refresh_from_db()
    assert person.name == "Sam Speaker"


@pytest.fixture
def odd_seminar():
    """A seminar whose text was stored before the forms refused it (written by code)."""
    return SeminarFactory(
        slug="odd",
        title=ODD_TITLE,
        summary="A summary\nwith a break\x1b and an escape",
        venue=VenueFactory(name="Leeds\r\nCivic Hall", address="1 Street\n\nLeeds"),
        capacity=10,
    )


def _event(ics_bytes):
    [event] = icalendar.Calendar.from_ical(ics_bytes).walk("VEVENT")
    return event


def test_calendars_of_a_seminar_with_odd_text_still_answer_and_read_back(client, odd_seminar):
    single = client.get(f"/seminars/{odd_seminar.slug}/calendar.ics")
    feed = client.get("/calendar.ics")

    assert (single.status_code, feed.status_code) == (200, 200)
    calendar = icalendar.Calendar.from_ical(single.content)
    assert str(calendar["X-WR-CALNAME"]) == ODD_TITLE_ON_ONE_LINE
    for body in (single.content, feed.content):
        event = _event(body)
        assert str(event["SUMMARY"]) == ODD_TITLE_ON_ONE_LINE
        assert str(event["LOCATION"]) == "Leeds Civic Hall, 1 Street, Leeds, Testbury, TE1 1ST"
        assert str(event["DESCRIPTION"]).startswith("A summary\nwith a break and an escape\n")
        assert all(ord(character) >= 32 for character in body.decode().replace("\r\n", ""))


def test_registering_for_a_seminar_with_odd_text_works_and_emails_one_line(client, odd_seminar):
    response = client.post(
        "/seminars/odd/register/",
        {"name": "Ann Able", "email": "ann@example.org", "consent": "on", "homepage": ""},
    )

    assert (response.status_code, response["Location"]) == (302, "/seminars/odd/register/sent/")
    assert Registration.objects.get().email == "ann@example.org"
    [email] = mail.outbox
    assert email.subject == f"Your place at {ODD_TITLE_ON_ONE_LINE}"
    _name, content = attached_calendar(email)
    assert str(_event(content)["SUMMARY"]) == ODD_TITLE_ON_ONE_LINE
