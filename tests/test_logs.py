"""Logs: JSON lines on stdout in production, with the secrets in private links masked."""

import datetime as dt
import json
import logging
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from mailer.models import Message

from coproseries.logs import JsonFormatter, MaskSecretsFilter
from seminars.models import Registration
from seminars.services import registration_create
from tests.factories import SeminarFactory
from tests.processes import manage as manage_py

ROOT = Path(__file__).resolve().parent.parent

LOG_FROM_PRODUCTION_SETTINGS = """
import logging, django
django.setup()
logging.getLogger("django.request").warning("Not Found: %s", "/registrations/s3cret-T0ken/")
logging.getLogger("django.server").info('"GET /accounts/invitation/MQ/abc-0123/ HTTP/1.1" 200')
logging.getLogger("seminars").debug("not shown at INFO")
"""


def test_production_logs_are_json_lines_on_stdout_with_secrets_masked():
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("DATABASE_URL", None)
    environment.update(
        DJANGO_SETTINGS_MODULE="coproseries.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="seminars.example.org",
    )
    result = subprocess.run(
        [sys.executable, "-c", LOG_FROM_PRODUCTION_SETTINGS],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )

    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["level"], line["logger"], line["message"]) for line in lines] == [
        ("WARNING", "django.request", "Not Found: /registrations/[token]/"),
        ("INFO", "django.server", '"GET /accounts/invitation/[uid]/[token]/ HTTP/1.1" 200'),
    ]
    assert all(line["time"].endswith("+00:00") for line in lines)
    assert result.stderr == ""


@pytest.fixture
def json_log():
    """The site's own console handler (with its masking filter), writing JSON to a buffer."""
    [handler] = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, MaskSecretsFilter) for f in handler.filters)
    ]
    buffer = StringIO()
    stream, formatter = handler.setStream(buffer), handler.formatter
    handler.setFormatter(JsonFormatter())
    yield buffer
    handler.setStream(stream)
    handler.setFormatter(formatter)


@pytest.mark.django_db
def test_a_stale_private_link_is_logged_with_its_token_masked(client, json_log, mail_queue):
    registration = registration_create(
        seminar=SeminarFactory(), name="Sam Visitor", email="sam@example.org"
    )
    stale = registration.token[::-1]

    response = client.get(f"/registrations/{stale}/cancel/")

    assert response.status_code == 404
    [entry] = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert (entry["level"], entry["message"], entry["method"], entry["path"], entry["status"]) == (
        "WARNING",
        "Not Found: /registrations/[token]/cancel/",
        "GET",
        "/registrations/[token]/cancel/",
        404,
    )
    assert stale not in json_log.getvalue()
    assert Registration.objects.get().token not in json_log.getvalue()


@pytest.mark.parametrize(
    ("message", "masked"),
    [
        ("Not Found: /registrations/abc_DEF-123/", "Not Found: /registrations/[token]/"),
        ("GET /registrations/abc/data/ 200", "GET /registrations/[token]/data/ 200"),
        (
            "Not Found: /subscriptions/abc_DEF-123/unsubscribe/",
            "Not Found: /subscriptions/[token]/unsubscribe/",
        ),
        (
            "Not Found: /accounts/password/reset/MQ/set-password/",
            "Not Found: /accounts/password/reset/[uid]/[token]/",
        ),
        ("GET /accounts/password/reset/sent/", "GET /accounts/password/reset/sent/"),
        ("GET /seminars/registrations-open/", "GET /seminars/registrations-open/"),
        (
            "sending message 'Hi' to sam@example.org, Ann.O+x@mındsight.org",
            "sending message 'Hi' to [email], [email]",
        ),
        (
            '"GET /search/?q=sam%40example.org HTTP/1.1" 200',
            '"GET /search/?q=[email] HTTP/1.1" 200',
        ),
    ],
)
def test_masking_hides_the_secret_part_of_private_paths_only(message, masked):
    record = logging.LogRecord("test", logging.INFO, __file__, 1, message, None, None)

    MaskSecretsFilter().filter(record)

    assert record.getMessage() == masked


# No email address, name or access need in any log line


ZELDA = {
    "name": "Zelda Quorn",
    "email": "zelda.quorn@example.org",
    "access_requirements": "Needs a BSL interpreter",
    "dietary_requirements": "Coeliac diet",
}
YANNICK = {
    "name": "Yannick Pell",
    "email": "yannick.pell@example.org",
    "access_requirements": "Step-free route please",
    "dietary_requirements": "No nuts",
}


def manage_py_logs(*command):
    """Run a command as cron would, logging at DEBUG (the most an operator can ask), and
    return what it wrote. Mail is handed to a backend that writes nothing itself."""
    result = manage_py(
        *command,
        DJANGO_LOG_LEVEL="DEBUG",
        DJANGO_LOG_FORMAT="json",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    return result.stdout + result.stderr


@pytest.fixture
def all_logs():
    """Every record of every logger at DEBUG, through the site's own handler and filter."""
    [handler] = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, MaskSecretsFilter) for f in handler.filters)
    ]
    buffer = StringIO()
    stream = handler.setStream(buffer)
    loggers = [logging.getLogger(), logging.getLogger("django")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    yield buffer
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)
    handler.setStream(stream)


def _assert_nothing_personal(text):
    for person in [ZELDA, YANNICK]:
        for value in person.values():
            assert value.lower() not in text.lower()
    for part in ["zelda", "yannick", "quorn", "pell@"]:
        assert part not in text.lower()


@pytest.mark.django_db(transaction=True)
def test_registration_promotion_reminder_and_sending_log_nothing_personal(
    client, all_logs, mail_queue
):
    # A day and a half away whatever the time of day: a freed place still goes to the next
    # person waiting (offers stop 24 hours before the start), and the reminder (two days
    # before) is due.
    starts_at = timezone.now() + dt.timedelta(hours=36)
    SeminarFactory(
        slug="tomorrow",
        capacity=1,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=6),
    )
    for person in [ZELDA, YANNICK]:
        response = client.post("/seminars/tomorrow/register/", {**person, "consent": "on"})
        assert response.status_code == 302
    zelda, yannick = Registration.objects.order_by("pk")
    assert (zelda.status, yannick.status) == ("confirmed", "waitlisted")
    client.get(f"/registrations/{zelda.token}/")
    client.post(f"/registrations/{zelda.token}/cancel/")
    yannick.refresh_from_db()
    assert yannick.status == "confirmed"
    client.get(f"/registrations/{zelda.token[::-1]}/")  # a stale link: logged as Not Found
    client.get("/search/", {"q": ZELDA["email"]})
    call_command("send_mail")  # in-process too, through the handler captured above
    in_process = all_logs.getvalue()

    reminders = manage_py_logs("send_reminders")
    assert Message.objects.count() == 1
    sending = manage_py_logs("send_mail")

    assert Message.objects.count() == 0
    assert "Not Found: /registrations/[token]/" in in_process
    assert "Queued 1 reminder." in reminders
    _assert_nothing_personal("\n".join([in_process, reminders, sending]))


@pytest.mark.django_db(transaction=True)
def test_feedback_and_its_request_log_nothing_personal(client, all_logs, mail_queue):
    """What attendees write may be health data: the form's posts (stored, refused, sent
    again) and the job that asks for it log none of it, nor who wrote it."""
    seminar = SeminarFactory(slug="yesterday", days_from_now=-1)
    zelda = Registration.objects.create(seminar=seminar, name=ZELDA["name"], email=ZELDA["email"])
    secret = "my bipolar disorder made the afternoon hard"

    asked = manage_py_logs("send_feedback_requests")
    url = f"/registrations/{zelda.token}/feedback/"
    assert client.post(url, {"comment": secret + "!" * 2000}).status_code == 400
    assert client.post(url, {"comment": secret, "heard": "partly"}).status_code == 302
    assert client.post(url, {"comment": secret}).status_code == 409
    in_process = all_logs.getvalue()

    assert "Queued 1 feedback request." in asked
    assert "Conflict: /registrations/[token]/feedback/" in in_process
    for text in [asked, in_process]:
        assert "bipolar" not in text
        assert zelda.token not in text
    _assert_nothing_personal("\n".join([asked, in_process]))


@pytest.mark.django_db(transaction=True)
def test_sending_at_debug_masks_every_address(all_logs, mail_queue):
    """`runmailer --debug` lowers django-mailer's logger to DEBUG and sends through its
    engine, so the engine's "sending message … to <address>" lines reach the handler: the
    handler's filter masks the address. (Our `send_mail` sends through the engine on
    PostgreSQL only, so the engine is called here directly, as runmailer does.)"""
    from mailer import engine

    registration_create(seminar=SeminarFactory(title="Sharing power"), **ZELDA)
    mailer_logger = logging.getLogger("mailer")
    level = mailer_logger.level
    mailer_logger.setLevel(logging.DEBUG)
    try:
        engine.send_all()
    finally:
        mailer_logger.setLevel(level)

    logged = all_logs.getvalue()
    assert "sending message 'Your place at Sharing power' to [email]" in logged
    _assert_nothing_personal(logged)
