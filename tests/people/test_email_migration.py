"""The migrations that store emails in canonical form, run as `manage.py migrate` runs them.

Each test migrates back to just before them, stores addresses as older versions of the site
could, migrates forward, and leaves the schema as it found it. Migrations commit, so the tests
are transactional. (Limiting their closing flush with `available_apps` would hide the people
migrations from `migrate`.)
"""

import contextlib
import importlib

import pytest
from django.apps import apps as installed_apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from tests.factories import SeminarFactory

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = ("people", "_canonical_emails")
SEMINARS = ("seminars", "_canonical_registration_emails")


@pytest.fixture(scope="module", autouse=True)
def _roles_seeded_again(django_db_blocker):
    """The flush that ends each transactional test also deletes the roles a data migration
    seeded; later tests expect them, so they are seeded again once this module is done."""
    yield
    seed_roles = importlib.import_module("people.migrations.0002_seed_roles").seed_roles
    with django_db_blocker.unblock():
        seed_roles(installed_apps, None)


def _graph():
    return MigrationExecutor(connection).loader.graph


def _node(app, suffix):
    [node] = [key for key in _graph().nodes if key[0] == app and key[1].endswith(suffix)]
    return node


def _parent(node):
    """The migration before `node` in its own app (found, not named: numbers change)."""
    [parent] = [n.key for n in _graph().node_map[node].parents if n.key[0] == node[0]]
    return parent


@contextlib.contextmanager
def _before_canonical_emails():
    """Migrate back to before the change; yield the models of then; migrate forward after."""
    people_before = _parent(_node(*PEOPLE))
    seminars_before = _parent(_node(*SEMINARS))
    call_command("migrate", *people_before, verbosity=0)
    try:
        loader = MigrationExecutor(connection).loader
        yield loader.project_state([people_before, seminars_before]).apps
    finally:
        call_command("migrate", verbosity=0)


def _applied(app, suffix):
    return any(
        name.endswith(suffix)
        for name in MigrationRecorder.Migration.objects.filter(app=app).values_list(
            "name", flat=True
        )
    )


def _registration(apps, seminar, email, n, status="confirmed"):
    return apps.get_model("seminars", "Registration").objects.create(
        seminar_id=seminar.pk,
        name=f"Registrant {n}",
        email=email,
        status=status,
        token=f"token-{n}",
        token_digest=f"digest-{n}",
        created_at=timezone.now(),
    )


def test_migration_stores_every_email_in_canonical_form_and_keeps_other_mailboxes():
    seminar = SeminarFactory()
    with _before_canonical_emails() as apps:
        User = apps.get_model("people", "User")
        Person = apps.get_model("people", "Person")
        for email in ["ＡＮＮ@example.org", "deſk@mindsight.org", "desk@mındsight.org"]:
            User.objects.create(email=email, password="")
        for n, email in enumerate(["Bo@Example.org", "", "des\u212a@mindsight.org"]):
            Person.objects.create(name=f"Person {n}", slug=f"person-{n}", email=email)
        _registration(apps, seminar, "ＣＡＬ@example.org", 1)
        _registration(apps, seminar, "cal@example.org", 2, status="cancelled")
        _registration(apps, seminar, "dee@example.org", 3)

    from people.models import Person, User
    from seminars.models import Registration

    assert sorted(User.objects.values_list("email", flat=True)) == [
        "ann@example.org",
        "desk@mindsight.org",
        "desk@mındsight.org",
    ]
    assert list(Person.objects.order_by("slug").values_list("email", flat=True)) == [
        "bo@example.org",
        "",
        "desk@mindsight.org",
    ]
    assert list(Registration.objects.order_by("pk").values_list("email", flat=True)) == [
        "cal@example.org",
        "cal@example.org",
        "dee@example.org",
    ]


def test_migration_refuses_two_logins_that_are_one_address_until_one_is_changed():
    with _before_canonical_emails() as apps:
        User = apps.get_model("people", "User")
        ann = User.objects.create(email="ann@example.org", password="")
        look_alike = User.objects.create(email="ａｎｎ@example.org", password="")

        with pytest.raises(CommandError) as refused:
            call_command("migrate", verbosity=0)
        stored = sorted(User.objects.values_list("email", flat=True))
        applied = _applied(*PEOPLE)

        User.objects.filter(pk=look_alike.pk).update(email="ann.other@example.org")
        call_command("migrate", verbosity=0)

    assert str(refused.value) == (
        "Some email addresses cannot be stored in canonical form. Logins "
        f"{ann.pk}, {look_alike.pk} are spellings of one address. Change or delete them in "
        "the admin, then migrate again."
    )
    assert "example.org" not in str(refused.value)  # ids, never addresses
    assert (stored, applied) == (["ann@example.org", "ａｎｎ@example.org"], False)
    assert _applied(*PEOPLE) is True


def test_migration_refuses_two_active_registrations_that_are_one_address_until_one_is_cancelled():
    seminar = SeminarFactory()
    with _before_canonical_emails() as apps:
        first = _registration(apps, seminar, "cal@example.org", 1)
        second = _registration(apps, seminar, "ＣＡＬ@example.org", 2)

        with pytest.raises(CommandError) as refused:
            call_command("migrate", verbosity=0)
        applied = _applied(*SEMINARS)

        type(second).objects.filter(pk=second.pk).update(status="cancelled")
        call_command("migrate", verbosity=0)

    from seminars.models import Registration

    assert str(refused.value) == (
        "Some registrations' email addresses cannot be stored in canonical form. "
        f"Registrations {first.pk}, {second.pk} are active for one seminar and are spellings "
        "of one address. Cancel all but one of each group, or change the addresses, in the "
        "admin, then migrate again."
    )
    assert applied is False
    assert list(Registration.objects.order_by("pk").values_list("email", "status")) == [
        ("cal@example.org", "confirmed"),
        ("cal@example.org", "cancelled"),
    ]
