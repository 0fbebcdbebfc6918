"""Search indexes the database keeps in step itself, whatever writes the rows.

PostgreSQL: each searched table gets `search_document`, a stored generated tsvector (title A,
summary or affiliation B, the Markdown body C, and D the joined-up spelling of its hyphenated
words, so "coproduction" finds "co-production"), with a GIN index; they replace migration
0006's expression indexes. A generated column sees only its own row, so a seminar's theme
names are copied into `seminars_seminar.theme_names` by triggers on the seminar-theme links
and on theme names, and counted at weight B.

SQLite: an FTS5 table per searched table (`<table>_fts`, rowid = the item's id) with the
columns title, summary, body, themes and joined (the whole text with hyphens taken out, for
rows that have any), filled by triggers on the table, on the seminar-theme links and on theme
names: `bulk_create`, the admin, the shell and deletes all keep it in step.

Neither database's extra columns or tables are Django fields or models: Django never reads
them with the rows, nor writes them from a stale copy of a row. `seminars/search/` queries
them, and `manage.py rebuild_search_index` refills them.

The SQL is written out here rather than imported, so that this migration does not change when
the code does. Note for later migrations on PostgreSQL: a column a generated column reads
cannot change type (say a CharField's max_length) while `search_document` exists: drop it
first (`ALTER TABLE … DROP COLUMN search_document`) and add it back afterwards as below.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

# (table, title, summary, body): the columns searched, weights A, B and C on PostgreSQL.
SEARCHED = [
    ("seminars_seminar", "title", "summary", "description"),
    ("seminars_talk", "title", None, "abstract"),
    ("seminars_workshop", "title", None, "abstract"),
    ("people_person", "name", "affiliation", "bio"),
    ("seminars_recap", "title", "summary", "body"),
]
THEMED = "seminars_seminar"
HYPHENS = "-\u2010\u2011"  # hyphen-minus, hyphen, non-breaking hyphen


# PostgreSQL


def _pg_text(column):
    return f"coalesce({column}, '')" if column else "''"


def _pg_document(table, title, summary, body):
    themes = "theme_names" if table == THEMED else None
    everything = " || ' ' || ".join(_pg_text(column) for column in (title, summary, body, themes))
    # Words not touching a hyphen go; hyphens inside what is left go: "co-production" becomes
    # "coproduction" and nothing else is indexed twice.
    lone_word = rf"(?<![{HYPHENS}[:alnum:]_])[[:alnum:]_]+(?![{HYPHENS}[:alnum:]_])"
    inner_hyphen = rf"(?<=[[:alnum:]])[{HYPHENS}](?=[[:alnum:]])"
    joined = (
        f"regexp_replace(regexp_replace({everything}, '{lone_word}', '', 'g'), "
        f"'{inner_hyphen}', '', 'g')"
    )
    parts = [(_pg_text(title), "A"), (_pg_text(summary), "B")]
    if themes:
        parts.append((_pg_text(themes), "B"))
    parts += [(_pg_text(body), "C"), (joined, "D")]
    return " || ".join(
        f"setweight(to_tsvector('english'::regconfig, {text}), '{weight}')"
        for text, weight in parts
    )


_PG_REFRESH_THEME_NAMES = (
    "UPDATE seminars_seminar SET theme_names = seminars_seminar_theme_names(id)"
)

PG_THEME_NAMES = [
    """CREATE FUNCTION seminars_seminar_theme_names(seminar bigint) RETURNS text
    LANGUAGE sql VOLATILE AS $$
        SELECT coalesce(string_agg(theme.name, ' ; ' ORDER BY theme.name), '')
        FROM seminars_seminar_themes link JOIN seminars_theme theme ON theme.id = link.theme_id
        WHERE link.seminar_id = seminar
    $$""",
    f"""CREATE FUNCTION seminars_seminar_themes_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'DELETE' THEN
            {_PG_REFRESH_THEME_NAMES} WHERE id = NEW.seminar_id;
        END IF;
        IF TG_OP <> 'INSERT' THEN
            {_PG_REFRESH_THEME_NAMES} WHERE id = OLD.seminar_id;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER seminars_seminar_themes_search
    AFTER INSERT OR UPDATE OR DELETE ON seminars_seminar_themes
    FOR EACH ROW EXECUTE FUNCTION seminars_seminar_themes_changed()""",
    f"""CREATE FUNCTION seminars_theme_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {_PG_REFRESH_THEME_NAMES}
        WHERE id IN (SELECT seminar_id FROM seminars_seminar_themes WHERE theme_id = NEW.id);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER seminars_theme_search
    AFTER UPDATE OF name ON seminars_theme
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION seminars_theme_renamed()""",
]

PG_DROP_THEME_NAMES = [
    "DROP TRIGGER seminars_theme_search ON seminars_theme",
    "DROP FUNCTION seminars_theme_renamed()",
    "DROP TRIGGER seminars_seminar_themes_search ON seminars_seminar_themes",
    "DROP FUNCTION seminars_seminar_themes_changed()",
    "DROP FUNCTION seminars_seminar_theme_names(bigint)",
    "ALTER TABLE seminars_seminar DROP COLUMN theme_names",
]

# Migration 0006's expression indexes, to put back when going backwards.
OLD_INDEXES = [
    ("seminars", "seminar", "seminar_search", [("title", "A"), ("summary", "B"), ("description", "C")]),
    ("seminars", "talk", "talk_search", [("title", "A"), ("abstract", "C")]),
    ("seminars", "workshop", "workshop_search", [("title", "A"), ("abstract", "C")]),
    ("people", "person", "person_search", [("name", "A"), ("affiliation", "B"), ("bio", "C")]),
    ("seminars", "recap", "recap_search", [("title", "A"), ("summary", "B"), ("body", "C")]),
]  # fmt: skip


def _old_indexes(apps):
    for app_label, model_name, index_name, weighted_fields in OLD_INDEXES:
        vector = None
        for name, weight in weighted_fields:
            part = SearchVector(name, weight=weight, config="english")
            vector = part if vector is None else vector + part
        yield apps.get_model(app_label, model_name), GinIndex(vector, name=index_name)


def postgres_forwards(apps, schema_editor):
    for model, index in _old_indexes(apps):
        schema_editor.remove_index(model, index)
    schema_editor.execute(
        "ALTER TABLE seminars_seminar ADD COLUMN theme_names text NOT NULL DEFAULT ''"
    )
    for statement in PG_THEME_NAMES:
        schema_editor.execute(statement)
    schema_editor.execute(
        f"{_PG_REFRESH_THEME_NAMES} WHERE id IN (SELECT seminar_id FROM seminars_seminar_themes)"
    )
    for table, title, summary, body in SEARCHED:
        document = _pg_document(table, title, summary, body)
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_document tsvector "
            f"GENERATED ALWAYS AS ({document}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {table}_search_document ON {table} USING gin (search_document)"
        )


def postgres_backwards(apps, schema_editor):
    for table, *_columns in SEARCHED:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_document")
    for statement in PG_DROP_THEME_NAMES:
        schema_editor.execute(statement)
    for model, index in _old_indexes(apps):
        schema_editor.add_index(model, index)


# SQLite


def _sqlite_dehyphenated(text):
    """The text with hyphens taken out, or '' if it has none (most rows: nothing to add)."""
    has_hyphen = " OR ".join(f"instr({text}, '{hyphen}') > 0" for hyphen in HYPHENS)
    without = text
    for hyphen in HYPHENS:
        without = f"replace({without}, '{hyphen}', '')"
    return f"CASE WHEN {has_hyphen} THEN {without} ELSE '' END"


def _sqlite_refresh(table, title, summary, body, rows):
    """Statements that write afresh the index rows of the items whose ids `rows` selects."""
    themes = (
        "(SELECT coalesce(group_concat(theme.name, ' ; '), '') FROM seminars_seminar_themes link"
        " JOIN seminars_theme theme ON theme.id = link.theme_id WHERE link.seminar_id = item.id)"
        if table == THEMED
        else "''"
    )
    summary = f"item.{summary}" if summary else "''"
    everything = "title || ' ' || summary || ' ' || body || ' ' || themes"
    return [
        f"DELETE FROM {table}_fts WHERE rowid IN ({rows})",
        f"INSERT INTO {table}_fts (rowid, title, summary, body, themes, joined) "
        f"SELECT id, title, summary, body, themes, {_sqlite_dehyphenated(everything)} "
        f"FROM (SELECT item.id AS id, item.{title} AS title, {summary} AS summary, "
        f"item.{body} AS body, {themes} AS themes FROM {table} item WHERE item.id IN ({rows}))",
    ]


def _trigger(name, event, body):
    statements = "".join(f"\n    {statement};" for statement in body)
    return f"CREATE TRIGGER {name} {event} BEGIN{statements}\nEND"


def _sqlite_statements(table, title, summary, body):
    def refresh(rows):
        return _sqlite_refresh(table, title, summary, body, rows)

    yield (
        f"CREATE VIRTUAL TABLE {table}_fts USING fts5("
        "title, summary, body, themes, joined, tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    yield _trigger(f"{table}_fts_insert", f"AFTER INSERT ON {table}", refresh("NEW.id"))
    yield _trigger(
        f"{table}_fts_update",
        f"AFTER UPDATE ON {table}",
        [f"DELETE FROM {table}_fts WHERE rowid = OLD.id", *refresh("NEW.id")],
    )
    yield _trigger(
        f"{table}_fts_delete",
        f"AFTER DELETE ON {table}",
        [f"DELETE FROM {table}_fts WHERE rowid = OLD.id"],
    )
    if table != THEMED:
        return
    links = "seminars_seminar_themes"
    yield _trigger(f"{links}_fts_insert", f"AFTER INSERT ON {links}", refresh("NEW.seminar_id"))
    yield _trigger(f"{links}_fts_delete", f"AFTER DELETE ON {links}", refresh("OLD.seminar_id"))
    yield _trigger(
        f"{links}_fts_update",
        f"AFTER UPDATE ON {links}",
        refresh("OLD.seminar_id, NEW.seminar_id"),
    )
    yield _trigger(
        "seminars_theme_fts_rename",
        "AFTER UPDATE OF name ON seminars_theme",
        refresh(f"SELECT seminar_id FROM {links} WHERE theme_id = NEW.id"),
    )


SQLITE_TRIGGERS = [
    *(f"{table}_fts_{event}" for table, *_ in SEARCHED for event in ["insert", "update", "delete"]),
    "seminars_seminar_themes_fts_insert",
    "seminars_seminar_themes_fts_delete",
    "seminars_seminar_themes_fts_update",
    "seminars_theme_fts_rename",
]


def sqlite_forwards(apps, schema_editor):
    for table, title, summary, body in SEARCHED:
        for statement in _sqlite_statements(table, title, summary, body):
            schema_editor.execute(statement)
        for statement in _sqlite_refresh(table, title, summary, body, f"SELECT id FROM {table}"):
            schema_editor.execute(statement)


def sqlite_backwards(apps, schema_editor):
    for name in SQLITE_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER {name}")
    for table, *_columns in SEARCHED:
        schema_editor.execute(f"DROP TABLE {table}_fts")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        postgres_forwards(apps, schema_editor)
    elif vendor == "sqlite":
        sqlite_forwards(apps, schema_editor)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        postgres_backwards(apps, schema_editor)
    elif vendor == "sqlite":
        sqlite_backwards(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0008_involvement_payments"),
        ("seminars", "0021_feedback"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
