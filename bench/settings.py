"""Settings for `make bench`: the production settings plus the floor view's URL.

Nothing here is used by the site itself.
"""

from coproseries.settings import *  # noqa: F403
from coproseries.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
