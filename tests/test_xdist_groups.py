"""`make test` shares the suite out between pytest-xdist workers but keeps the production
rehearsal's tests together on one (tests/xdist_groups.py), which starts its servers once."""

import os
import re
import subprocess
import sys

from django.conf import settings


def test_the_rehearsals_tests_all_run_on_one_worker():
    # A pytest of its own, on SQLite, without the rehearsal's fixture: nothing of this run's
    # databases or servers is touched.
    environment = {
        name: value
        for name, value in os.environ.items()
        if name != "DATABASE_URL" and not name.startswith("PYTEST_")
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-n",
            "2",
            "--dist",
            "loadgroup",
            "-v",
            "tests/production/test_deploy_files.py",
            "-k",
            "not rehearsal",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    ran = re.findall(r"^\[(gw\d+)\] \[ *\d+%\] (?:PASSED|SKIPPED)", result.stdout, re.MULTILINE)
    assert len(ran) == 4, result.stdout[-3000:]
    assert len(set(ran)) == 1, result.stdout[-3000:]
