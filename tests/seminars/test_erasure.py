"""Erasure that erases: after "Delete my registration" or the retention purge, the person's
email and name (and every other detail they gave: pronouns, organisation, needs) are in no
table of the database, mail queue, mail log and change log included."""

import base64
import binascii
import datetime as dt
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from mailer.models import DontSendEntry, Message, MessageLog

from seminars.models import Registration
from seminars.services import registration_create
from tests.factories import PersonFactory, SeminarFactory
from tests.processes import manage as manage_py
from tests.smtp import SmtpSink

ZELDA = {
    "name": "Zelda Quorn",
    "email": "zelda.quorn@example.org",
    "pronouns": "ze/zir",
    "organisation": "Quorn Peer Network",
    "access_requirements": "Needs a BSL interpreter",
    "dietary_requirements": "Coeliac diet",
}
YANNICK = {"name": "Yannick Pell", "email": "yannick.pell@example.org"}
BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]{40,}$")


def _readable(value):
    """A stored value as text, and decoded too when it is base64 (django-mailer stores each
    email pickled in base64, so a plain search would miss the address inside)."""
    if isinstance(value, memoryview | bytes):
        value = bytes(value).decode("utf-8", "replace")
    if not isinstance(value, str):
        return ""
    if BASE64.match(value):
        try:
            return value + base64.b64decode(value).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            pass
    return value


def tables_holding(*needles):
    """Every table with a row that contains any of `needles` (any case) in any column."""
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                text = "\n".join(_readable(value) for value in row).lower()
                found |= {table for needle in needles if needle.lower() in text}
    return found


def _register(client, slug, person):
    response = client.post(f"/seminars/{slug}/register/", {**person, "consent": "on"})
    assert response.status_code == 302


def _organiser_edits(organiser_client, registration, **changes):
    """An organiser corrects a registration in the admin, which logs the change."""
    url = reverse("admin:seminars_registration_change", args=[registration.pk])
    fields = [
        "name", "email", "pronouns", "organisation", "access_requirements",
        "dietary_requirements", "access_request_status", "access_note",
    ]  # fmt: skip
    data = {field: getattr(registration, field) for field in fields}
    response = organiser_client.post(
        url, {**data, "role": "", "attendance": registration.attendance, **changes}
    )
    assert response.status_code == 302


def _send_to_a_refusing_server(settings):
    """`send_mail` against an SMTP server that refuses the recipients: django-mailer defers
    each message and logs the refusal, which quotes the address."""
    backend = settings.MAILER_EMAIL_BACKEND
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with SmtpSink(refuse_recipients=True) as refusing:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", refusing.port
        settings.EMAIL_TIMEOUT = 5
        call_command("send_mail")
    settings.MAILER_EMAIL_BACKEND = backend


@pytest.mark.django_db(transaction=True)
def test_delete_my_registration_leaves_the_email_and_name_in_no_table(
    client, organiser_client, settings, mail_queue
):
    settings.MAILER_EMAIL_LOG_MESSAGE_DATA = True  # as logs written before it was turned off
    SeminarFactory(slug="sharing-power", capacity=1)
    _register(client, "sharing-power", ZELDA)
    _register(client, "sharing-power", YANNICK)
    zelda, yannick = Registration.objects.order_by("pk")
    call_command("send_mail")  # both confirmations are sent and logged
    _organiser_edits(organiser_client, zelda, organisation="Quorn Peers")
    _organiser_edits(organiser_client, yannick, organisation="Pell Trust")
    _register(client, "sharing-power", ZELDA)  # "already registered", refused by the server:
    _send_to_a_refusing_server(settings)  # deferred in the queue, the refusal in the log
    assert "Mailbox unknown" in MessageLog.objects.get(result="3").log_message
    DontSendEntry.objects.create(to_address=ZELDA["email"], when_added=dt.datetime.now(dt.UTC))
    assert tables_holding(ZELDA["email"], ZELDA["name"]) == {
        "seminars_registration",
        "mailer_message",
        "mailer_messagelog",
        "mailer_dontsendentry",
        "django_admin_log",
    }

    response = client.post(f"/registrations/{zelda.token}/delete/")

    assert response.status_code == 200
    assert tables_holding(*ZELDA.values(), zelda.token, "Quorn") == set()
    # Nobody else's mail or history went with it.
    assert tables_holding(YANNICK["email"], YANNICK["name"]) == {
        "seminars_registration",
        "mailer_message",  # Yannick has been promoted to Zelda's place
        "mailer_messagelog",
        "django_admin_log",
    }
    assert [entry.object_repr for entry in LogEntry.objects.order_by("pk")] == [
        "Erased registration",
        f"Yannick Pell for {zelda.seminar}",
    ]
    assert [entry.get_change_message() for entry in LogEntry.objects.order_by("pk")] == [
        "Changed Organisation.",
        "Changed Organisation.",
    ]


@pytest.mark.django_db(transaction=True)
def test_retention_purge_leaves_the_email_and_name_in_no_table(
    client, organiser_client, settings, mail_queue
):
    settings.MAILER_EMAIL_LOG_MESSAGE_DATA = True
    seminar = SeminarFactory(slug="long-ago", days_from_now=1)
    _register(client, "long-ago", ZELDA)
    zelda = Registration.objects.get()
    call_command("send_mail")
    # The organisers' note on her access request names her too.
    _organiser_edits(
        organiser_client,
        zelda,
        organisation="Quorn Peers",
        access_request_status="arranged",
        access_note="Interpreter booked for Zelda Quorn",
    )
    registration_create(seminar=seminar, **ZELDA)  # "already registered", refused
    _send_to_a_refusing_server(settings)
    seminar.starts_at -= dt.timedelta(days=200)
    seminar.ends_at -= dt.timedelta(days=200)
    seminar.save()
    assert len(tables_holding(ZELDA["email"], ZELDA["name"])) == 4

    purged = manage_py("purge_registrations")  # as cron runs it

    assert purged.stdout == "Purged 1 registration.\n"
    assert tables_holding(*ZELDA.values(), zelda.token, "Quorn") == set()
    assert LogEntry.objects.get().object_repr == "Erased registration"


@pytest.mark.django_db(transaction=True)
def test_erasure_keeps_mail_to_the_same_address_for_what_is_still_live(client, mail_queue):
    """Zelda also registered for another seminar and speaks in the series: erasing one
    registration erases its own emails only."""
    SeminarFactory(slug="first")
    SeminarFactory(slug="second")
    PersonFactory(name="Zelda Quorn", email="Zelda.Quorn@example.org")
    _register(client, "first", ZELDA)
    _register(client, "second", ZELDA)
    first, second = Registration.objects.order_by("pk")

    client.post(f"/registrations/{first.token}/delete/")

    [kept] = Message.objects.all()
    assert kept.subject == f"Your place at {second.seminar.title}"
    assert f"/registrations/{second.token}/" in kept.email.body
    call_command("send_mail")
    assert [message.to for message in mail.outbox] == [[ZELDA["email"]]]
