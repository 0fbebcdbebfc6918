"""Faults, for real: the database stops mid-traffic, the mail server is down.

The database test stops and starts the local PostgreSQL cluster (`pg_ctlcluster`, as root),
so it runs only on PostgreSQL; `.ci/run` runs the suite there.
"""

import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from mailer.models import PRIORITY_DEFERRED, Message

from seminars.models import Registration
from tests.factories import SeminarFactory

pytestmark = pytest.mark.faults


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _cluster(action):
    version = next(Path("/etc/postgresql").iterdir()).name
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action, "-m", "fast"]
        if action == "stop"
        else ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
        check=True,
    )
    if action == "start":
        for _ in range(60):
            if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0:
                return
            time.sleep(0.5)
        raise RuntimeError("PostgreSQL did not come back")


@pytest.fixture
def local_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the database fault is tested on PostgreSQL")
    if shutil.which("pg_ctlcluster") is None or not Path("/etc/postgresql").is_dir():
        pytest.skip("needs the local PostgreSQL cluster to stop and start")


@pytest.mark.django_db(transaction=True)
def test_database_going_away_gives_503_and_the_site_recovers_by_itself(
    live_server, local_postgres, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    # Keep connections between requests, as production does, so that the recovery rests on
    # CONN_HEALTH_CHECKS noticing the dead connection.
    connection.settings_dict["CONN_MAX_AGE"] = 60
    SeminarFactory(slug="open", title="Open seminar")
    page_url = f"{live_server.url}/seminars/open/"
    assert _get(page_url)[0] == 200

    _cluster("stop")
    try:
        status, body = _get(page_url)
        assert status == 503
        assert "Back in a moment" in body
        assert _get(f"{live_server.url}/healthz")[0] == 503
    finally:
        _cluster("start")
        connection.close()

    status, body = _get(page_url)
    assert status == 200
    assert "Open seminar" in body
    assert _get(f"{live_server.url}/healthz") == (
        200,
        '{"status": "ok", "database": "ok", "cache": "ok"}',
    )
    connection.settings_dict["CONN_MAX_AGE"] = 0


@pytest.mark.django_db
def test_registrations_succeed_while_the_mail_server_is_down(client, settings):
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    SeminarFactory(slug="open", capacity=10)

    response = client.post(
        "/seminars/open/register/",
        {"name": "Sam Visitor", "email": "sam@example.org", "consent": "on"},
    )
    call_command("send_mail", verbosity=0)

    assert response.status_code == 302
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    [message] = Message.objects.all()
    assert message.to_addresses == ["sam@example.org"]
    assert message.priority == PRIORITY_DEFERRED
