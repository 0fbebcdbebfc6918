"""The migration that starts structured access, run as `manage.py migrate` runs it: it seeds
the vocabulary; registrations made before it bring nobody, and those that asked for
something in words are new requests for the organisers (cancelled ones are not).

Migrations commit, so the test is transactional; the roles and provisions its closing flush
deletes are seeded again once the module is done (see test_email_migration.py).
"""

import datetime as dt
import importlib

import pytest
from django.apps import apps as installed_apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from seminars.access.models import AccessProvision
from seminars.models import Registration
from tests.vocabularies import access_provisions_migration, access_provisions_seed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module", autouse=True)
def _vocabularies_seeded_again(django_db_blocker):
    yield
    seed_roles = importlib.import_module("people.migrations.0002_seed_roles").seed_roles
    with django_db_blocker.unblock():
        seed_roles(installed_apps, None)
        access_provisions_seed()


def _before(node):
    graph = MigrationExecutor(connection).loader.graph
    [parent] = [n.key for n in graph.node_map[node].parents if n.key[0] == node[0]]
    return parent


def test_migration_seeds_the_vocabulary_and_asks_nothing_of_earlier_registrations():
    before = _before(access_provisions_migration())
    call_command("migrate", *before, verbosity=0)
    try:
        old_apps = MigrationExecutor(connection).loader.project_state([before]).apps
        OldSeminar = old_apps.get_model("seminars", "Seminar")
        OldSeries = old_apps.get_model("seminars", "Series")
        seminar = OldSeminar.objects.create(
            series=OldSeries.objects.create(title="Series", slug="series"),
            number=1,
            title="Earlier",
            slug="earlier",
            starts_at=timezone.now(),
            ends_at=timezone.now() + dt.timedelta(hours=2),
        )
        OldRegistration = old_apps.get_model("seminars", "Registration")
        for name, requirements, status in [
            ("Ann", "A quiet room", "confirmed"),
            ("Bea", "", "confirmed"),
            ("Cal", "Step-free access", "cancelled"),
        ]:
            OldRegistration.objects.create(
                seminar=seminar,
                name=name,
                email=f"{name.lower()}@example.org",
                access_requirements=requirements,
                status=status,
                token=name,
                token_digest=name,
            )
    finally:
        call_command("migrate", verbosity=0)

    assert list(AccessProvision.objects.values_list("name", "position")) == [
        ("Step-free access", 1),
        ("Hearing loop", 2),
        ("BSL interpretation", 3),
        ("Live captions", 4),
        ("Quiet room", 5),
        ("Accessible toilets", 6),
        ("Regular breaks", 7),
        ("Relaxed format", 8),
        ("Captions online", 9),
    ]
    assert {
        registration.name: (
            list(registration.access_needs.all()),
            registration.access_request_status,
            registration.with_companion,
        )
        for registration in Registration.objects.all()
    } == {"Ann": ([], "new", False), "Bea": ([], "", False), "Cal": ([], "", False)}
