"""`registrant_message_send`: who receives an organiser's message, what each registrant gets
(their name, the text, their private link), what is recorded, and what is refused."""

import threading
import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from seminars.models import Registration
from seminars.registrant_messages.models import RegistrantMessage
from seminars.registrant_messages.services import (
    RegistrantMessageAlreadySent,
    registrant_message_send,
)
from seminars.services import registration_erase
from tests.factories import RegistrationFactory, SeminarFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
Status, Attendance = Registration.Status, Registration.Attendance


def seminar_with_registrants():
    """Two confirmed (in person, online), one waiting, one cancelled; one elsewhere."""
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


@pytest.fixture
def seminar():
    return seminar_with_registrants()


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
