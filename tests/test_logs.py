"""Logs: JSON lines on stdout in production, with the secrets in private links masked."""

import json
import logging
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest

from coproseries.logs import JsonFormatter, MaskSecretsFilter
from seminars.models import Registration
from seminars.services import registration_create
from tests.factories import SeminarFactory

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
    ],
)
def test_masking_hides_the_secret_part_of_private_paths_only(message, masked):
    record = logging.LogRecord("test", logging.INFO, __file__, 1, message, None, None)

    MaskSecretsFilter().filter(record)

    assert record.getMessage() == masked
