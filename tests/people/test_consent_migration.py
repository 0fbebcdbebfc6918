"""The migration that starts consent tracking, run as `manage.py migrate` runs it.

People an organiser had already made public keep that choice, recorded as predating
tracking; people who were hidden stay hidden with nothing recorded. Migrations commit, so the
test is transactional (see test_email_migration.py for why roles are seeded again).
"""

import importlib

import pytest
from django.apps import apps as installed_apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from people.models import CONSENT_NOTE_MIGRATION, Person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", autouse=True)
def _roles_seeded_again(django_db_blocker):
    yield
    seed_roles = importlib.import_module("people.migrations.0002_seed_roles").seed_roles
    with django_db_blocker.unblock():
        seed_roles(installed_apps, None)


def _before_consent_tracking():
    graph = MigrationExecutor(connection).loader.graph
    [node] = [
        k for k in graph.nodes if k[0] == "people" and k[1].endswith("_consent_before_disclosure")
    ]
    [parent] = [n.key for n in graph.node_map[node].parents if n.key[0] == "people"]
    return parent


def test_existing_choices_are_kept_and_recorded_as_predating_consent_tracking():
    before = _before_consent_tracking()
    call_command("migrate", *before, verbosity=0)
    try:
        OldPerson = (
            MigrationExecutor(connection)
            .loader.project_state([before])
            .apps.get_model("people", "Person")
        )
        for slug, show_roles, is_listed in [
            ("shown", True, True),
            ("roles-hidden", False, True),
            ("unlisted", True, False),
            ("hidden", False, False),
        ]:
            OldPerson.objects.create(
                name=slug, slug=slug, show_roles=show_roles, is_listed=is_listed
            )
    finally:
        call_command("migrate", verbosity=0)

    today = timezone.localdate()
    recorded = (today, CONSENT_NOTE_MIGRATION)
    nothing = (None, "")
    rows = {
        person.slug: (
            person.show_roles,
            (person.roles_consent_at, person.roles_consent_note),
            person.is_listed,
            (person.listing_consent_at, person.listing_consent_note),
        )
        for person in Person.objects.all()
    }
    assert rows == {
        "shown": (True, recorded, True, recorded),
        "roles-hidden": (False, nothing, True, recorded),
        "unlisted": (True, recorded, False, nothing),
        "hidden": (False, nothing, False, nothing),
    }
    assert Person.objects.create(name="New", slug="new").is_listed is False
