"""Organisers email a seminar's registrants from its admin page: compose, preview, send;
each registrant's email carries their private link; the seminar's page lists what was sent."""

import re
import threading
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from mailer.models import Message

from seminars.models import Registration
from seminars.registrant_messages.models import RegistrantMessage
from seminars.registrant_messages.services import (
    RegistrantMessageAlreadySent,
    registrant_message_send,
)
from seminars.services import registration_erase
from tests.factories import RegistrationFactory, SeminarFactory, UserFactory
from tests.html import page, text, texts

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
Status, Attendance = Registration.Status, Registration.Attendance


@pytest.fixture
def seminar():
    seminar = SeminarFactory(title="Sharing power", slug="sharing-power")
    for name, status, attendance in [
        ("Ann In", Status.CONFIRMED, Attendance.IN_PERSON),
        ("Bo Online", Status.CONFIRMED, Attendance.ONLINE),
        ("Cy Waiting", Status.WAITLISTED, Attendance.IN_PERSON),
        ("Di Gone", Status.CANCELLED, Attendance.IN_PERSON),
    ]:
        RegistrationFactory(
            seminar=seminar,
            name=name,
            email=f"{name.split()[0].lower()}@example.org",
            status=status,
            attendance=attendance,
        )
    RegistrationFactory(name="Elsewhere", email="else@example.org")  # another seminar
    return seminar


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.mark.parametrize(
    ("audience", "expected"),
    [
        ("all", ["ann@example.org", "bo@example.org", "cy@example.org"]),
        ("confirmed", ["ann@example.org", "bo@example.org"]),
        ("waiting", ["cy@example.org"]),
        ("in_person", ["ann@example.org"]),
        ("online", ["bo@example.org"]),
    ],
)
def test_message_goes_to_the_chosen_registrants_only(seminar, organiser, audience, expected):
    message = registrant_message_send(
        seminar=seminar, sender=organiser, subject="Room change", body="Room 2.", audience=audience
    )

    assert recipients() == expected
    assert message.recipient_count == len(expected)


def test_each_registrant_gets_the_body_their_name_and_their_own_private_link(seminar, organiser):
    registrant_message_send(
        seminar=seminar,
        sender=organiser,
        subject="Bring your {questions}",
        body="We start at ten.\n\nBring questions.",
        audience="in_person",
    )

    [message] = mail.outbox
    ann = Registration.objects.get(email="ann@example.org")
    assert message.subject == "Bring your {questions}"
    assert message.body.startswith("Dear Ann In,\n\nWe start at ten.\n\nBring questions.\n\n")
    assert "From the organisers of Sharing power\n" in message.body
    assert f"{SITE}/registrations/{ann.token}/" in message.body
    assert message.attachments == []


def test_lines_posted_by_a_browser_end_as_the_email_s_own_lines(seminar, organiser):
    registrant_message_send(
        seminar=seminar,
        sender=organiser,
        subject="Room change",
        body="Room 2.\r\n\r\nSee you.\r\n",
        audience="waiting",
    )

    [message] = mail.outbox
    assert message.body.startswith("Dear Cy Waiting,\n\nRoom 2.\n\nSee you.\n\nFrom the organisers")
    assert RegistrantMessage.objects.get().body == "Room 2.\n\nSee you."


def test_sending_is_recorded_with_counts_and_no_addresses_or_names(seminar, organiser):
    registrant_message_send(
        seminar=seminar, sender=organiser, subject="Hello", body="Hi all.", audience="all"
    )

    assert list(
        RegistrantMessage.objects.values(
            "seminar", "sender", "subject", "body", "audience", "recipient_count"
        )
    ) == [
        {
            "seminar": seminar.pk,
            "sender": organiser.pk,
            "subject": "Hello",
            "body": "Hi all.",
            "audience": "all",
            "recipient_count": 3,
        }
    ]


def test_an_erased_registration_is_not_emailed_and_leaves_nothing_in_the_record(seminar, organiser):
    registration_erase(registration=Registration.objects.get(email="cy@example.org"))

    message = registrant_message_send(
        seminar=seminar, sender=organiser, subject="Hello", body="Hi.", audience="all"
    )

    assert recipients() == ["ann@example.org", "bo@example.org"]
    assert message.recipient_count == 2
    record = RegistrantMessage.objects.values_list(flat=False).get()
    assert not any("cy" in str(value).lower() for value in record)


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"body": "  \n "}, {"body": ["Please write the message."]}),
        ({"subject": "Two\nlines"}, {"subject": ["Please write the subject on one line."]}),
        ({"subject": ""}, {"subject": ["Please write a subject."]}),
        ({"subject": "x" * 201}, {"subject": ["Please keep the subject to 200 characters."]}),
    ],
)
def test_bad_message_is_refused_and_nothing_is_sent_or_recorded(seminar, organiser, fields, errors):
    with pytest.raises(ValidationError) as refused:
        registrant_message_send(
            seminar=seminar,
            sender=organiser,
            **{"subject": "Hello", "body": "Hi.", "audience": "all", **fields},
        )

    assert refused.value.message_dict == errors
    assert (mail.outbox, RegistrantMessage.objects.count()) == ([], 0)


def test_nobody_in_the_audience_is_refused(organiser):
    empty = SeminarFactory()

    with pytest.raises(ValidationError) as refused:
        registrant_message_send(
            seminar=empty, sender=organiser, subject="Hi", body="Hi.", audience="waiting"
        )

    assert refused.value.message_dict == {
        "audience": [
            "Nobody is in “On the waiting list” for this seminar. Please choose other recipients."
        ]
    }


# The admin page


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


@pytest.mark.django_db(transaction=True, available_apps=["seminars", "people", "mailer"])
def test_two_sends_of_one_message_at_once_email_each_registrant_once():
    seminar = SeminarFactory()
    RegistrationFactory(seminar=seminar, email="ann@example.org")
    sender = UserFactory(email="sender@example.org")
    send_id = uuid.uuid4()
    start = threading.Barrier(2)
    results = []

    def click():
        try:
            start.wait(5)
            registrant_message_send(
                seminar=seminar,
                sender=sender,
                subject="Hi",
                body="Hello.",
                audience="all",
                send_id=send_id,
            )
            results.append("sent")
        except RegistrantMessageAlreadySent:
            results.append("already sent")
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert sorted(results) == ["already sent", "sent"]
    assert [message.to for message in mail.outbox] == [["ann@example.org"]]
