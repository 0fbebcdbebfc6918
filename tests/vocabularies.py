"""The access provisions a data migration seeds, seeded again: a transactional test's closing
flush deletes them, and later tests (the browser's, the demo's) expect to find them.

The migration is found by its name, not its number: numbers change when branches merge.
"""

import importlib

from django.apps import apps as installed_apps
from django.db.migrations.loader import MigrationLoader

PROVISIONS_MIGRATION = "_access_provisions"


def access_provisions_migration():
    """(app, name) of the migration that adds and seeds the access provisions."""
    [key] = [
        key
        for key in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
        if key[0] == "seminars" and key[1].endswith(PROVISIONS_MIGRATION)
    ]
    return key


def access_provisions_seed(apps=installed_apps):
    app, name = access_provisions_migration()
    module = importlib.import_module(f"{app}.migrations.{name}")
    module.seed_access_provisions(apps, None)
