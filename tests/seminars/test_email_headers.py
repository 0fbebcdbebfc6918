"""Emails as they leave over SMTP, parsed by Python's email package with its modern policy:
headers every client and filter reads right, and bodies that need no 8-bit transport."""

from email import policy
from email.parser import BytesParser

import pytest
from django.core import mail
from django.core.management import call_command

from people.services import person_invite
from seminars.services import registration_create
from tests.clients.calendar_readers import read_with_ical_js
from tests.factories import PersonFactory, SeminarFactory, SeriesFactory, UserFactory
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db

TITLE = (
    "Co-production in mental health: who holds power, who holds care — and who decides "
    "what counts as évidence in a service that was never designed with us"
)


@pytest.fixture
def smtp(settings):
    """Queue in the database and send through Django's SMTP backend, as production does."""
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.SITE_URL = "https://seminars.example.org"
    settings.DEFAULT_FROM_EMAIL = "seminars@example.org"
    settings.DEFAULT_FROM_NAME = ""
    with SmtpSink() as sink:
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", sink.port, 5
        yield sink


def parsed(raw):
    return BytesParser(policy=policy.default).parsebytes(raw)


def test_registration_email_headers_and_body_survive_a_7bit_server(smtp):
    series = SeriesFactory(title="Re-imagining professionalism: care, power & trust")
    seminar = SeminarFactory(series=series, title=TITLE, slug="long-title")
    registration_create(seminar=seminar, name="Zoë Ñandú", email="zoe@example.org")

    call_command("send_mail", verbosity=0)

    [raw] = smtp.messages
    assert raw.isascii()
    message = parsed(raw)
    assert message["Subject"] == f"Your place at {TITLE}"
    assert not raw.startswith(b"Subject: \r\n") and b"\r\nSubject: \r\n" not in raw
    [sender] = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (
        "Re-imagining professionalism: care, power & trust",
        "seminars@example.org",
    )
    assert message["Message-ID"].endswith("@seminars.example.org>")
    assert message["Auto-Submitted"] == "auto-generated"
    body = message.get_body(("plain",))
    assert body["Content-Transfer-Encoding"] == "quoted-printable"
    assert "Dear Zoë Ñandú," in body.get_content()
    [calendar] = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert calendar.get_param("method") == "PUBLISH"
    [event] = read_with_ical_js(calendar.get_content().encode())["events"]
    assert event["summary"] == TITLE


def test_a_configured_sender_name_is_used(smtp, settings):
    settings.DEFAULT_FROM_NAME = "Seminar team"
    registration_create(seminar=SeminarFactory(), name="Sam", email="sam@example.org")

    call_command("send_mail", verbosity=0)

    [raw] = smtp.messages
    assert parsed(raw)["From"] == "Seminar team <seminars@example.org>"


def test_invitation_email_goes_through_the_same_sender(smtp):
    SeriesFactory(title="Re-imagining professionalism")
    person_invite(person=PersonFactory(name="Ann Able", email="ann@example.org"))

    call_command("send_mail", verbosity=0)

    [raw] = smtp.messages
    message = parsed(raw)
    assert raw.isascii()
    assert message["From"] == "Re-imagining professionalism <seminars@example.org>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@seminars.example.org>")
    assert mail.outbox == []


def test_password_reset_email_goes_through_the_same_sender(smtp, client):
    SeriesFactory(title="Re-imagining professionalism")
    UserFactory(email="speaker@example.org")

    client.post("/accounts/password/reset/", {"email": "speaker@example.org"})
    call_command("send_mail", verbosity=0)

    [raw] = smtp.messages
    message = parsed(raw)
    assert message["From"] == "Re-imagining professionalism <seminars@example.org>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert "https://seminars.example.org/accounts/" in message.get_body(("plain",)).get_content()
