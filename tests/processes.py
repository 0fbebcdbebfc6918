"""Run `manage.py` the way cron runs it: a separate process on the test database.

Use these from `transaction=True` tests, so that the other process sees committed data.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def test_database_url():
    """The DATABASE_URL of the database this test runs on (the test database, not the
    development one)."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    credentials = quote(settings_dict["USER"] or "")
    if settings_dict["PASSWORD"]:
        credentials += f":{quote(settings_dict['PASSWORD'])}"
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or "5432"
    return f"postgres://{credentials}@{host}:{port}/{settings_dict['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def process_environment(**env):
    """The environment of a production-like process: none of this shell's DJANGO_ or
    REDIS_ settings leak in, and the database is the test database."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REDIS_", "DATABASE_"))
    }
    # DEBUG is off unless asked for, and off it needs a secret key: local settings as the
    # suite's own (tests/settings.py), unless a test passes production ones.
    environment.update(
        DATABASE_URL=test_database_url(), DJANGO_LOG_LEVEL="WARNING", DJANGO_DEBUG="1"
    )
    environment.update(env)
    return environment


def manage(*args, check=True, timeout=300, **env):
    """Run `python manage.py *args` in a new process; return the CompletedProcess."""
    connection.close()  # nothing held open that the other process must wait for
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=process_environment(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} exited {result.returncode}:\n{result.stderr}"
        )
    return result


def manage_popen(*args, **env):
    """Start `python manage.py *args` without waiting (to kill it mid-way, say)."""
    connection.close()
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=process_environment(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
