"""Back up the database to one file, and restore it: pg_dump and pg_restore on PostgreSQL,
SQLite's online backup on SQLite. Both work while the site is running."""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    pass


def _database(alias):
    return connections[alias].settings_dict, connections[alias].vendor


def _postgres_command(program, settings_dict):
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed (Debian: postgresql-client).")
    command = [program, "--no-owner", "--dbname", settings_dict["NAME"]]
    for option, key in [("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")]:
        if settings_dict.get(key):
            command += [option, str(settings_dict[key])]
    environment = {**os.environ}
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = settings_dict["PASSWORD"]
    return command, environment


def _run(command, environment):
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(result.stderr.strip() or f"{command[0]} failed")


def _sqlite_copy(source, target):
    """SQLite's online backup: a consistent copy even while the site writes."""
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def backup_file_suffix(alias="default"):
    return ".dump" if _database(alias)[1] == "postgresql" else ".sqlite3"


def database_backup(*, path, alias="default"):
    """Write a consistent copy of the whole database to `path`."""
    settings_dict, vendor = _database(alias)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if vendor == "postgresql":
        command, environment = _postgres_command("pg_dump", settings_dict)
        _run([*command, "--format", "custom", "--file", str(path)], environment)
    elif vendor == "sqlite":
        _sqlite_copy(settings_dict["NAME"], path)
    else:
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    return path


def database_restore(*, path, alias="default"):
    """Replace the whole database with the backup at `path`."""
    settings_dict, vendor = _database(alias)
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    connections[alias].close()
    if vendor == "postgresql":
        command, environment = _postgres_command("pg_restore", settings_dict)
        _run([*command, "--clean", "--if-exists", "--single-transaction", str(path)], environment)
    elif vendor == "sqlite":
        _sqlite_copy(path, settings_dict["NAME"])
    else:
        raise BackupError(f"Restoring {vendor} databases is not supported.")
