"""The database cache's table, and single-line fields that refuse line breaks.

The cache table (coproseries/cache.py) is made by `migrate` like every other table: it is
the shared cache when REDIS_URL is unset, and stands in for Redis while Redis is away.
Django's `createcachetable` builds it; running that again is harmless. The validators
(coproseries/text.py) change no column.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations, models

import coproseries.text
from coproseries.cache import CACHE_TABLE


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("seminars", "0011_waitlist_modes_workshop_choice")]

    operations = [
        migrations.RunPython(create_cache_table, drop_cache_table, elidable=False),
        migrations.AlterField(
            model_name="recap",
            name="summary",
            field=models.CharField(
                blank=True, max_length=500, validators=[coproseries.text.single_line]
            ),
        ),
        migrations.AlterField(
            model_name="recap",
            name="title",
            field=models.CharField(max_length=300, validators=[coproseries.text.single_line]),
        ),
        migrations.AlterField(
            model_name="registration",
            name="name",
            field=models.CharField(max_length=200, validators=[coproseries.text.single_line]),
        ),
        migrations.AlterField(
            model_name="registration",
            name="organisation",
            field=models.CharField(
                blank=True, max_length=200, validators=[coproseries.text.single_line]
            ),
        ),
        migrations.AlterField(
            model_name="seminar",
            name="summary",
            field=models.CharField(
                blank=True, max_length=500, validators=[coproseries.text.single_line]
            ),
        ),
        migrations.AlterField(
            model_name="seminar",
            name="title",
            field=models.CharField(max_length=200, validators=[coproseries.text.single_line]),
        ),
        migrations.AlterField(
            model_name="series",
            name="funder",
            field=models.CharField(
                blank=True, max_length=200, validators=[coproseries.text.single_line]
            ),
        ),
        migrations.AlterField(
            model_name="series",
            name="strapline",
            field=models.CharField(
                blank=True, max_length=300, validators=[coproseries.text.single_line]
            ),
        ),
        migrations.AlterField(
            model_name="series",
            name="title",
            field=models.CharField(max_length=200, validators=[coproseries.text.single_line]),
        ),
        migrations.AlterField(
            model_name="talk",
            name="room",
            field=models.CharField(
                blank=True, max_length=100, validators=[coproseries.text.single_line]
            ),
        ),
        migrations.AlterField(
            model_name="talk",
            name="title",
            field=models.CharField(max_length=300, validators=[coproseries.text.single_line]),
        ),
        migrations.AlterField(
            model_name="theme",
            name="name",
            field=models.CharField(
                max_length=100, unique=True, validators=[coproseries.text.single_line]
            ),
        ),
        migrations.AlterField(
            model_name="venue",
            name="city",
            field=models.CharField(
                blank=True, max_length=100, validators=[coproseries.text.single_line]
            ),
        ),
        migrations.AlterField(
            model_name="venue",
            name="name",
            field=models.CharField(max_length=200, validators=[coproseries.text.single_line]),
        ),
        migrations.AlterField(
            model_name="venue",
            name="postcode",
            field=models.CharField(
                blank=True, max_length=20, validators=[coproseries.text.single_line]
            ),
        ),
        migrations.AlterField(
            model_name="workshop",
            name="room",
            field=models.CharField(
                blank=True, max_length=100, validators=[coproseries.text.single_line]
            ),
        ),
        migrations.AlterField(
            model_name="workshop",
            name="title",
            field=models.CharField(max_length=300, validators=[coproseries.text.single_line]),
        ),
    ]
