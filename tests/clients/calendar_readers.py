"""Read our calendars with independent clients: Mozilla's ical.js (Thunderbird) through node,
and vobject (Radicale). Both are installed by the project's files: ical.js by `make checkers`
(package.json), vobject by `make install` (the dev extra)."""

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import vobject
from django.conf import settings

SCRIPT = Path(__file__).with_name("read_ical.mjs")


def read_with_ical_js(ics):
    """What ical.js understands of `ics` (bytes): see read_ical.mjs for the fields."""
    node = shutil.which("node")
    assert node, "node is needed to run ical.js (Debian's nodejs)"
    assert (Path(settings.BASE_DIR) / "node_modules" / "ical.js").is_dir(), (
        "ical.js is missing: run `make checkers`"
    )
    result = subprocess.run(
        [node, str(SCRIPT)],
        input=ics,
        capture_output=True,
        cwd=settings.BASE_DIR,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def ical_js_instants(ics):
    """{uid: (start, end)} as aware UTC datetimes, as ical.js reads them."""
    return {
        event["uid"]: (_instant(event["start"]), _instant(event["end"]))
        for event in read_with_ical_js(ics)["events"]
    }


def vobject_instants(ics):
    """{uid: (start, end)} as aware UTC datetimes, as vobject reads them."""
    calendar = vobject.readOne(ics.decode())
    return {
        event.uid.value: (
            event.dtstart.value.astimezone(dt.UTC),
            event.dtend.value.astimezone(dt.UTC),
        )
        for event in calendar.vevent_list
    }


def _instant(iso):
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
