"""A Redis server of the test's own, on a free port, that the test may stop and start.

The machine's shared Redis is never stopped or flushed. This one saves its data on stop
(SHUTDOWN SAVE) and loads it again on start, as a Redis with persistence does after a
restart: what it held before an outage comes back with it.
"""

import contextlib
import socket
import subprocess
import time

import redis


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        return redis.Redis(port=self.port, socket_connect_timeout=1)

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--dir", str(self.directory), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
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
            self.client().shutdown(save=True)
        self.process.wait(10)
        self.process = None
