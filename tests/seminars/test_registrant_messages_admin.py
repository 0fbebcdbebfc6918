"""The admin page for emailing registrants: compose, preview, send, the record on the
seminar's page, bad input and permission."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from mailer.models import Message

from seminars.models import Registration
from seminars.registrant_messages.models import RegistrantMessage
from tests.factories import RegistrationFactory, SeminarFactory, UserFactory
from tests.html import page, text, texts
from tests.seminars.test_registrant_messages import seminar_with_registrants

pytestmark = pytest.mark.django_db

Attendance = Registration.Attendance


@pytest.fixture
def seminar():
    return seminar_with_registrants()


def email_url(seminar):
    return f"/admin/seminars/seminar/{seminar.pk}/email/"


def test_seminar_admin_page_links_to_emailing_its_registrants(organiser_client, seminar):
    soup = page(organiser_client.get(f"/admin/seminars/seminar/{seminar.pk}/change/"))

    [link] = soup.select(".object-tools a[href$='/email/']")
    assert (link.get_text(strip=True), link["href"]) == ("Email registrants", email_url(seminar))


def test_compose_page_offers_each_audience_with_its_count(organiser_client, seminar):
    soup = page(organiser_client.get(email_url(seminar)))

    assert texts(soup, "#id_audience label") == [
        "Everyone registered (confirmed and waiting): 3",
        "Confirmed places: 2",
        "On the waiting list: 1",
        "Confirmed, attending in person: 1",
        "Confirmed, attending online: 1",
    ]
    assert [button["value"] for button in soup.select(".submit-row input")] == ["Preview"]


def test_preview_shows_a_registrants_name_and_the_message_as_text_never_as_html(
    organiser_client,
):
    """The name comes from the public registration form: in the admin it is text."""
    seminar = SeminarFactory()
    RegistrationFactory(seminar=seminar, name="<img src=x onerror=alert(1)>Ann")

    response = organiser_client.post(
        email_url(seminar),
        {"subject": "Hi", "body": "<b>Room 2</b>", "audience": "all", "preview": "1"},
    )

    soup = page(response)
    assert soup.select("#preview-body img, #preview-body b") == []
    assert (
        soup.select_one("#preview-body")
        .get_text()
        .startswith("Dear <img src=x onerror=alert(1)>Ann,\n\n<b>Room 2</b>\n")
    )


def test_preview_shows_the_email_as_a_registrant_sees_it_and_sends_nothing(
    organiser_client, seminar
):
    response = organiser_client.post(
        email_url(seminar),
        {
            "subject": "Room change",
            "body": "We are in room 2.",
            "audience": "confirmed",
            "preview": "1",
        },
    )

    soup = page(response)
    assert text(soup, "#preview-title") == "Preview: as Ann In will see it"
    assert text(soup, "#preview-subject") == "Room change"
    body = soup.select_one("#preview-body").get_text()
    assert body.startswith(
        "Dear Ann In,\n\nWe are in room 2.\n\nFrom the organisers of Sharing power\n"
    )
    assert "[their own private registration link]" in body
    assert "/registrations/" not in body
    assert [button["value"] for button in soup.select(".submit-row input")] == [
        "Preview again",
        "Send to 2 people",
    ]
    assert (Message.objects.count(), RegistrantMessage.objects.count()) == (0, 0)


def preview_then_send(client, seminar, data):
    soup = page(client.post(email_url(seminar), {**data, "preview": "1"}))
    hidden = {field["name"]: field["value"] for field in soup.select("form input[type=hidden]")}
    return client.post(email_url(seminar), {**data, **hidden, "send": "1"})


def test_send_queues_the_emails_and_lists_the_message_on_the_seminar_page(
    organiser_client, seminar, mail_queue
):
    data = {"subject": "Room change", "body": "We are in room 2.", "audience": "all"}

    response = preview_then_send(organiser_client, seminar, data)

    assert response.status_code == 302
    assert (
        response["Location"]
        == f"/admin/seminars/seminar/{seminar.pk}/change/#registrant_messages-group"
    )
    assert sorted(message.email.to[0] for message in Message.objects.all()) == [
        "ann@example.org",
        "bo@example.org",
        "cy@example.org",
    ]
    soup = page(organiser_client.get(response["Location"]))
    assert texts(soup, ".messagelist li") == [
        "Your message “Room change” is on its way to 3 people."
    ]
    group = soup.select_one("#registrant_messages-group")
    [row] = group.select("tbody tr.has_original")
    assert texts(row, "td[class^='field-']")[1:] == [
        "organiser@example.org",
        "Room change",
        "Everyone registered (confirmed and waiting)",
        "3",
        "We are in room 2.",
    ]


def test_a_message_edited_after_its_preview_is_previewed_again_not_sent(organiser_client, seminar):
    data = {"subject": "Room change", "body": "We are in room 2.", "audience": "all"}
    soup = page(organiser_client.post(email_url(seminar), {**data, "preview": "1"}))
    hidden = {field["name"]: field["value"] for field in soup.select("form input[type=hidden]")}

    response = organiser_client.post(
        email_url(seminar), {**data, **hidden, "body": "Room 3 now.", "send": "1"}
    )

    soup = page(response)
    assert texts(soup, ".messagelist li") == [
        "The message changed since its preview. Check it below, then send it."
    ]
    assert "Room 3 now." in soup.select_one("#preview-body").get_text()
    assert (len(mail.outbox), RegistrantMessage.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"body": ""}, "body", "This field is required."),
        ({"body": " \n "}, "body", "Please write the message."),
        ({"subject": "Two\r\nlines"}, "subject", "Please write the subject on one line."),
        ({"audience": "online", "send": "1"}, "audience", None),
    ],
)
def test_bad_input_shows_the_form_again_with_a_message_by_the_field(
    organiser_client, data, field, error
):
    seminar = SeminarFactory(title="Quiet seminar")
    RegistrationFactory(seminar=seminar, name="Only Inperson", attendance=Attendance.IN_PERSON)
    posted = {"subject": "Hello", "body": "Hi.", "audience": "all", "preview": "1", **data}

    response = organiser_client.post(email_url(seminar), posted)

    soup = page(response)
    assert text(soup, ".errornote") == "Please correct the errors below."
    expected = error or (
        "Nobody is in “Confirmed, attending online” for this seminar. "
        "Please choose other recipients."
    )
    assert texts(soup, f".field-{field} .errorlist li") == [expected]
    assert (
        soup.select_one("#id_subject")["value"] == posted["subject"].strip() or field == "subject"
    )
    assert (len(mail.outbox), RegistrantMessage.objects.count()) == (0, 0)


def test_emailing_registrants_needs_its_permission(client, seminar):
    viewer = UserFactory(email="viewer@example.org", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_seminar"))
    client.force_login(viewer)

    change_page = page(client.get(f"/admin/seminars/seminar/{seminar.pk}/change/"))
    assert change_page.select(".object-tools a[href$='/email/']") == []
    assert client.get(email_url(seminar)).status_code == 403
    data = {"subject": "Hi", "body": "Hi.", "audience": "all", "send": "1"}
    assert client.post(email_url(seminar), data).status_code == 403
    assert mail.outbox == []


def test_anonymous_visitors_are_sent_to_the_admin_login(seminar):
    response = Client().get(email_url(seminar))

    assert (response.status_code, re.sub(r"\?.*", "", response["Location"])) == (
        302,
        "/admin/login/",
    )


def test_unknown_seminar_goes_back_to_the_admin_home_with_a_message(organiser_client):
    response = organiser_client.get("/admin/seminars/seminar/999999/email/", follow=True)

    assert texts(page(response), ".messagelist li") == [
        "Seminar with ID “999999” doesn’t exist. Perhaps it was deleted?"
    ]


def test_a_second_click_on_send_emails_nobody_twice(organiser_client, seminar):
    data = {"subject": "Room change", "body": "We are in room 2.", "audience": "all"}
    soup = page(organiser_client.post(email_url(seminar), {**data, "preview": "1"}))
    send = {
        **data,
        "previewed": soup.select_one("input[name=previewed]")["value"],
        "send_id": soup.select_one("input[name=send_id]")["value"],
        "send": "1",
    }

    first = organiser_client.post(email_url(seminar), send)
    again = organiser_client.post(email_url(seminar), send, follow=True)

    assert first.status_code == 302
    assert texts(page(again), ".messagelist li") == [
        "Your message “Room change” is on its way to 3 people.",
        "This message was sent already, so it was not sent again.",
    ]
    assert (len(mail.outbox), RegistrantMessage.objects.count()) == (3, 1)


def test_a_send_without_the_preview_s_id_is_previewed_again_not_sent(organiser_client, seminar):
    data = {"subject": "Room change", "body": "We are in room 2.", "audience": "all"}
    soup = page(organiser_client.post(email_url(seminar), {**data, "preview": "1"}))
    previewed = soup.select_one("input[name=previewed]")["value"]

    response = organiser_client.post(
        email_url(seminar), {**data, "previewed": previewed, "send_id": "nonsense", "send": "1"}
    )

    assert texts(page(response), ".messagelist li") == [
        "The message changed since its preview. Check it below, then send it."
    ]
    assert (len(mail.outbox), RegistrantMessage.objects.count()) == (0, 0)
