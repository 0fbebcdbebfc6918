"""The bench's database, its Django setup and its servers: gunicorn under production settings.

Two servers run side by side on the same database, so that each page is measured on both
within seconds of each other: the site as deployed (page cache on, rate limits on) and the
same site with the page cache off. Both sit behind "one trusted proxy", as nginx would be:
rate limits count the client named in X-Forwarded-For, which lets the bench's load generators
be a thousand visitors honestly (the limits see a thousand addresses) while wrk's own page
loads, which send no such header, count as the loopback address.
"""

import atexit
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench.knobs import REDIS_URL, WORKERS

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
DB_NAME = "coproseries_bench"
PG_ARGS = ["-h", "127.0.0.1", "-U", "postgres"]
# Far above anything one client sends during the bench.
UNLIMITED = "100000000"

# Photos and slides the demo makes go here, never into the developer's media folders.
SCRATCH = Path(tempfile.mkdtemp(prefix="coproseries-bench-"))
atexit.register(shutil.rmtree, SCRATCH, ignore_errors=True)

# Production settings (DEBUG off) on plain http over loopback. Emails are queued in the
# database and never sent. The secret is shared by the servers and the bench process, which
# logs people in and edits seminars as an organiser would.
ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    # Empty: the database is the cache, as by default. Never a shared Redis: the bench fills it.
    "REDIS_URL": REDIS_URL,
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": HOST,
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_HSTS_SECONDS": "0",
    "DJANGO_TRUSTED_PROXY_COUNT": "1",
    "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    "DJANGO_SITE_URL": f"http://{HOST}:8765",
    "DJANGO_LOG_LEVEL": "WARNING",
    "DJANGO_MEDIA_ROOT": str(SCRATCH / "media"),
    "DJANGO_PRIVATE_MEDIA_ROOT": str(SCRATCH / "private"),
}


STARTED = time.monotonic()


def log(message):
    elapsed = int(time.monotonic() - STARTED)
    print(f"bench {elapsed // 60}:{elapsed % 60:02}: {message}", flush=True)


def database_create():
    """A fresh, empty database (dropping the bench's earlier one)."""
    if "django" in sys.modules:
        from django.db import connections

        connections.close_all()
    subprocess.run(["dropdb", *PG_ARGS, "--if-exists", "--force", DB_NAME], check=True)
    subprocess.run(["createdb", *PG_ARGS, DB_NAME], check=True)


def django_setup():
    os.environ.update(ENV)
    import django

    django.setup()


class Server:
    """One gunicorn, in its own process group so that its workers stop with it."""

    def __init__(self, name, port, **settings):
        self.name, self.port = name, port
        self.env = {**os.environ, **ENV, **settings}
        self.process = None

    def url(self, path):
        return f"http://{HOST}:{self.port}{path}"

    def start(self):
        self.log_file = open(RESULTS / f"gunicorn-{self.name}.log", "a")  # noqa: SIM115
        command = [str(BIN / "gunicorn"), "coproseries.wsgi", "-w", str(WORKERS)]
        # As deploy/systemd/coproseries.service runs it, workers recycled every 10,000 to
        # 15,000 requests included; with no control socket, which every gunicorn on the
        # machine would otherwise share at one default path.
        command += ["--timeout", "30", "--max-requests", "10000", "--max-requests-jitter", "5000"]
        command.append("--no-control-socket")
        self.process = subprocess.Popen(
            [*command, "-b", f"{HOST}:{self.port}"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, deadline=60):
        started = time.monotonic()
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see bench/results/gunicorn-{self.name}.log")
            try:
                with urllib.request.urlopen(self.url("/robots.txt"), timeout=5):
                    return
            except OSError:
                if time.monotonic() - started > deadline:
                    raise
                time.sleep(0.3)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process is not None:
            self.log_file.close()


def site_server():
    """The site as deployed: page cache on, every rate limit at its default."""
    return Server("site", 8765)


def uncached_server():
    """The page cache off (every page rendered afresh and whole: no page or fragment kept)
    and searches not limited, so that wrk, one client, measures what a render and a
    search cost. DJANGO_PAGE_CACHE_SECONDS=0 alone only stops browsers keeping pages: the
    server would still serve its stored pages, to signed-in visitors too."""
    return Server(
        "uncached",
        8766,
        DJANGO_PAGE_CACHE="0",
        DJANGO_PAGE_CACHE_SECONDS="0",
        DJANGO_SEARCH_RATE_LIMIT=UNLIMITED,
        DJANGO_SEARCH_BURST_LIMIT=UNLIMITED,
        DJANGO_REGISTRATION_RATE_LIMIT=UNLIMITED,
    )


@contextmanager
def servers_running(*servers):
    from django.db import connections

    # Each server's workers open their own connections; the bench's own would sit idle.
    connections.close_all()
    with ExitStack() as stack:
        for server in servers:
            stack.callback(server.stop)
            log(f"gunicorn {server.name}: {WORKERS} workers on {HOST}:{server.port}")
            server.start()
        for server in servers:
            server.wait_ready()
        yield servers
