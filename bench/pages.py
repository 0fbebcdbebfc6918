"""Every public page under wrk, beside its floor; and a page's weight on a first visit."""

import re
import urllib.request

from bench.knobs import PAGES
from bench.load import floor_path, request_ms, wrk
from bench.report import Row, notes, ratio_goal

# Every page rendered afresh (page cache off, a form, a signed-in visitor) within 4 times the
# floor's cost, and a cache hit within twice it (issue #22).
UNCACHED_GOAL = 0.25
CACHED_GOAL = 0.5
SEARCH_GOAL = 200
PAGE_WEIGHT_GOAL = 60 * 1024


def _label(target, suffix=""):
    return f"{target.name}{suffix} (`{target.path}`)"


def wrk_row(what, result, *, floor=None, size=""):
    """A row from wrk's numbers; a page that answered other than 2xx, or dropped the
    connection, is an error. One slower than wrk's run or its timeout only misses its goal."""
    row = Row(
        what=what,
        rps=result["rps"],
        p50=result["p50"],
        p99=result["p99"],
        result=notes(
            size,
            "" if result["requests"] else "no answer within the run",
            f"{result['timeouts']:,} answers slower than 10 s" if result["timeouts"] else "",
        ),
    )
    if floor is not None:
        row.floor_rps = floor["rps"]
    if result["non_2xx"]:
        row.errors.append(f"{result['non_2xx']:,} of {result['requests']:,} answers not 2xx")
    if result["socket_errors"]:
        row.errors.append(f"{result['socket_errors']:,} connections refused or dropped")
    return row


def _size(target):
    return f"{target.bytes / 1024:,.1f} KB, {target.queries} queries"


def pages_measure(targets, *, uncached, cached=None):
    """wrk on each page with the page cache off, then its floor, then (when a cached server
    is given) the same page with the cache on. Returns rows for each kind of measurement."""
    rows = {"uncached": [], "cached": [], "search": []}
    for target in targets:
        if PAGES and target.name not in PAGES:
            continue
        if target.status != 200:
            row = Row(what=_label(target), errors=[f"answered {target.status}"])
            rows["search" if target.kind == "search" else "uncached"].append(row)
            continue
        fresh = wrk(uncached.url(target.path))
        floor = wrk(uncached.url(floor_path(target.bytes)))
        row = wrk_row(_label(target), fresh, floor=floor, size=_size(target))
        if target.kind == "search":
            # Made afresh: what a search the page cache does not hold costs (a new query,
            # or the first after an edit). The goal is for a common query as deployed.
            row.what = _label(target, ", made afresh every time")
            row.ratio = row.rps / row.floor_rps if row.floor_rps else None
            row.goal, row.met = "measured", None
            rows["search"].append(row)
            if cached is not None:
                rows["search"].append(common_search_row(cached, target, floor=floor))
            continue
        rows["uncached"].append(ratio_goal(row, UNCACHED_GOAL))
        if cached is not None and target.kind == "page":
            # One request first, so that wrk measures hits: an entry may have expired since
            # the warm-up (after PUBLIC_PAGE_CACHE_SECONDS); what a miss costs is measured
            # above, and after an edit (bench/contention.py).
            request_ms(cached.url(target.path))
            hit = wrk_row(_label(target), wrk(cached.url(target.path)), floor=floor)
            rows["cached"].append(ratio_goal(hit, CACHED_GOAL))
    return rows


def common_search_row(site, target, *, floor):
    """A search many visitors make ("peer support") as the site answers it: each request
    from a visitor of its own (bench/visitors.lua), so no one reaches the limit, and each
    answered from the page cache once the first has made it."""
    request_ms(site.url(target.path))
    result = wrk(site.url(target.path), script="visitors.lua")
    row = wrk_row(f"{target.name}, as deployed (`{target.path}`)", result, floor=floor)
    row.result = notes("each request from a visitor of its own; the page cache on", row.result)
    row.ratio = row.rps / row.floor_rps if row.floor_rps else None
    row.goal, row.met = f"≥ {SEARCH_GOAL} req/s", row.rps >= SEARCH_GOAL
    return row


def signed_in_row(server, target, session, person_name):
    """A page as a signed-in speaker sees it: never from the page cache."""
    from django.conf import settings

    headers = [f"Cookie: {settings.SESSION_COOKIE_NAME}={session}"]
    page = wrk(server.url(target.path), headers=headers)
    floor = wrk(server.url(floor_path(target.bytes)))
    what = _label(target, f", signed in as a speaker ({person_name})")
    return ratio_goal(wrk_row(what, page, floor=floor, size=_size(target)), UNCACHED_GOAL)


def _fetch(url, compressed):
    headers = {"Accept-Encoding": "br, gzip"} if compressed else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
        return r.read(), r.headers


def page_weight(server, path):
    """Bytes on the wire for a first visit to a page: the HTML and every stylesheet and script
    it links, asking for brotli or gzip as a browser does (images are left out)."""
    html, headers = _fetch(server.url(path), compressed=True)
    rows = [(path, len(html), headers.get("Content-Encoding", "none"), "")]
    text = _fetch(server.url(path), compressed=False)[0].decode()
    assets = []
    for tag in re.findall(r"<link\b[^>]*>", text):
        if re.search(r'rel="(stylesheet|preload|modulepreload)"', tag):
            assets += re.findall(r'href="([^"]+)"', tag)
    assets += re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', text)
    for asset in dict.fromkeys(assets):
        body, asset_headers = _fetch(server.url(asset), compressed=True)
        encoding = asset_headers.get("Content-Encoding", "none")
        rows.append((asset, len(body), encoding, asset_headers.get("Cache-Control", "")))
    return rows


def weight_row(what, rows):
    total = sum(size for _, size, _, _ in rows)
    return Row(
        what=what,
        result=f"{total / 1024:.1f} KB: HTML and {len(rows) - 1} stylesheets and scripts",
        goal=f"≤ {PAGE_WEIGHT_GOAL // 1024} KB",
        met=total <= PAGE_WEIGHT_GOAL,
    )


def weight_table(rows):
    lines = ["| resource | bytes on the wire | encoding | cache |", "|---|---:|---|---|"]
    for resource, size, encoding, cache_control in rows:
        lines.append(f"| `{resource}` | {size:,} | {encoding} | {cache_control} |")
    total = sum(size for _, size, _, _ in rows)
    lines.append(f"| **total** | **{total:,}** | | |")
    return "\n".join(lines)
