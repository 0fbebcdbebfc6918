"""Load: wrk runs (alone or side by side) and single timed requests."""

import json
import re
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.knobs import PAGE_CONNECTIONS, PAGE_SECONDS, WORKERS
from bench.server import RESULTS, log

SCRIPTS = Path(__file__).resolve().parent
WRK_THREADS = 2
# A server is idle again once a tiny response takes less than this.
SETTLED_MS = 250
WRK_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def floor_path(size):
    """The floor (bench/urls.py): a minimal Django view answering `size` bytes of HTML."""
    return f"/bench/floor/{size}/"


def wrk_start(
    url,
    *,
    seconds=PAGE_SECONDS,
    connections=PAGE_CONNECTIONS,
    threads=WRK_THREADS,
    script=None,
    args=(),
    headers=(),
):
    """Start wrk in the background; `wrk_finish` waits for it and reads its numbers."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s"]
    command.append("--latency")
    shown = list(command)
    for header in headers:
        command += ["-H", header]
        shown += ["-H", header.partition(":")[0] + ": <…>"]
    if script:
        command += ["-s", str(SCRIPTS / script)]
        shown += ["-s", script]
    command.append(url)
    shown.append(url)
    if args:
        command += ["--", *args]
        shown += ["--", *(arg if len(arg) < 40 else "<…>" for arg in args)]
    log(" ".join(shown))
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.origin = re.match(r"https?://[^/]+", url).group(0)
    return process


def settle(origin, deadline=60):
    """Wait until the server has finished what wrk left it. wrk stops at its deadline, but
    the requests its connections had sent stay queued, and each sync worker renders them
    all before it notices that no one is listening: slow pages would steal the next
    measurement's time. New requests queue behind those, so once as many as there are
    workers come back quickly, the queue is empty."""
    started = time.monotonic()
    while time.monotonic() - started < deadline:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            timings = list(pool.map(request_ms, [f"{origin}/robots.txt"] * WORKERS))
        if max(elapsed for elapsed, _ in timings) < SETTLED_MS:
            return
        time.sleep(0.2)
    log(f"{origin} still busy after {deadline} s")


def wrk_finish(process):
    output, errors = process.communicate()
    settle(process.origin)
    with open(RESULTS / "wrk.log", "a") as raw:
        raw.write(f"$ {' '.join(process.args)}\n{output}{errors}\n")
    if process.returncode:
        raise RuntimeError(f"wrk failed ({process.returncode}):\n{errors}\n{output}")
    return wrk_parse(output)


def wrk(url, **options):
    return wrk_finish(wrk_start(url, **options))


def wrk_parse(output):
    """Requests per second, median and 99th percentile latency (ms), the count of requests,
    of answers other than 2xx, of socket errors, and what a script printed as BENCH_RESULT."""

    def latency(percent):
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        if found is None:
            raise RuntimeError(f"no {percent}% latency in wrk's output:\n{output}")
        value, unit = found.groups()
        return float(value) * WRK_UNITS[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    script = re.search(r"^BENCH_RESULT (.*)$", output, re.M)
    return {
        "rps": float(re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M).group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(count) for count in socket.groups()[:3]) if socket else 0,
        "timeouts": int(socket.group(4)) if socket else 0,
        "script": json.loads(script.group(1)) if script else None,
    }


def request_ms(url, headers=None):
    """One GET on a new connection, as a browser's first request: milliseconds until the
    whole body has arrived, and the status."""
    request = urllib.request.Request(url, headers=headers or {})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return (time.perf_counter() - started) * 1000, status


def warm_up(urls, workers):
    """Each URL `workers` times, that many at once, so that every worker has compiled the
    templates and filled the caches that a page's first request fills: a server warmed up
    as a running site is, whose first requests are long past."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(request_ms, [url for url in urls for _ in range(workers)]))


def median_ms(url, samples, headers=None):
    """The median of `samples` requests one after another (the first is left out: it may
    warm what the others reuse)."""
    request_ms(url, headers)
    timings = []
    for _ in range(samples):
        elapsed, status = request_ms(url, headers)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
        timings.append(elapsed)
    return statistics.median(timings)
