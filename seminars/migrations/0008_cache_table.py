"""The database cache's table (coproseries/cache.py), made by `migrate` like every other table.

It is the shared cache when REDIS_URL is unset, and stands in for Redis while Redis is away.
Django's `createcachetable` builds it; running that again is harmless.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

from coproseries.cache import CACHE_TABLE


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("seminars", "0007_theme")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]
