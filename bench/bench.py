"""`make bench`: a burst of concurrent registrations against gunicorn on PostgreSQL.

Builds a fresh database, publishes one seminar with a waiting list, starts gunicorn on the
loopback interface, lets wrk (bench/register.lua) register a new person per request for a
fixed time, then counts what was stored. Prints one markdown table and writes it to
bench/results/registration.md. Fails if the seminar is overbooked or registrations are lost.

Knobs (environment): BENCH_DURATION (15s), BENCH_CONNECTIONS (32), BENCH_WORKERS (4),
BENCH_CAPACITY (1000).
"""

import datetime as dt
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
HOST, PORT = "127.0.0.1", 8765
DB_NAME = "coproseries_bench"
PG_ARGS = ["-h", "127.0.0.1", "-U", "postgres"]
SLUG = "registration-burst"
FORM_URL = f"http://{HOST}:{PORT}/seminars/{SLUG}/register/"

DURATION = os.environ.get("BENCH_DURATION", "15s")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CAPACITY = int(os.environ.get("BENCH_CAPACITY", "1000"))
WRK_THREADS = 2

# Production settings (DEBUG off), but plain http on loopback and no rate limit: the burst
# comes from one address. Emails are queued in the database and never sent.
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "coproseries.settings",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": HOST,
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_HSTS_SECONDS": "0",
    "DJANGO_REGISTRATION_RATE_LIMIT": "100000000",
    "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    "DJANGO_SITE_URL": f"http://{HOST}:{PORT}",
    "DJANGO_LOG_LEVEL": "WARNING",
}


def log(message):
    print(f"bench: {message}", flush=True)


def database_create():
    subprocess.run(["dropdb", *PG_ARGS, "--if-exists", "--force", DB_NAME], check=True)
    subprocess.run(["createdb", *PG_ARGS, DB_NAME], check=True)


def django_setup():
    os.environ.update(SERVER_ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def site_prepare():
    """Migrate, collect static files (DEBUG off uses the manifest storage) and add a seminar."""
    from django.core.management import call_command
    from django.utils import timezone

    from seminars.models import Seminar, Series, Venue

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    starts_at = timezone.now().replace(microsecond=0) + dt.timedelta(days=30)
    Seminar.objects.create(
        series=Series.objects.create(title="Bench series", slug="bench-series"),
        number=1,
        title="Registration burst",
        slug=SLUG,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=6),
        venue=Venue.objects.create(name="Bench Hall", city="Benchbury"),
        status=Seminar.Status.PUBLISHED,
        capacity=CAPACITY,
        waitlist_enabled=True,
    )


def gunicorn_start(log_file):
    return subprocess.Popen(
        [str(BIN / "gunicorn"), "coproseries.wsgi", "-w", str(WORKERS), "-b", f"{HOST}:{PORT}"],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV},
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so its workers stop with it
    )


def gunicorn_stop(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def csrf_fetch(server, deadline=30):
    """Wait for gunicorn, then GET the form: the csrftoken cookie and a token for it."""
    started = time.monotonic()
    while True:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited; see bench/results/gunicorn.log")
        try:
            with urllib.request.urlopen(FORM_URL, timeout=5) as response:
                cookies = SimpleCookie()
                for header in response.headers.get_all("Set-Cookie"):
                    cookies.load(header)
                page = response.read().decode()
                break
        except OSError:
            if time.monotonic() - started > deadline:
                raise
            time.sleep(0.3)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return cookies["csrftoken"].value, token


def burst_run(cookie, token):
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{DURATION}",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "register.lua"),
        FORM_URL,
        "--",
        cookie,
        token,
    ]
    log(" ".join(command[:-3]) + " -- <cookie> <token>")
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_RESULT "))
    return json.loads(line.removeprefix("BENCH_RESULT "))


def stored_counts():
    from django.db import connection, connections
    from mailer.models import Message

    from seminars.models import Registration

    connections.close_all()
    statuses = Registration.objects.filter(seminar__slug=SLUG).values_list("status", flat=True)
    statuses = list(statuses)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (pg_version,) = cursor.fetchone()
    return {
        "confirmed": statuses.count(Registration.Status.CONFIRMED),
        "waitlisted": statuses.count(Registration.Status.WAITLISTED),
        "stored": len(statuses),
        "emails_queued": Message.objects.count(),
        "pg_version": pg_version.split()[0],
    }


def report(burst, stored):
    seconds = burst["duration_us"] / 1e6
    registered = burst["statuses"].get("302", 0)
    errors = burst["socket_errors"] + burst["requests"] - registered
    overbooked = max(0, stored["confirmed"] - CAPACITY)
    columns = {
        "registrations/s": f"{registered / seconds:.0f}",
        "p50 latency": f"{burst['p50_us'] / 1000:.0f} ms",
        "p99 latency": f"{burst['p99_us'] / 1000:.0f} ms",
        "requests": str(burst["requests"]),
        "errors": str(errors),
        "confirmed": str(stored["confirmed"]),
        "waitlisted": str(stored["waitlisted"]),
        "overbooked": str(overbooked),
    }
    table = "\n".join(
        [
            "| " + " | ".join(columns) + " |",
            "|" + "|".join("---:" for _ in columns) + "|",
            "| " + " | ".join(columns.values()) + " |",
        ]
    )
    setup = (
        f"Registration burst, {dt.date.today().isoformat()}: gunicorn {WORKERS} sync workers, "
        f"PostgreSQL {stored['pg_version']}, {os.cpu_count()} CPUs; wrk -t{WRK_THREADS} "
        f"-c{CONNECTIONS} -d{DURATION} over loopback; seminar capacity {CAPACITY} with a "
        f"waiting list; one new email address per request."
    )
    # wrk stops counting at the deadline while the server finishes what is in flight, so a
    # few more registrations may be stored than wrk saw redirected; never fewer.
    in_flight = stored["stored"] - registered
    notes = []
    if errors:
        notes.append(f"Responses by status: {burst['statuses']}.")
    if in_flight < 0:
        notes.append(f"LOST: {registered} redirects but {stored['stored']} registrations stored.")
    elif in_flight:
        notes.append(f"{in_flight} registrations were still in flight when wrk stopped counting.")
    if stored["confirmed"] < CAPACITY:
        notes.append(
            "Capacity was not reached, so overbooking was not put to the test: "
            "lower BENCH_CAPACITY or lengthen BENCH_DURATION."
        )
    if stored["emails_queued"] != stored["stored"]:
        notes.append(f"{stored['emails_queued']} emails queued for {stored['stored']}.")
    text = "\n\n".join([setup, table, *notes]) + "\n"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "registration.md").write_text(text)
    print("\n" + text)
    return overbooked == 0 and registered > 0 and in_flight >= 0


def main():
    # Turn `kill` into an exception so that the `finally` below stops gunicorn.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    RESULTS.mkdir(parents=True, exist_ok=True)
    log(f"fresh database {DB_NAME}")
    database_create()
    django_setup()
    log("migrate, collectstatic, one seminar")
    site_prepare()
    from django.db import connections

    connections.close_all()
    log(f"gunicorn on {HOST}:{PORT}")
    with open(RESULTS / "gunicorn.log", "w") as gunicorn_log:
        server = gunicorn_start(gunicorn_log)
        try:
            cookie, token = csrf_fetch(server)
            burst = burst_run(cookie, token)
        finally:
            gunicorn_stop(server)
    ok = report(burst, stored_counts())
    if not ok:
        log("FAILED: overbooked, lost or no registrations; see bench/results/gunicorn.log")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
