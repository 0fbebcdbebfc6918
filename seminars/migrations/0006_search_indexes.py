"""GIN indexes for site search, on PostgreSQL only (SQLite searches without them).

Each index expression must be exactly the weighted vector `seminars.search._vector()` builds
(same fields, weights, config and coalesce), or the planner cannot use it. It is copied here
rather than imported so that this migration does not change when the code does;
tests/seminars/test_search.py checks that the planner uses each index.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIG = "english"

SEARCH_INDEXES = [
    ("seminars", "seminar", "seminar_search", [("title", "A"), ("summary", "B"), ("description", "C")]),
    ("seminars", "talk", "talk_search", [("title", "A"), ("abstract", "C")]),
    ("seminars", "workshop", "workshop_search", [("title", "A"), ("abstract", "C")]),
    ("people", "person", "person_search", [("name", "A"), ("affiliation", "B"), ("bio", "C")]),
    ("seminars", "recap", "recap_search", [("title", "A"), ("summary", "B"), ("body", "C")]),
]  # fmt: skip


def _indexes(apps):
    for app_label, model_name, index_name, weighted_fields in SEARCH_INDEXES:
        vector = None
        for name, weight in weighted_fields:
            part = SearchVector(name, weight=weight, config=CONFIG)
            vector = part if vector is None else vector + part
        yield apps.get_model(app_label, model_name), GinIndex(vector, name=index_name)


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.add_index(model, index)


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_person_invited_at"),
        ("seminars", "0005_registration_token_digest"),
    ]

    operations = [
        migrations.RunPython(create_search_indexes, drop_search_indexes),
    ]
