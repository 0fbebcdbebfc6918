"""The bench's one table: every measurement, its floor, its goal and whether it was met.

A goal missed is reported, not failed: the machine may be busy, and the lead decides. A wrong
answer (an error, a page other than 200, a place overbooked, a registration lost) is a
failure: the row says ERROR and the bench exits with status 1.
"""

from dataclasses import dataclass, field


@dataclass
class Row:
    what: str
    rps: float | None = None
    p50: float | None = None
    p99: float | None = None
    floor_rps: float | None = None
    ratio: float | None = None
    result: str = ""
    goal: str = ""
    met: bool | None = None
    errors: list[str] = field(default_factory=list)
    section: bool = False


def notes(*parts):
    """Parts of a result, the empty ones left out."""
    return "; ".join(part for part in parts if part)


def section(title):
    return Row(what=f"**{title}**", section=True)


def ratio_goal(row, minimum):
    """Hold a row to at least `minimum` times its floor's requests per second."""
    row.goal = f"≥ {minimum:g} × floor"
    if row.floor_rps:
        row.ratio = row.rps / row.floor_rps
        row.met = row.ratio >= minimum
    else:
        row.result = notes(row.result, "the floor answered nothing in time")
        row.met = False
    return row


def _number(value, digits=0):
    if value is None:
        return ""
    return f"{value:,.{digits}f}"


def _met(row):
    if row.errors:
        return "**ERROR**"
    if row.met is None:
        return ""
    return "yes" if row.met else "**no**"


def table(rows):
    lines = [
        "| measurement | req/s | p50 ms | p99 ms | floor req/s | × floor | result | goal | met? |",
        "|---|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for row in rows:
        if row.section:
            lines.append(f"| {row.what} | | | | | | | | |")
            continue
        result = "; ".join([row.result, *row.errors]) if row.errors else row.result
        cells = [
            row.what,
            _number(row.rps),
            _number(row.p50, 1),
            _number(row.p99, 1),
            _number(row.floor_rps),
            _number(row.ratio, 2),
            result,
            row.goal,
            _met(row),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summary(rows):
    """Goals met, by section; and every wrong answer, which fails the bench."""
    counts, failed, title = {}, [], ""
    for row in rows:
        if row.section:
            title = row.what.strip("*")
            continue
        if row.errors:
            failed.append(f"{title}: {row.what}")
        if row.met is not None:
            met, total = counts.get(title, (0, 0))
            counts[title] = (met + bool(row.met), total + 1)
    met = sum(met for met, _ in counts.values())
    total = sum(total for _, total in counts.values())
    lines = [f"Goals met: {met} of {total}."]
    lines += [f"- {title}: {met} of {total}" for title, (met, total) in counts.items()]
    if failed:
        lines.append("\n**Wrong answers (the bench fails):**")
        lines += [f"- {what}" for what in failed]
    return "\n".join(lines)
