"""Faults, for real: the database stops mid-traffic, the mail server is down.

The database test stops and starts a PostgreSQL server of its own (Debian's binaries, a
cluster made for the test on a free port, holding a copy of the test database), so it runs
only on PostgreSQL and stops nothing that other tests, or other people, are using.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from mailer.models import PRIORITY_DEFERRED, Message

from seminars.models import Registration
from tests.factories import SeminarFactory
from tests.redis_server import free_port

pytestmark = pytest.mark.faults


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class OwnPostgres:
    """A PostgreSQL cluster of the test's own; run as the `postgres` user when the tests run
    as root (PostgreSQL refuses to run as root)."""

    def __init__(self, bindir):
        self.bindir = Path(bindir)
        self.root = Path(tempfile.mkdtemp(prefix="coproseries-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")

    def run(self, program, *args):
        subprocess.run(
            [*self.as_postgres, str(self.bindir / program), *args],
            check=True,
            capture_output=True,
            cwd=self.root,
        )

    def create(self):
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self):
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", "log", "-w", "start")

    def stop(self):
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def copy_database(self, settings_dict):
        """The test database (schema and rows), copied into a database of the same name."""
        name = settings_dict["NAME"]
        source = {"PGPASSWORD": settings_dict["PASSWORD"] or ""}
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "-h", settings_dict["HOST"] or "127.0.0.1"]
            + ["-p", str(settings_dict["PORT"] or 5432), "-U", settings_dict["USER"], name],
            check=True,
            capture_output=True,
            env={**os.environ, **source},
        )
        target = ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        subprocess.run(["createdb", *target, name], check=True, capture_output=True)
        subprocess.run(
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", *target, "-d", name],
            input=dump.stdout,
            check=True,
            capture_output=True,
        )

    def remove(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def own_postgres(transactional_db):
    """The test database on a PostgreSQL server that the test may stop: every connection,
    the live server's threads' too, goes there until the test ends."""
    if connection.vendor != "postgresql":
        pytest.skip("the database fault is tested on PostgreSQL")
    bindirs = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not bindirs or shutil.which("pg_dump") is None:
        pytest.skip("needs PostgreSQL's server binaries (Debian's postgresql package)")
    server = OwnPostgres(bindirs[-1].parent)
    settings_dict = connection.settings_dict  # one dict, shared by every thread's connection
    saved = {key: settings_dict[key] for key in ("HOST", "PORT", "CONN_MAX_AGE")}
    try:
        server.create()
        server.start()
        server.copy_database(settings_dict)
        connections.close_all()
        settings_dict.update(HOST="127.0.0.1", PORT=str(server.port))
        yield server
    finally:
        connections.close_all()
        settings_dict.update(saved)
        server.remove()


@pytest.mark.django_db(transaction=True)
def test_database_going_away_gives_503_and_the_site_recovers_by_itself(
    live_server, own_postgres, settings
):
    # Every request reaches the database: a page kept by the page cache (in this test
    # process's memory, not in the database as in production) would still be served.
    settings.PAGE_CACHE = False
    # Keep connections between requests, as production does, so that the recovery rests on
    # CONN_HEALTH_CHECKS noticing the dead connection.
    connection.settings_dict["CONN_MAX_AGE"] = 60
    SeminarFactory(slug="open", title="Open seminar")
    page_url = f"{live_server.url}/seminars/open/"
    assert _get(page_url)[0] == 200

    own_postgres.stop()
    try:
        status, body = _get(page_url)
        assert status == 503
        assert "Back in a moment" in body
        assert _get(f"{live_server.url}/healthz")[0] == 503
    finally:
        own_postgres.start()
        connection.close()

    status, body = _get(page_url)
    assert status == 200
    assert "Open seminar" in body
    assert _get(f"{live_server.url}/healthz") == (
        200,
        '{"status": "ok", "database": "ok", "cache": "ok"}',
    )


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
