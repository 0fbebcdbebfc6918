"""A Redis server of the test's own, on a free port, that the test may stop and start again on
the same port (tests/test_cache_outage.py, and the production rehearsal's).

The machine's shared Redis is never stopped or flushed. With `keep_data=True` the server
saves its data on stop (SHUTDOWN SAVE) and loads it again on start, as a Redis with
persistence does after a restart: what it held before an outage comes back with it.
Otherwise it comes back empty.
"""

import contextlib
import socket
import subprocess
import time

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, directory, *, keep_data=False):
        self.directory = directory
        self.keep_data = keep_data
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        """A client that asks once: redis-py's default retries, with their back-off, would
        wait seconds for a server that is starting or has just hung up."""
        return redis.Redis(port=self.port, socket_connect_timeout=1, retry=Retry(NoBackoff(), 0))

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--dir", str(self.directory), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}")
            try:
                self.client().ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process is None:
            return
        with contextlib.suppress(redis.ConnectionError):  # it hangs up as it goes
            self.client().shutdown(save=self.keep_data, nosave=not self.keep_data)
        self.process.wait(10)
        self.process = None

    def flush(self):
        self.client().flushall()
