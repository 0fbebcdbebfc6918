"""Cached pages when something else happens: an organiser's edit, and clients hammering search.

An edit to one seminar should cost that seminar's pages a render, not every page on the site
(issue #22: no thundering herd). The bench edits a past seminar that none of the pages it
then loads shows, so every one of them could still be served from the cache.
"""

import statistics
import threading
import time
from collections import Counter

from bench.dataset import seminar_edit
from bench.knobs import EDIT_INTERVAL, EDIT_SAMPLES, HAMMER_CLIENTS, PAGE_SECONDS
from bench.load import floor_path, median_ms, request_ms, wrk_finish, wrk_start
from bench.pages import UNCACHED_GOAL, wrk_row
from bench.report import Row, notes
from bench.server import log

P99_GOAL_MS = 50


class Edits:
    """Numbered edits to one seminar, from the bench process as the admin would save them."""

    def __init__(self, seminar_pk):
        self.seminar_pk, self.count = seminar_pk, 0

    def __call__(self):
        self.count += 1
        seminar_edit(self.seminar_pk, self.count)


def first_requests_after_edit(site, uncached, edits, pages):
    """For each (label, target): the median time of the first request after an edit, beside
    the same page from the cache, rendered with the cache off, and the floor of its size.
    Each sample is a fresh edit followed by one request."""
    rows = []
    for label, target in pages:
        url = site.url(target.path)
        cached = median_ms(url, EDIT_SAMPLES)
        fresh = median_ms(uncached.url(target.path), EDIT_SAMPLES)
        floor = median_ms(uncached.url(floor_path(target.bytes)), EDIT_SAMPLES)
        after, statuses = [], set()
        for _ in range(EDIT_SAMPLES):
            edits()
            elapsed, status = request_ms(url)
            after.append(elapsed)
            statuses.add(status)
        wrong = statuses - {200}
        median = statistics.median(after)
        row = Row(
            what=f"{label} (`{target.path}`), first request after an edit",
            p50=median,
            ratio=floor / median,
            result=(
                f"median of {EDIT_SAMPLES}: {median:.1f} ms; cached {cached:.1f} ms, page "
                f"cache off {fresh:.1f} ms, floor {floor:.1f} ms"
            ),
            goal=f"≥ {UNCACHED_GOAL:g} × floor",
        )
        row.met = row.ratio >= UNCACHED_GOAL
        if wrong:
            row.errors.append(f"answered {sorted(wrong)}")
        rows.append(row)
    return rows


def _mix(site, paths, seconds=PAGE_SECONDS):
    return wrk_start(site.url(paths[0]), seconds=seconds, script="mix.lua", args=paths)


def mix_alone(site, paths):
    result = wrk_finish(_mix(site, paths))
    row = wrk_row(f"cached pages, {len(paths)} in turn, nothing else running", result)
    row.result = notes(", ".join(f"`{path}`" for path in paths), row.result)
    return row


def mix_while_editing(site, paths, edits):
    """The cached pages under wrk while the seminar is edited every EDIT_INTERVAL seconds."""
    stop, before = threading.Event(), edits.count

    def edit_repeatedly():
        from django.db import connection

        try:
            while not stop.wait(EDIT_INTERVAL):
                edits()
        finally:
            connection.close()

    editor = threading.Thread(target=edit_repeatedly)
    process = _mix(site, paths)
    editor.start()
    try:
        result = wrk_finish(process)
    finally:
        stop.set()
        editor.join()
    row = wrk_row(
        f"the same pages while a seminar none of them shows is edited every {EDIT_INTERVAL:g} s",
        result,
    )
    row.result = notes(f"edits during the run: {edits.count - before}", row.result)
    row.goal, row.met = f"p99 < {P99_GOAL_MS} ms", row.p99 < P99_GOAL_MS
    return row


# What the hammering clients search for, two at a time: words the seed data uses all over,
# so that each search matches and ranks many items.
HAMMER_WORDS = [
    "peer", "support", "crisis", "care", "recovery", "advocacy", "research", "lived",
    "experience", "training", "community", "policy", "power", "services", "trauma",
    "commissioning", "hope", "risk", "carers", "knowledge",
]  # fmt: skip


def mix_while_hammering(site, paths, search_path):
    """The cached pages under wrk while HAMMER_CLIENTS clients, each from its own address,
    search as fast as they can with the site's search limit on, each search for other words
    (bench/hammer.lua), so that the page cache cannot answer them."""
    hammer = wrk_start(
        site.url(search_path),
        seconds=PAGE_SECONDS + 2,
        threads=HAMMER_CLIENTS,
        connections=HAMMER_CLIENTS,
        script="hammer.lua",
        args=HAMMER_WORDS,
    )
    try:
        time.sleep(1)  # the hammer under way before the pages are measured beside it
        result = wrk_finish(_mix(site, paths))
    finally:
        hammered = wrk_finish(hammer)
    clients = hammered["script"]["clients"]
    answered = sum(client.get("200", 0) for client in clients)
    refused = sum(client.get("429", 0) for client in clients)
    limited = sum(1 for client in clients if client.get("429"))
    others = Counter()
    for client in clients:
        others.update({status: n for status, n in client.items() if status not in {"200", "429"}})
    from django.conf import settings

    limit = (
        f"{settings.SEARCH_RATE_LIMIT} new searches per {settings.SEARCH_RATE_WINDOW} s, "
        f"{settings.SEARCH_BURST_LIMIT} per {settings.SEARCH_BURST_WINDOW} s, per client"
    )
    row = wrk_row(
        f"the same pages while {len(clients)} clients hammer search, each search new ({limit})",
        result,
    )
    hammering = (
        f"{limited} of {len(clients)} clients refused (429); {answered:,} searches answered, "
        f"{refused:,} refused; search p99 {hammered['p99']:.0f} ms"
    )
    row.result = notes(hammering, row.result)
    if others:
        row.errors.append(f"search answered {dict(others)}")
    row.goal, row.met = f"p99 < {P99_GOAL_MS} ms", row.p99 < P99_GOAL_MS
    log(f"hammer: {clients}")
    return row
