"""Settings for the test suite: the site's own, with DEBUG on as for local use.

DEBUG is off unless DJANGO_DEBUG says otherwise, and the values derived from it (a local
secret key, `testserver` allowed, the console email backend, plain log lines) are computed
when the settings are imported, so the switch is set here first. Commands the tests run in a
subprocess inherit it. Tests of production settings set their own environment.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from coproseries.settings import *  # noqa: E402, F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # The test database need not survive a power cut: no fsync on each commit. Locking, and
    # so every concurrency test, is SQLite's as ever; processes the tests start (cron
    # commands, gunicorn) open it with the site's own settings.
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous=OFF"  # noqa: F405
