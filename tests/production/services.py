"""The real servers of the rehearsal, each on a port picked free at run time: Redis (the
suite's own, tests/redis_server.py), an SMTP server (aiosmtpd), an S3-compatible server
(moto), gunicorn app hosts and nginx."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller

from tests.redis_server import free_port


def wait_for_port(port, process=None, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout}s")


def stop(process, sig=signal.SIGTERM, timeout=15):
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class SmtpServer:
    """A real SMTP server on loopback that keeps what it accepted.

    A message counts as delivered only when the server answered 250 to a client still
    connected: a client killed mid-message cancels the handler (aiosmtpd) before that.
    """

    def __init__(self):
        self.port = free_port()
        self.delivered = []  # (Message-ID, recipients, pid of the client among watched_pids)
        self.watched_pids = []
        self.lock = threading.Lock()
        self.delay = 0.0
        self.receiving = threading.Event()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        self.receiving.set()
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content)
        sender = self.client_process(session.peer[1]) if self.watched_pids else None
        with self.lock:
            self.delivered.append((message["Message-ID"], tuple(envelope.rcpt_tos), sender))
        return "250 Message accepted for delivery"

    def client_process(self, port):
        """Which of the watched processes holds the client end of a connection from `port`:
        the socket's inode from the kernel's TCP table, then the process's descriptors."""
        inodes = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{fields[9]}]")
        for pid in self.watched_pids:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    if os.readlink(fd) in inodes:
                        return pid
                except OSError:
                    continue
        return None

    def message_ids(self):
        with self.lock:
            return [message_id for message_id, _, _ in self.delivered]

    def clear(self):
        with self.lock:
            self.delivered.clear()

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()


class MotoServer:
    """An S3-compatible server (moto in server mode)."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "moto_server"),
                "-H",
                "127.0.0.1",
                "-p",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name="eu-west-2",
            aws_access_key_id="rehearsal",
            aws_secret_access_key="rehearsal",
        )

    def stop(self):
        stop(self.process)


class AppHost:
    """One app host: gunicorn started from its rendered systemd unit, as systemd would."""

    def __init__(self, name, argv, workdir, environment, log_path):
        self.name, self.argv, self.workdir = name, argv, workdir
        self.environment, self.log_path = environment, Path(log_path)
        self.port = int(argv[argv.index("--bind") + 1].rsplit(":", 1)[1])
        self.process = None

    def start(self):
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv, cwd=self.workdir, env=self.environment, stdout=log, stderr=log
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_path.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(
                    urllib.request.Request(
                        f"http://127.0.0.1:{self.port}/healthz", headers={"Host": "localhost"}
                    ),
                    timeout=5,
                )
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer /healthz")

    def stop(self):
        # SIGINT: gunicorn's quick shutdown; the rehearsal has nothing left in flight.
        stop(self.process, signal.SIGINT)


class Nginx:
    """nginx from Debian, with a main configuration of the rehearsal's own (pid, temp paths,
    error log under a prefix directory) that includes the rendered site from deploy/."""

    def __init__(self, prefix, site_conf):
        self.prefix, self.site_conf = Path(prefix), Path(site_conf)
        self.process = None

    def main_conf(self):
        run_as = "user root;" if os.geteuid() == 0 else ""
        temp = self.prefix / "temp"
        return f"""
{run_as}
daemon off;
worker_processes 1;
pid {self.prefix}/nginx.pid;
error_log {self.prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {self.site_conf};
}}
"""

    def start(self, port):
        (self.prefix / "temp").mkdir(parents=True, exist_ok=True)
        conf = self.prefix / "nginx.conf"
        conf.write_text(self.main_conf())
        check = subprocess.run(
            ["nginx", "-t", "-p", str(self.prefix), "-c", str(conf)],
            capture_output=True,
            text=True,
        )
        if check.returncode != 0:
            raise RuntimeError(check.stderr)
        self.process = subprocess.Popen(
            ["nginx", "-p", str(self.prefix), "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(port, self.process)

    def stop(self):
        stop(self.process, signal.SIGQUIT)
