"""Tests that share a session's servers run on one pytest-xdist worker (`make test`).

The production rehearsal (tests/production/) starts nginx, two gunicorn hosts, Redis, SMTP
and S3 servers once per session; sharing its tests between workers would start it once per
worker. pytest-xdist's `xdist_group` mark no longer groups anything with pytest 9.2: its
workers write the group into a node id attribute that pytest stopped reading, so the tests
were shared out one by one, silently (pytest-xdist issue 1386). The groups are therefore
decided here, in the controller, from the node ids' paths, which every pytest reports the same.
"""

from xdist.scheduler import LoadGroupScheduling

# Node ids start with the test file's path from the project's root (where pyproject.toml is).
GROUPS = {"tests/production/": "rehearsal"}


class DirectoryGroupScheduling(LoadGroupScheduling):
    """--dist loadgroup, with every test under one of GROUPS' directories in that group."""

    def _split_scope(self, nodeid):
        for directory, group in GROUPS.items():
            if nodeid.startswith(directory):
                return group
        return super()._split_scope(nodeid)
