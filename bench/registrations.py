"""Registrations under load, and what was stored: the rush (visitors who open the form, then
register) and the burst (wrk posting as fast as the server answers)."""

import re
import statistics

from bench.dataset import BURST_SLUG, RUSH_SLUG, stored_registrations
from bench.knobs import BURST_CONNECTIONS, BURST_SECONDS, CAPACITY, RUSH_CAPACITY, RUSH_SECONDS
from bench.load import wrk
from bench.report import Row
from bench.rush import percentile, rush_run

FORM_P99_GOAL_MS = 500


def _booking_errors(stored, capacity, registered):
    """What would make the stored registrations wrong: places overbooked, registrations the
    visitors were told of but that are not there, or people waiting while places are free."""
    errors = []
    if stored["confirmed"] > capacity:
        errors.append(f"OVERBOOKED by {stored['confirmed'] - capacity}")
    if stored["stored"] < registered:
        errors.append(f"LOST: {registered} told they were registered, {stored['stored']} stored")
    if stored["waitlisted"] and stored["confirmed"] < capacity:
        errors.append(f"{stored['waitlisted']} waiting while {capacity - stored['confirmed']} free")
    return errors


def rush_rows(site, path):
    outcome = rush_run(site.port, path)
    stored = stored_registrations(RUSH_SLUG)
    visitors = sum(outcome["get"].values())
    registered = outcome["post"].get("registered", 0)
    get_ms, post_ms = outcome["get_ms"], outcome["post_ms"]
    form = Row(
        what=f"rush: the form (GET), {visitors:,} visitors in {RUSH_SECONDS:g} s",
        p50=statistics.median(get_ms) if get_ms else None,
        p99=percentile(get_ms, 99),
        result=(
            f"{outcome['get'].get(200, 0):,} answered 200; the last visitor done after "
            f"{outcome['elapsed']:.0f} s"
        ),
        goal=f"p99 < {FORM_P99_GOAL_MS} ms",
    )
    form.met = form.p99 < FORM_P99_GOAL_MS
    wrong_gets = {status: n for status, n in outcome["get"].items() if status != 200}
    if wrong_gets:
        form.errors.append(f"GET answered {wrong_gets}")
    wrong_posts = {status: n for status, n in outcome["post"].items() if status != "registered"}
    errors = sum(wrong_gets.values()) + sum(wrong_posts.values())
    overbooked = max(0, stored["confirmed"] - RUSH_CAPACITY)
    booking = Row(
        what=f"rush: registering (POST), {RUSH_CAPACITY} places and a waiting list",
        p50=statistics.median(post_ms) if post_ms else None,
        p99=percentile(post_ms, 99),
        result=(
            f"{errors} errors, {overbooked} overbooked; {stored['confirmed']} confirmed, "
            f"{stored['waitlisted']} waitlisted, {stored['stored']} stored"
        ),
        goal="0 errors, 0 overbooked, none lost",
    )
    booking.errors = _booking_errors(stored, RUSH_CAPACITY, registered)
    if wrong_posts:
        booking.errors.append(f"POST answered {wrong_posts}")
    if outcome["errors"]:
        booking.errors.append(f"no answer: {dict(outcome['errors'])}")
    booking.met = not booking.errors
    return [form, booking]


def _csrf(site, path):
    """A csrftoken cookie and a token made from it, from one GET of the form."""
    import urllib.request
    from http.cookies import SimpleCookie

    with urllib.request.urlopen(site.url(path), timeout=10) as response:
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie"):
            cookies.load(header)
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return cookies["csrftoken"].value, token


def burst_row(site, path):
    """wrk posting registrations as fast as the server answers, each a new person from an
    address of their own (bench/register.lua): throughput, and nothing overbooked or lost."""
    cookie, token = _csrf(site, path)
    result = wrk(
        site.url(path),
        seconds=BURST_SECONDS,
        connections=BURST_CONNECTIONS,
        script="register.lua",
        args=[cookie, token],
    )
    burst = result["script"]
    stored = stored_registrations(BURST_SLUG)
    registered = burst["statuses"].get("302", 0)
    seconds = burst["duration_us"] / 1e6
    row = Row(
        what=f"burst: wrk -c{BURST_CONNECTIONS} registering for {BURST_SECONDS:g} s, "
        f"{CAPACITY:,} places and a waiting list",
        rps=registered / seconds,
        p50=burst["p50_us"] / 1000,
        p99=burst["p99_us"] / 1000,
        result=(
            f"{stored['confirmed']:,} confirmed, {stored['waitlisted']:,} waitlisted; "
            f"{stored['stored'] - registered} more stored than wrk saw (in flight at its end)"
        ),
        goal="0 errors, 0 overbooked, none lost",
    )
    # wrk stops counting at its deadline while the server finishes what is in flight, so a
    # few more may be stored than wrk saw redirected; never fewer.
    row.errors = _booking_errors(stored, CAPACITY, registered)
    wrong = {status: n for status, n in burst["statuses"].items() if status != "302"}
    if wrong or burst["socket_errors"]:
        row.errors.append(f"answers {wrong}, {burst['socket_errors']} socket errors")
    if registered == 0:
        row.errors.append("nobody registered")
    if stored["confirmed"] < CAPACITY:
        row.result += "; capacity not reached, so overbooking was not put to the test"
    row.met = not row.errors
    return row
