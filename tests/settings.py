"""Settings for the test suite: the site's own, with DEBUG on as for local use.

DEBUG is off unless DJANGO_DEBUG says otherwise, and the values derived from it (a local
secret key, `testserver` allowed, the console email backend, plain log lines) are computed
when the settings are imported, so the switch is set here first. Commands the tests run in a
subprocess inherit it. Tests of production settings set their own environment.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from coproseries.settings import *  # noqa: E402, F403
