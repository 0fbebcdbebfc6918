"""The migration that adds recording and photography wishes and the wellbeing fields, run as
`manage.py migrate` runs it, over rows an older version of the site stored.

Nobody had asked for anything before: every existing speaker, facilitator and registrant starts
with no wish recorded, and every seminar with no wellbeing text (the site writes none of its
own). Migrations commit, so the test is transactional (see test_email_migration.py for why
roles are seeded again).
"""

import datetime as dt
import importlib

import pytest
from django.apps import apps as installed_apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from people.models import Person
from seminars.models import Registration, Seminar, TalkSpeaker, WorkshopFacilitator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", autouse=True)
def _roles_seeded_again(django_db_blocker):
    yield
    seed_roles = importlib.import_module("people.migrations.0002_seed_roles").seed_roles
    with django_db_blocker.unblock():
        seed_roles(installed_apps, None)


def _before_recording_and_wellbeing():
    graph = MigrationExecutor(connection).loader.graph
    [node] = [
        key
        for key in graph.nodes
        if key[0] == "seminars" and key[1].endswith("_recording_and_wellbeing")
    ]
    [parent] = [n.key for n in graph.node_map[node].parents if n.key[0] == "seminars"]
    return parent


def test_existing_rows_start_with_no_wish_and_no_wellbeing_text():
    before = _before_recording_and_wellbeing()
    # Only the seminars app goes back: people are as they are today. The person is saved
    # before it does, as every save tells the page cache, which reads today's seminars.
    person = Person.objects.create(name="Ann", slug="ann")
    call_command("migrate", *before, verbosity=0)
    try:
        old = MigrationExecutor(connection).loader.project_state([before]).apps
        starts = timezone.now() + dt.timedelta(days=10)
        ends = starts + dt.timedelta(hours=6)
        series = old.get_model("seminars", "Series").objects.create(title="Old", slug="old")
        seminar = old.get_model("seminars", "Seminar").objects.create(
            series=series, number=1, title="Old", slug="old", starts_at=starts, ends_at=ends
        )
        talk = old.get_model("seminars", "Talk").objects.create(
            seminar=seminar, title="Talk", slug="talk", starts_at=starts, ends_at=ends
        )
        workshop = old.get_model("seminars", "Workshop").objects.create(
            seminar=seminar, title="Workshop", slug="workshop", starts_at=starts, ends_at=ends
        )
        old.get_model("seminars", "TalkSpeaker").objects.create(talk=talk, person_id=person.pk)
        old.get_model("seminars", "WorkshopFacilitator").objects.create(
            workshop=workshop, person_id=person.pk
        )
        old.get_model("seminars", "Registration").objects.create(
            seminar=seminar, name="Bea", email="bea@example.org", token="t" * 43, token_digest="d"
        )
    finally:
        call_command("migrate", verbosity=0)

    assert list(TalkSpeaker.objects.values_list("do_not_record", "do_not_photograph")) == [
        (False, False)
    ]
    assert list(WorkshopFacilitator.objects.values_list("do_not_record", "do_not_photograph")) == [
        (False, False)
    ]
    assert list(Registration.objects.values_list("name", "do_not_photograph")) == [("Bea", False)]
    wellbeing = [
        "content_notes",
        "what_to_expect",
        "wellbeing_contact_name",
        "wellbeing_contact_details",
        "support",
        "easy_read",
    ]
    assert list(Seminar.objects.values(*wellbeing)) == [dict.fromkeys(wellbeing, "")]
    assert Seminar.objects.get().has_wellbeing is False
