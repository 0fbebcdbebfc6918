"""The registration rush: visitors who each open the form, then register, all within a minute.

An open load: visitors arrive at random times over the first part of the window, whatever
the server is doing (each in a thread of their own), so a slow server meets the same
arrivals a fast one does, and every wait is counted. Each visitor is a stranger to the site:
no cookie, an address of their own (sent as X-Forwarded-For, as nginx would), a GET of the
form that hands them their own CSRF cookie and token, a pause to fill it in, and a POST.
"""

import http.client
import random
import re
import threading
import time
import urllib.parse
from collections import Counter
from http.cookies import SimpleCookie

from bench.knobs import RUSH_SECONDS, RUSH_VISITORS
from bench.server import HOST, log

# Filling in the form takes each visitor up to this long; arrivals stop this long before the
# end of the window, so that every POST falls within it.
THINK_SECONDS = 10.0
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _exchange(port, method, path, headers, body=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        return response, content, elapsed
    finally:
        connection.close()


def _visit(number, port, path, think, results):
    """One visitor; what happened goes in results[number] (each thread writes its own slot)."""
    address = f"10.{200 + number // 65536}.{number // 256 % 256}.{number % 256}"
    result = results[number] = {"get": None, "post": None, "get_ms": None, "post_ms": None}
    try:
        response, content, result["get_ms"] = _exchange(
            port, "GET", path, {"X-Forwarded-For": address}
        )
        result["get"] = response.status
        if response.status != 200:
            return
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        token = TOKEN.search(content)
        if "csrftoken" not in cookies or token is None:
            result["post"] = "no form"
            return
        time.sleep(think)
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "name": f"Rush Visitor {number}",
                "email": f"rush-{number}@example.org",
                "consent": "on",
                "homepage": "",
            }
        )
        headers = {
            "X-Forwarded-For": address,
            "Cookie": f"csrftoken={cookies['csrftoken'].value}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        response, _, result["post_ms"] = _exchange(port, "POST", path, headers, body)
        location = response.getheader("Location", "")
        registered = response.status == 302 and location.endswith("/register/sent/")
        result["post"] = "registered" if registered else response.status
    except OSError as error:
        result["error"] = type(error).__name__


def rush_run(port, path, *, visitors=RUSH_VISITORS, seconds=RUSH_SECONDS, seed=0):
    """Send the visitors; return what each step answered and how long it took."""
    rng = random.Random(seed)
    think_max = min(THINK_SECONDS, seconds / 2)
    arrivals = sorted(rng.uniform(0, seconds - think_max) for _ in range(visitors))
    results = [None] * visitors
    log(f"rush: {visitors} visitors over {seconds:g} s on {path}")
    started = time.monotonic()
    threads = []
    for number, arrival in enumerate(arrivals):
        time.sleep(max(0.0, started + arrival - time.monotonic()))
        thread = threading.Thread(
            target=_visit, args=(number, port, path, rng.uniform(0, think_max), results)
        )
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    return {
        "elapsed": time.monotonic() - started,
        "get": Counter(result["get"] for result in results),
        "post": Counter(result["post"] for result in results if result["get"] == 200),
        "errors": Counter(result["error"] for result in results if "error" in result),
        "get_ms": [result["get_ms"] for result in results if result["get_ms"] is not None],
        "post_ms": [result["post_ms"] for result in results if result["post_ms"] is not None],
    }


def percentile(values, percent):
    """The nearest-rank percentile: the smallest value at least `percent` % of values reach."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * percent // 100))
    return ordered[int(rank) - 1]
