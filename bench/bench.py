"""`make bench` (`python -m bench.bench`): how fast the site is for everyone, against the floor,
in one table with the goals of issue #22, all against gunicorn on PostgreSQL.

Two data sets, each in a fresh database: the demo (`load_demo`), then `seed_scale` (300
seminars, 5,000 people, 100,000 registrations at scale 1). On each, two gunicorns run side by
side with the workers the README recommends: the site as deployed (page cache on, rate limits
on), and the same with the page cache off. wrk loads every public page on each for a few
seconds, then the floor: a minimal Django view (bench/urls.py) answering as many bytes under
the same server. At seed scale it then measures the first request after an organiser's edit,
cached pages while a seminar is edited every second and while clients hammer search, search
itself, a registration rush (bench/rush.py: visitors who each open the form and register) and
a registration burst (bench/register.lua), counting what was stored.

Prints the table and writes it to bench/results/bench.md. A goal missed is reported as not
met; the bench fails (status 1) only on a wrong answer: a page other than 200, an error, a
place overbooked or a registration lost. Knobs: bench/knobs.py (BENCH_QUICK=1 for a short
run while developing).
"""

import datetime as dt
import os
import signal
import sys
import time

from bench import dataset, knobs
from bench.contention import (
    Edits,
    first_requests_after_edit,
    mix_alone,
    mix_while_editing,
    mix_while_hammering,
)
from bench.load import floor_path, request_ms, warm_up
from bench.pages import page_weight, pages_measure, signed_in_row, weight_row, weight_table
from bench.registrations import burst_row, rush_rows
from bench.report import section, summary, table
from bench.server import (
    RESULTS,
    WORKERS,
    database_create,
    django_setup,
    log,
    servers_running,
    site_server,
    uncached_server,
)

# The pages loaded together while something else happens (edits, search), in turn.
MIX = ["home", "seminar list", "seminar page", "person page", "recaps"]


def profiled_targets():
    targets = [dataset.profile(target) for target in dataset.page_targets()]
    return targets, {target.name: target for target in targets}


def signed_in_target(seminar, person):
    session = dataset.speaker_session(person)
    target = dataset.profile(dataset.Target("seminar page", seminar.get_absolute_url()), session)
    return target, session


def warm_urls(server, targets):
    return [server.url(path) for path in [floor_path(1000), *(t.path for t in targets)]]


def demo_phase():
    log("fresh database: migrate, load_demo")
    database_create()
    dataset.migrate(static=True)
    dataset.demo_load()
    targets, _ = profiled_targets()
    seminar, speaker = dataset.busiest_seminar(), dataset.demo_speaker()
    signed, session = signed_in_target(seminar, speaker)
    uncached = uncached_server()
    with servers_running(uncached):
        warm_up(warm_urls(uncached, targets), WORKERS)
        measured = pages_measure(targets, uncached=uncached)
        signed_row = signed_in_row(uncached, signed, session, speaker.name)
        weight = page_weight(uncached, seminar.get_absolute_url())
    rows = [
        section("Demo data (load_demo): page cache off"),
        *measured["uncached"],
        signed_row,
        *measured["search"],
    ]
    return rows, weight_row(f"first load of `{seminar.get_absolute_url()}` (demo)", weight)


def warm(server, targets):
    for target in targets:
        request_ms(server.url(target.path))


def seed_phase():
    log(f"fresh database: migrate, seed_scale --scale {knobs.SCALE:g}, the bench's seminars")
    database_create()
    dataset.migrate()
    dataset.seed_load()
    dataset.bench_seminars_add()
    targets, by_name = profiled_targets()
    seminar, person = dataset.busiest_seminar(), dataset.busiest_person()
    signed, session = signed_in_target(seminar, person)
    edited = dataset.edited_seminar(person, seminar)
    edited_target = dataset.profile(dataset.Target("edited seminar", edited.get_absolute_url()))
    mix = [by_name[name] for name in MIX]
    mix_paths = [target.path for target in mix]
    rush_path = f"/seminars/{dataset.RUSH_SLUG}/register/"
    burst_path = f"/seminars/{dataset.BURST_SLUG}/register/"
    site, uncached = site_server(), uncached_server()
    with servers_running(site, uncached):
        for server in (site, uncached):
            warm_up(warm_urls(server, targets), WORKERS)
        measured = pages_measure(targets, uncached=uncached, cached=site)
        signed_row = signed_in_row(site, signed, session, person.name)
        weight = page_weight(site, seminar.get_absolute_url())
        warm(site, mix)
        alone = mix_alone(site, mix_paths)
        edits = Edits(edited.pk)
        after = first_requests_after_edit(
            site,
            uncached,
            edits,
            [
                ("another seminar's page", by_name["seminar page"]),
                ("the home page", by_name["home"]),
                ("the edited seminar's page", edited_target),
            ],
        )
        storm = mix_while_editing(site, mix_paths, edits)
        warm(site, mix)
        hammer = mix_while_hammering(site, mix_paths, by_name["search"].path)
        rush = rush_rows(site, rush_path)
        burst = burst_row(site, burst_path)
    rows = [
        section(f"Seed scale ({knobs.SCALE:g}): page cache off"),
        *measured["uncached"],
        signed_row,
        section(f"Seed scale ({knobs.SCALE:g}): page cache on, anonymous visitors"),
        *measured["cached"],
        section("An organiser's edit (seed scale, page cache on)"),
        *after,
        alone,
        storm,
        section("Search (seed scale)"),
        *measured["search"],
        hammer,
        section("Registrations (seed scale, page cache and rate limits on)"),
        *rush,
        burst,
    ]
    weighed = weight_row(f"first load of `{seminar.get_absolute_url()}` (seed)", weight)
    return rows, weighed, weight


def setup_text(started, load_before, pg_version):
    minutes = (time.monotonic() - started) / 60
    load_after = os.getloadavg()
    return (
        f"gunicorn {WORKERS} sync workers per server, PostgreSQL {pg_version}, "
        f"{os.cpu_count()} CPUs (load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after); wrk -t2 -c{knobs.PAGE_CONNECTIONS} for "
        f"{knobs.PAGE_SECONDS:g} s per page over loopback; took {minutes:.1f} minutes"
        f"{' (BENCH_QUICK)' if knobs.QUICK else ''}. Cache: "
        f"{'Redis' if knobs.REDIS_URL else 'the database'}. Floor: a minimal Django view "
        "answering as many bytes under the same server, measured just after the page. "
        "Queries and size: one request with the page cache off, after one that filled the "
        "other caches. The first request after an edit: × floor compares single requests, "
        "one at a time."
    )


def main():
    # Turn `kill` into an exception so that the servers stop with the bench.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    started, load_before = time.monotonic(), os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    for old_log in [*RESULTS.glob("gunicorn*.log"), RESULTS / "wrk.log"]:
        old_log.unlink(missing_ok=True)
    django_setup()
    demo_rows, demo_weighed = demo_phase()
    seed_rows, seed_weighed, weight = seed_phase()
    rows = [*seed_rows, section("Page weight"), seed_weighed, demo_weighed, *demo_rows]
    text = "\n\n".join(
        [
            f"# make bench, {dt.date.today().isoformat()}",
            setup_text(started, load_before, dataset.postgres_version()),
            table(rows),
            summary(rows),
            "## Page weight: the seed's seminar page, first load",
            weight_table(weight),
        ]
    )
    (RESULTS / "bench.md").write_text(text + "\n")
    print("\n" + text)
    failed = any(row.errors for row in rows)
    if failed:
        log("FAILED: wrong answers (see the table); servers' logs in bench/results/")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
