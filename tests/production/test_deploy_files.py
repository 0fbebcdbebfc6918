"""deploy/'s files are whole: every placeholder is one the rehearsal fills, and systemd
itself accepts the rendered units and timers."""

import shutil
import subprocess

import pytest
from django.core.management import get_commands

from tests.production import deploy_files
from tests.production.conftest import JOBS
from tests.production.deploy_files import APP_DIR, DEPLOY_DIR


def _values(tmp_path):
    env_file = tmp_path / "coproseries.env"
    env_file.write_text("DJANGO_DEBUG=0\n")
    return {
        "APP_DIR": APP_DIR,
        "APP_USER": "root",
        "ENV_FILE": env_file,
        "GUNICORN_BIND": "127.0.0.1:8000",
        "GUNICORN_WORKERS": 3,
    }


def test_every_job_has_a_service_and_a_timer():
    names = sorted(path.name for path in (DEPLOY_DIR / "systemd").iterdir())

    assert names == sorted(
        ["coproseries.service"]
        + [f"coproseries-{job}.{kind}" for job in JOBS for kind in ("service", "timer")]
    )


def test_the_units_run_manage_py_commands_that_exist(tmp_path):
    values = _values(tmp_path)
    commands = {}
    for job in JOBS:
        unit = deploy_files.render(DEPLOY_DIR / "systemd" / f"coproseries-{job}.service", values)
        argv, workdir, env_file = deploy_files.service_command(unit)
        commands[job] = argv[1:]
        assert (argv[0], workdir, env_file) == (
            f"{APP_DIR}/.venv/bin/python",
            str(APP_DIR),
            str(values["ENV_FILE"]),
        )

    assert commands == {
        "send-mail": ["manage.py", "send_mail"],
        "retry-deferred": ["manage.py", "retry_deferred"],
        "send-reminders": ["manage.py", "send_reminders"],
        "send-feedback-requests": ["manage.py", "send_feedback_requests"],
        "send-subscriber-notices": ["manage.py", "send_subscriber_notices"],
        "purge-registrations": ["manage.py", "purge_registrations"],
        "purge-mail-log": ["manage.py", "purge_mail_log", "30"],
        "purge-receipts": ["manage.py", "purge_receipts"],
    }
    assert {argv[1] for argv in commands.values()} <= get_commands().keys()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_accepts_the_rendered_units_and_timers(tmp_path):
    values = _values(tmp_path)
    rendered = [
        deploy_files.render_to(unit, values, tmp_path / "units" / unit.name)
        for unit in sorted((DEPLOY_DIR / "systemd").iterdir())
    ]

    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *map(str, rendered)],
        capture_output=True,
        text=True,
    )

    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_the_timers_fire_when_the_readme_says():
    schedules = {
        job: deploy_files.parse_unit(
            (DEPLOY_DIR / "systemd" / f"coproseries-{job}.timer").read_text()
        )["Timer"]["OnCalendar"]
        for job in JOBS
    }
    normalised = {}
    for job, schedule in schedules.items():
        result = subprocess.run(
            ["systemd-analyze", "calendar", schedule], capture_output=True, text=True, check=True
        )
        normalised[job] = result.stdout.split("Normalized form: ")[1].splitlines()[0]

    assert normalised == {
        "send-mail": "*-*-* *:*:00",
        "retry-deferred": "*-*-* *:00,20,40:00",
        "send-reminders": "*-*-* 09:00:00",
        "send-feedback-requests": "*-*-* *:15:00",
        "send-subscriber-notices": "*-*-* *:00/10:00",
        "purge-registrations": "*-*-* 03:30:00",
        "purge-mail-log": "Sun *-*-* 04:00:00",
        "purge-receipts": "*-*-* 03:45:00",
    }


def test_the_rehearsal_fills_every_placeholder_in_deploy_and_no_other(rehearsal):
    names = set()
    for path in DEPLOY_DIR.rglob("*"):
        if path.is_file():
            names |= deploy_files.placeholders(path)
    rendered = [
        path
        for path in rehearsal.tmp.rglob("*")
        if path.is_file() and path.suffix in {".conf", ".env", ".service", ".timer"}
    ]

    assert names == rehearsal.filled
    # The nginx site and the rehearsal's own main nginx.conf, the environment file, and the
    # 17 units for each of the two hosts (gunicorn, and eight jobs with their timers).
    assert len(rendered) == 2 + 1 + 2 * 17
    assert [path for path in rendered if deploy_files.placeholders(path)] == []
