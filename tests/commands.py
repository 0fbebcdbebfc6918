"""Run a management command as cron runs it: `manage.py` in a process of its own, against the
test database (whose rows a `transaction=True` test has committed)."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url():
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return f"postgres://{database['USER']}@{host}/{database['NAME']}"


def manage_py(*command, **env):
    """The finished process; raises if the command failed."""
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(), **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
