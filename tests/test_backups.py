"""`make backup` and `make restore`: a real round trip on whichever database the suite runs."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from seminars.models import Seminar
from tests.factories import SeminarFactory, TalkFactory


@pytest.mark.django_db(transaction=True)
def test_restore_brings_back_exactly_what_the_backup_held(tmp_path):
    kept = SeminarFactory(title="Kept by the backup")
    TalkFactory(seminar=kept, title="A talk worth keeping")
    kept_pk = kept.pk
    path = tmp_path / "backups" / "site.backup"

    call_command("backup", output=str(path))
    kept.delete()
    SeminarFactory(title="Made after the backup")
    call_command("restore", str(path), interactive=False)

    restored = Seminar.objects.get()
    assert (restored.pk, restored.title) == (kept_pk, "Kept by the backup")
    assert [talk.title for talk in restored.talks.all()] == ["A talk worth keeping"]
    # The restored database takes new rows as before: its sequences came back too.
    assert SeminarFactory(title="After the restore").pk > kept_pk


@pytest.mark.django_db(transaction=True)
def test_backup_writes_a_file_named_for_the_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    call_command("backup")

    [written] = (tmp_path / "backups").iterdir()
    suffix = ".dump" if connection.vendor == "postgresql" else ".sqlite3"
    assert written.name.startswith("coproseries-") and written.suffix == suffix
    assert written.stat().st_size > 0


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_missing_file_and_keeps_the_database(tmp_path):
    SeminarFactory(title="Still here")

    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.dump"), interactive=False)

    assert list(Seminar.objects.values_list("title", flat=True)) == ["Still here"]
