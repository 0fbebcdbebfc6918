"""The production rehearsal: the site run as deploy/ says, once per test session.

    visitor ──TLS──▶ nginx (deploy/nginx/coproseries.conf) ──▶ gunicorn host A ─┐
                                                          └──▶ gunicorn host B ─┤
              PostgreSQL (own database) · Redis (own port) · SMTP (aiosmtpd) · S3 (moto)

Every server is real and started here on a free port; the app hosts and the timers' jobs run
the commands of the rendered systemd units, with the rendered environment file and nothing
else, DEBUG off. It needs PostgreSQL (DATABASE_URL), so it is skipped on the SQLite pass.
"""

import getpass
import json
import os
import secrets
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.production import deploy_files
from tests.production.deploy_files import APP_DIR, DEPLOY_DIR
from tests.production.services import AppHost, MotoServer, Nginx, SmtpServer
from tests.production.web import Visitor
from tests.redis_server import RedisServer, free_port

SERVER_NAME = "localhost"
BUCKET = "coproseries-media"
JOBS = [
    "send-mail",
    "retry-deferred",
    "send-reminders",
    "send-feedback-requests",
    "send-subscriber-notices",
    "purge-registrations",
    "purge-mail-log",
    "purge-receipts",
]


def pytest_collection_modifyitems(items):
    # Under `pytest -n` (`make test`) these tests all go to one worker, which starts the
    # servers once: tests/xdist_groups.py.
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.production)


def postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    return url if urlsplit(url).scheme in {"postgres", "postgresql"} else ""


class Rehearsal:
    def __init__(self, tmp, s3):
        self.tmp = tmp
        self.redis, self.smtp, self.s3 = RedisServer(tmp), SmtpServer(), s3
        self.http_port, self.https_port = free_port(), free_port()
        self.site_url = f"https://{SERVER_NAME}:{self.https_port}"
        self.cert, self.key = tmp / "tls" / "cert.pem", tmp / "tls" / "key.pem"
        self.log_dir = tmp / "logs"
        self.hosts = {}
        self.units = {}
        self.environment = {}
        self.nginx = None

    # -- setting up ---------------------------------------------------------------------
    def make_certificate(self):
        self.cert.parent.mkdir()
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                f"/CN={SERVER_NAME}",
                "-addext",
                f"subjectAltName=DNS:{SERVER_NAME},IP:127.0.0.1",
                "-keyout",
                str(self.key),
                "-out",
                str(self.cert),
            ],
            check=True,
            capture_output=True,
        )

    def values(self, database_url):
        host_ports = {"a": free_port(), "b": free_port()}
        return host_ports, {
            "SERVER_NAME": SERVER_NAME,
            "SITE_URL": self.site_url,
            "HTTP_PORT": self.http_port,
            "HTTPS_PORT": self.https_port,
            "TLS_CERTIFICATE": self.cert,
            "TLS_CERTIFICATE_KEY": self.key,
            "APP_HOST_A": f"127.0.0.1:{host_ports['a']}",
            "APP_HOST_B": f"127.0.0.1:{host_ports['b']}",
            "MEDIA_ROOT": self.tmp / "media",
            "LOG_DIR": self.log_dir,
            "APP_DIR": APP_DIR,
            "APP_USER": getpass.getuser(),
            "ENV_FILE": self.tmp / "coproseries.env",
            "GUNICORN_WORKERS": 2,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database_url,
            "REDIS_URL": self.redis.url,
            "S3_BUCKET": BUCKET,
            "S3_REGION": "eu-west-2",
            "S3_ENDPOINT_URL": self.s3.url,
            "S3_PUBLIC_URL": "",  # the endpoint's path-style URL, as for most S3 servers
            "S3_ACCESS_KEY_ID": "rehearsal",
            "S3_SECRET_ACCESS_KEY": "rehearsal",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": self.smtp.port,
            "SMTP_USE_TLS": 0,
            "SMTP_USER": "",
            "SMTP_PASSWORD": "",
            "FROM_EMAIL": "seminars@example.org",
        }

    def render(self, values, host_ports):
        self.filled = {*values, "GUNICORN_BIND"}
        self.log_dir.mkdir()
        env_file = deploy_files.render_to(
            DEPLOY_DIR / "coproseries.env", values, values["ENV_FILE"]
        )
        # What systemd gives a service: PATH and the environment file, nothing of ours.
        self.environment = {
            "PATH": os.environ["PATH"],
            "LANG": "C.UTF-8",
            **deploy_files.parse_environment_file(env_file.read_text()),
        }
        for host, port in host_ports.items():
            host_values = {**values, "GUNICORN_BIND": f"127.0.0.1:{port}"}
            for unit in sorted((DEPLOY_DIR / "systemd").iterdir()):
                target = self.tmp / "systemd" / host / unit.name
                deploy_files.render_to(unit, host_values, target)
                self.units[host, unit.name] = target
        return deploy_files.render_to(
            DEPLOY_DIR / "nginx" / "coproseries.conf", values, self.tmp / "nginx" / "site.conf"
        )

    def command(self, host, unit_name):
        argv, workdir, env_file = deploy_files.service_command(
            self.units[host, unit_name].read_text()
        )
        assert Path(env_file) == self.tmp / "coproseries.env"
        return argv, workdir

    # -- running things -----------------------------------------------------------------
    def manage(self, *args, check=True, timeout=120):
        """manage.py with the interpreter and directory of the units (as an operator would)."""
        argv, workdir = self.command("a", "coproseries-send-mail.service")
        result = subprocess.run(
            [argv[0], "manage.py", *args],
            cwd=workdir,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
        return result

    def shell(self, code):
        return self.manage("shell", "--no-imports", "-c", code).stdout

    def run_job(self, job, host="a", timeout=120):
        """One run of a timer's service, as systemd starts it."""
        argv, workdir = self.command(host, f"coproseries-{job}.service")
        return subprocess.run(
            argv,
            cwd=workdir,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start_job(self, job, host="a"):
        argv, workdir = self.command(host, f"coproseries-{job}.service")
        return subprocess.Popen(
            argv,
            cwd=workdir,
            env=self.environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def visitor(self):
        return Visitor(self.site_url, cafile=str(self.cert))

    def host_visitor(self, host):
        """A visitor talking to one app host directly, with the headers nginx adds."""
        return Visitor(f"http://127.0.0.1:{self.hosts[host].port}", as_proxy_for=self.site_url)

    def access_log(self, until=""):
        """The access log, once it holds `until`: nginx writes a request's line after its
        response has gone, so a client can be ahead of the log (up to 5 s)."""
        path = self.log_dir / "coproseries.access.log"
        deadline = time.monotonic() + 5
        while True:
            log = path.read_text() if path.exists() else ""
            if until in log or time.monotonic() > deadline:
                return log
            time.sleep(0.05)


def _database(base_url, name):
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(base_url, sql):
    with psycopg.connect(_database(base_url, "postgres"), autocommit=True) as connection:
        connection.execute(sql)


@pytest.fixture(scope="session")
def s3_server():
    """An S3-compatible server (moto) with the media bucket."""
    server = MotoServer()
    server.start()
    client = server.client()
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    # Photos are public, as the README tells operators to make them.
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/media/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_read))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def rehearsal(tmp_path_factory, s3_server):
    base_url = postgres_url()
    if not base_url:
        pytest.skip("the production rehearsal runs on PostgreSQL: set DATABASE_URL")
    for tool in ("nginx", "redis-server", "openssl"):
        if shutil.which(tool) is None:
            pytest.fail(f"the production rehearsal needs {tool}: `make test` installs it")
    # A database of its own, per pytest-xdist worker too: a worker that ran the rehearsal
    # beside another (a run with --dist load) would otherwise drop the other's database.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = f"{urlsplit(base_url).path.lstrip('/')}_rehearsal" + (f"_{worker}" if worker else "")
    _admin(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(base_url, f'CREATE DATABASE "{name}"')

    stack = Rehearsal(tmp_path_factory.mktemp("rehearsal"), s3_server)
    started = []
    try:
        stack.make_certificate()
        for server in (stack.redis, stack.smtp):
            server.start()
            started.append(server)
        host_ports, values = stack.values(_database(base_url, name))
        site_conf = stack.render(values, host_ports)
        stack.manage("migrate", "--noinput")
        stack.manage("collectstatic", "--noinput")
        stack.shell("from tests.production import seed; seed.run()")
        for host in host_ports:
            argv, workdir = stack.command(host, "coproseries.service")
            stack.hosts[host] = AppHost(
                host, argv, workdir, stack.environment, stack.log_dir / f"gunicorn-{host}.log"
            )
            stack.hosts[host].start()
            started.append(stack.hosts[host])
        stack.nginx = Nginx(stack.tmp / "nginx", site_conf)
        stack.nginx.start(stack.https_port)
        started.append(stack.nginx)
        yield stack
    finally:
        for server in reversed(started):
            server.stop()
        _admin(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_limits(rehearsal):
    """Every client here is 127.0.0.1: empty the rehearsal's own Redis (never the shared one)
    so that one test's rate limits do not decide the next."""
    rehearsal.redis.flush()
    yield
    rehearsal.redis.flush()
