"""The bench's knobs, from the environment. BENCH_QUICK=1 gives a small, short run for
development (seconds where the full run takes minutes); any knob set explicitly still wins.
"""

import os

QUICK = os.environ.get("BENCH_QUICK", "") not in {"", "0"}


def _knob(name, full, quick):
    return os.environ.get(name, quick if QUICK else full)


def seconds(text):
    """wrk's duration ("10s", "1m", "500ms") or a plain number of seconds, as a float."""
    text = str(text).strip()
    for unit, factor in (("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)):
        if text.endswith(unit) and text[: -len(unit)].replace(".", "", 1).isdigit():
            return float(text[: -len(unit)]) * factor
    return float(text)


SCALE = float(_knob("BENCH_SCALE", "1.0", "0.05"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
# Every page, cached and uncached, and its floor.
PAGE_SECONDS = seconds(_knob("BENCH_PAGE_DURATION", "5s", "2s"))
PAGE_CONNECTIONS = int(_knob("BENCH_PAGE_CONNECTIONS", "16", "16"))
# Only these pages under wrk, by name ("home,search"), while developing; empty: every page.
PAGES = {name.strip() for name in os.environ.get("BENCH_PAGES", "").split(",") if name.strip()}
# The registration burst: wrk posting as fast as it can, one new person per request.
BURST_SECONDS = seconds(_knob("BENCH_BURST_DURATION", "10s", "3s"))
BURST_CONNECTIONS = int(_knob("BENCH_CONNECTIONS", "32", "32"))
CAPACITY = int(_knob("BENCH_CAPACITY", "1000", "100"))
# The registration rush: visitors who each open the form, then register.
RUSH_VISITORS = int(_knob("BENCH_RUSH_VISITORS", "1000", "150"))
RUSH_SECONDS = seconds(_knob("BENCH_RUSH_DURATION", "60s", "15s"))
RUSH_CAPACITY = int(_knob("BENCH_RUSH_CAPACITY", "100", "20"))
# First requests after an edit (each one a fresh edit), and edits while wrk loads pages.
EDIT_SAMPLES = int(_knob("BENCH_EDIT_SAMPLES", "5", "3"))
EDIT_INTERVAL = seconds(_knob("BENCH_EDIT_INTERVAL", "1s", "1s"))
# Clients hammering search, each its own address to the rate limit.
HAMMER_CLIENTS = int(_knob("BENCH_HAMMER_CLIENTS", "10", "10"))
# Empty: the database is the cache (the default). Only ever a Redis of the bench's own.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")
