"""`make bench`: the public pages against the floor, page weight, and a registration burst,
all against gunicorn on PostgreSQL.

Builds a fresh database with `seed_scale` (300 seminars, 5,000 people, 100,000 registrations
at scale 1), starts gunicorn on the loopback interface with the workers the README
recommends, and lets wrk load each page for a fixed time, then the floor: a minimal Django
view (bench/urls.py) rendering a template of the same size under the same server. Then
wrk (bench/register.lua) registers a new person per request for one seminar and the stored
rows are counted. Prints the tables and writes them to bench/results/bench.md. Fails if the
seminar is overbooked, registrations are lost or a page answers other than 200.

Knobs (environment): BENCH_SCALE (1.0), BENCH_PAGE_DURATION (10s), BENCH_DURATION (15s),
BENCH_CONNECTIONS (32), BENCH_PAGE_CONNECTIONS (16), BENCH_WORKERS (2 x CPUs + 1),
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
PAGE_DURATION = os.environ.get("BENCH_PAGE_DURATION", "10s")
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
PAGE_CONNECTIONS = int(os.environ.get("BENCH_PAGE_CONNECTIONS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
SCALE = os.environ.get("BENCH_SCALE", "1.0")
BASE_URL = f"http://{HOST}:{PORT}"
PAGE_WEIGHT_GOAL = 60 * 1024
CAPACITY = int(os.environ.get("BENCH_CAPACITY", "1000"))
WRK_THREADS = 2

# Production settings (DEBUG off), but plain http on loopback and no rate limit: the burst
# comes from one address. Emails are queued in the database and never sent.
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
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
    call_command("seed_scale", scale=float(SCALE), verbosity=1)
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


def page_targets():
    """The pages to load: the busiest seminar and person, so that their pages are the biggest."""
    from django.db.models import Count

    from people.models import Person
    from seminars.models import Seminar

    seminar = (
        Seminar.objects.public()
        .annotate(items=Count("talks", distinct=True) + Count("workshops", distinct=True))
        .order_by("-items", "pk")
        .first()
    )
    person = (
        Person.objects.listed()
        .annotate(items=Count("talks", distinct=True) + Count("workshops", distinct=True))
        .order_by("-items", "pk")
        .first()
    )
    return [
        ("home", "/"),
        ("seminar list", "/seminars/"),
        ("seminar page", seminar.get_absolute_url()),
        ("person page", person.get_absolute_url()),
        ("recaps", "/recaps/"),
        ("recaps feed", "/recaps/feed/"),
        ("calendar", "/calendar.ics"),
        ("voices", "/voices/"),
        # Never cached (see UNCACHED): full-text search on its GIN indexes.
        ("search", "/search/?q=peer+support"),
    ]


# Pages rendered afresh on every request, so not held to the cached pages' floor goal: every
# search differs, and its cost is the search itself (words common in the seed data match
# hundreds of items of each kind, each ranked).
UNCACHED = {"search"}


def page_profile(path):
    """Queries and size of one anonymous request, with an empty cache (the cost of a miss)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path, HTTP_HOST=f"{HOST}:{PORT}")
    assert response.status_code == 200, (path, response.status_code)
    return {"queries": len(queries), "bytes": len(response.content)}


WRK_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk_get(path):
    """wrk's requests per second and median and 99th percentile latency (ms) for a GET."""
    command = [
        "wrk", f"-t{WRK_THREADS}", f"-c{PAGE_CONNECTIONS}", f"-d{PAGE_DURATION}",
        "--timeout", "10s", "--latency", BASE_URL + path,
    ]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"{path} answered other than 2xx under load:\n{output}")

    def latency(percent):
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        if found is None:
            raise RuntimeError(f"no {percent}% latency in wrk's output:\n{output}")
        value, unit = found.groups()
        return float(value) * WRK_UNITS[unit]

    rps = float(re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M).group(1))
    return {"rps": rps, "p50": latency(50), "p99": latency(99)}


def page_weight(path):
    """Bytes on the wire for a first visit to a page: the HTML and every stylesheet and script
    it links, asking for brotli or gzip as a browser does (images are left out)."""

    def fetch(url):
        request = urllib.request.Request(url, headers={"Accept-Encoding": "br, gzip"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
            return body, response.headers

    html, headers = fetch(BASE_URL + path)
    rows = [(path, len(html), headers.get("Content-Encoding", "none"), "")]
    text = html.decode() if headers.get("Content-Encoding") is None else ""
    if not text:
        raise RuntimeError("the HTML came compressed; the bench reads it plain")
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)
    assets += re.findall(r'<script[^>]+src="([^"]+)"', text)
    for asset in assets:
        body, asset_headers = fetch(BASE_URL + asset)
        rows.append(
            (
                asset,
                len(body),
                asset_headers.get("Content-Encoding", "none"),
                asset_headers.get("Cache-Control", ""),
            )
        )
    return rows


def pages_run(targets, profiles):
    results = []
    for name, path in targets:
        log(f"wrk {PAGE_DURATION} on {path}")
        page = wrk_get(path)
        floor = wrk_get(f"/bench/floor/{profiles[path]['bytes']}/")
        results.append({"name": name, "path": path, **profiles[path], "page": page, "floor": floor})
    return results


def pages_table(results):
    header = (
        "| page | bytes | queries | req/s | p50 ms | p99 ms | floor req/s | floor p50 ms "
        "| floor p99 ms | page / floor |"
    )
    lines = [header, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in results:
        page, floor = row["page"], row["floor"]
        lines.append(
            f"| {row['name']} (`{row['path']}`) | {row['bytes']:,} | {row['queries']} "
            f"| {page['rps']:.0f} | {page['p50']:.1f} | {page['p99']:.1f} "
            f"| {floor['rps']:.0f} | {floor['p50']:.1f} | {floor['p99']:.1f} "
            f"| {page['rps'] / floor['rps']:.2f} |"
        )
    return "\n".join(lines)


def weight_table(rows):
    lines = [
        "| resource | bytes on the wire | encoding | cache |",
        "|---|---:|---|---|",
    ]
    for resource, size, encoding, cache_control in rows:
        lines.append(f"| `{resource}` | {size:,} | {encoding} | {cache_control} |")
    total = sum(size for _, size, _, _ in rows)
    lines.append(f"| **total** | **{total:,}** | | |")
    return "\n".join(lines), total


def registration_report(burst, stored):
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
    text = "\n\n".join([setup, table, *notes])
    return text, overbooked == 0 and registered > 0 and in_flight >= 0


def main():
    # Turn `kill` into an exception so that the `finally` below stops gunicorn.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    RESULTS.mkdir(parents=True, exist_ok=True)
    log(f"fresh database {DB_NAME}")
    database_create()
    django_setup()
    log(f"migrate, collectstatic, seed_scale --scale {SCALE}, one seminar for the burst")
    site_prepare()
    targets = page_targets()
    profiles = {path: page_profile(path) for _, path in targets}
    from django.db import connections

    connections.close_all()
    log(f"gunicorn with {WORKERS} workers on {HOST}:{PORT}")
    with open(RESULTS / "gunicorn.log", "w") as gunicorn_log:
        server = gunicorn_start(gunicorn_log)
        try:
            cookie, token = csrf_fetch(server)
            pages = pages_run(targets, profiles)
            weight_rows = page_weight(targets[2][1])
            burst = burst_run(cookie, token)
        finally:
            gunicorn_stop(server)
    burst_text, ok = registration_report(burst, stored_counts())
    weights, total = weight_table(weight_rows)
    worst = min(
        row["page"]["rps"] / row["floor"]["rps"] for row in pages if row["name"] not in UNCACHED
    )
    text = (
        "\n\n".join(
            [
                f"# make bench, {dt.date.today().isoformat()}",
                f"gunicorn {WORKERS} sync workers, PostgreSQL, {os.cpu_count()} CPUs, "
                f"seed_scale --scale {SCALE}; wrk -t{WRK_THREADS} -c{PAGE_CONNECTIONS} "
                f"-d{PAGE_DURATION} per page over loopback, anonymous visitors. Queries: one "
                "request with an empty cache. Floor: a minimal Django view rendering a template "
                "of the same size under the same server.",
                "## Public pages against the floor",
                pages_table(pages),
                f"Lowest page / floor: {worst:.2f} (goal: at least 0.5), leaving out "
                f"{', '.join(sorted(UNCACHED))}, which is never cached.",
                "## Page weight: the seminar page's first load",
                weights,
                f"Total {total / 1024:.1f} KB (goal: at most {PAGE_WEIGHT_GOAL // 1024} KB).",
                "## Registration burst",
                burst_text,
            ]
        )
        + "\n"
    )
    (RESULTS / "bench.md").write_text(text)
    print("\n" + text)
    if not ok:
        log("FAILED: overbooked, lost or no registrations; see bench/results/gunicorn.log")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
