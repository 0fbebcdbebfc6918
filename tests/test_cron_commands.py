"""Every management command run as cron runs it: a process of its own, on committed data.

Tests inside a test transaction once hid that `purge_registrations` could not run on
PostgreSQL at all; these run `manage.py` in a subprocess on the test database (SQLite's
file or PostgreSQL's test database), on both databases. The email a command queues is
delivered by `send_mail` in tests/test_mail_delivery.py.
"""

import importlib

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from mailer.models import Message

from people.models import Person, User
from seminars.feedback.models import FeedbackSettings
from seminars.management.commands.seed_scale import SLUG_PREFIX, scaled_counts
from seminars.models import (
    Recap,
    Registration,
    Seminar,
    Talk,
    TalkSpeaker,
    Workshop,
    registration_token_fields,
)
from tests.factories import SeminarFactory
from tests.processes import manage, manage_popen

pytestmark = pytest.mark.django_db(transaction=True)

NEEDS = {"access_requirements": "Step-free access, please.", "dietary_requirements": "Vegan"}


def _registrations(seminar, count, prefix, **fields):
    Registration.objects.bulk_create(
        Registration(
            seminar=seminar,
            name=f"{prefix} Person {number}",
            email=f"{prefix.lower()}{number}@example.org",
            **NEEDS,
            **registration_token_fields(),
            **fields,
        )
        for number in range(count)
    )


def _personal_details(seminar):
    return list(
        Registration.objects.filter(seminar=seminar)
        .order_by("pk")
        .values_list("name", "email", "access_requirements", "dietary_requirements", "token")
    )


def test_purge_registrations_in_its_own_process_erases_old_needs_and_dry_run_tells_the_truth():
    old = SeminarFactory(days_from_now=-120, slug="long-ago")
    recent = SeminarFactory(days_from_now=-10, slug="recent")
    _registrations(old, 300, "Old")
    _registrations(recent, 4, "Recent")
    old_before, recent_before = _personal_details(old), _personal_details(recent)

    dry_run = manage("purge_registrations", "--dry-run")

    assert dry_run.stdout == "Would purge 300 registrations (dry run: nothing changed).\n"
    assert (_personal_details(old), _personal_details(recent)) == (old_before, recent_before)

    purge = manage("purge_registrations")

    assert purge.stdout == "Purged 300 registrations.\n"
    erased = Registration.objects.filter(seminar=old)
    assert list(
        erased.values_list("name", "email", "access_requirements", "dietary_requirements")
        .distinct()
        .order_by()
    ) == [("", "", "", "")]
    assert erased.filter(purged_at__isnull=False).count() == 300
    assert {row[4] for row in _personal_details(old)}.isdisjoint(row[4] for row in old_before)
    assert _personal_details(recent) == recent_before
    assert manage("purge_registrations").stdout == "Purged 0 registrations.\n"


def test_send_reminders_in_its_own_process_queues_one_reminder_each_once():
    soon = SeminarFactory(days_from_now=1, title="Sharing power")
    _registrations(soon, 2, "Soon")
    _registrations(soon, 1, "Waiting", status=Registration.Status.WAITLISTED)
    _registrations(SeminarFactory(days_from_now=9), 1, "Later")

    first = manage("send_reminders")
    second = manage("send_reminders")

    assert (first.stdout, second.stdout) == ("Queued 2 reminders.\n", "Queued 0 reminders.\n")
    assert sorted((m.to_addresses[0], m.subject) for m in Message.objects.all()) == [
        ("soon0@example.org", "Reminder: Sharing power is coming up"),
        ("soon1@example.org", "Reminder: Sharing power is coming up"),
    ]
    assert sorted(
        Registration.objects.filter(reminder_sent_at__isnull=False).values_list("email", flat=True)
    ) == ["soon0@example.org", "soon1@example.org"]


def test_send_feedback_requests_in_its_own_process_asks_each_attendee_once():
    ended = SeminarFactory(days_from_now=-1, title="Sharing power")
    _registrations(ended, 2, "Came")
    _registrations(ended, 1, "Left", status=Registration.Status.CANCELLED)
    _registrations(ended, 1, "Waiting", status=Registration.Status.WAITLISTED)
    _registrations(SeminarFactory(days_from_now=1), 1, "Soon")
    called_off = SeminarFactory(days_from_now=-2, status=Seminar.Status.CANCELLED)
    _registrations(called_off, 1, "Off")

    first = manage("send_feedback_requests")
    second = manage("send_feedback_requests")

    assert (first.stdout, second.stdout) == (
        "Queued 2 feedback requests.\n",
        "Queued 0 feedback requests.\n",
    )
    assert sorted((m.to_addresses[0], m.subject) for m in Message.objects.all()) == [
        ("came0@example.org", "How was Sharing power? Tell the organisers"),
        ("came1@example.org", "How was Sharing power? Tell the organisers"),
    ]
    tokens = {r.email: r.token for r in Registration.objects.filter(seminar=ended)}
    assert [
        f"/registrations/{tokens[m.to_addresses[0]]}/feedback/" in m.email.body
        for m in Message.objects.all()
    ] == [True, True]


def test_send_feedback_requests_run_twice_at_once_asks_each_attendee_once():
    ended = SeminarFactory(days_from_now=-1, title="Sharing power")
    _registrations(ended, 30, "Came")

    runs = [manage_popen("send_feedback_requests") for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]

    assert [run.returncode for run in runs] == [0, 0], outputs
    queued = sorted(int(stdout.split()[1]) for stdout, _stderr in outputs)
    assert sum(queued) == 30
    assert sorted(m.to_addresses[0] for m in Message.objects.all()) == sorted(
        f"came{number}@example.org" for number in range(30)
    )


def test_backup_and_restore_in_their_own_processes_bring_back_exactly_what_was_saved(tmp_path):
    kept = SeminarFactory(title="Kept by the backup")
    path = tmp_path / "site.backup"

    backup = manage("backup", "--output", str(path))
    Seminar.objects.all().delete()
    SeminarFactory(title="Made after the backup")
    restore = manage("restore", str(path), "--noinput")

    assert backup.stdout == f"Backed up the database to {path}.\n"
    assert restore.stdout == f"Restored the database from {path}.\n"
    assert list(Seminar.objects.values_list("pk", "title")) == [(kept.pk, "Kept by the backup")]


def _site_snapshot():
    return {
        "seminars": sorted(Seminar.objects.values_list("slug", "title", "status")),
        "talks": Talk.objects.count(),
        "workshops": Workshop.objects.count(),
        "people": sorted(Person.objects.values_list("slug", flat=True)),
        "recaps": Recap.objects.count(),
    }


def test_load_demo_in_its_own_process_loads_once_and_again_changes_nothing(tmp_path):
    # The roles migrate seeds, which the flush after a transactional test removed.
    importlib.import_module("people.migrations.0002_seed_roles").seed_roles(apps, None)
    # The demo's slides (DEBUG) go to a media folder of the test's own.
    first = manage("load_demo", DJANGO_MEDIA_ROOT=str(tmp_path))
    loaded = _site_snapshot()
    second = manage("load_demo", DJANGO_MEDIA_ROOT=str(tmp_path))

    assert first.stdout.startswith("Loaded the series ")
    assert second.stdout == first.stdout
    assert _site_snapshot() == loaded
    assert f"{len(loaded['seminars'])} seminars, {loaded['talks']} talks, " in first.stdout
    assert loaded["recaps"] > 0
    assert len(list(tmp_path.rglob("*.pdf"))) == 1


def test_load_demo_run_again_keeps_organisers_edits_logins_and_sessions():
    """`make run` runs load_demo each time: it creates what is missing, changes nothing."""
    importlib.import_module("people.migrations.0002_seed_roles").seed_roles(apps, None)
    manage("load_demo")
    seminar = Seminar.objects.get(slug="seminar-2-peer-support-and-power")
    seminar.title = "Peer support and power, retitled by an organiser"
    seminar.save()
    seminar.breaks.get(title="Coffee").delete()
    # The demo's speaker who asked not to be recorded changed her mind; a second speaker
    # joined her talk, asking nothing.
    response = seminar.talks.get(slug="a-carers-response")
    carys = TalkSpeaker.objects.get(talk=response, person__slug="carys-placeholder")
    carys.do_not_record = False
    carys.save()
    TalkSpeaker.objects.create(
        talk=response, person=Person.objects.get(slug="ada-example"), position=1
    )
    person = Person.objects.get(slug="bilal-sample")
    person.bio = "Rewritten by the person themselves."
    person.save()
    question = FeedbackSettings.objects.get()
    question.question = "What did the organisers get wrong?"
    question.save()
    organiser = User.objects.get(email="organiser@example.org")
    organiser.set_password("a password the organiser chose")
    organiser.save()
    session = SessionStore()
    session["_auth_user_id"] = str(organiser.pk)
    session.create()
    loaded = _site_snapshot()

    manage("load_demo")

    seminar.refresh_from_db()
    assert seminar.title == "Peer support and power, retitled by an organiser"
    assert list(
        response.speaker_links.order_by("position").values_list("person__slug", "do_not_record")
    ) == [("carys-placeholder", False), ("ada-example", False)]
    assert Person.objects.get(slug="bilal-sample").bio == "Rewritten by the person themselves."
    assert list(FeedbackSettings.objects.values_list("question", flat=True)) == [
        "What did the organisers get wrong?"
    ]
    assert _site_snapshot() == loaded
    # What is missing is made again, on the seminar's own day.
    coffee = seminar.breaks.get(title="Coffee")
    assert (
        timezone.localtime(coffee.starts_at).date() == timezone.localtime(seminar.starts_at).date()
    )
    assert User.objects.get(pk=organiser.pk).check_password("a password the organiser chose")
    assert SessionStore().exists(session.session_key)


def test_seed_scale_in_its_own_process_makes_its_counts_and_replace_keeps_other_data():
    SeminarFactory(slug="ours", title="Ours")

    first = manage("seed_scale", "--scale", "0.005")
    manage("seed_scale", "--scale", "0.005", "--replace")

    counts = scaled_counts(0.005)
    seeded = Seminar.objects.filter(slug__startswith=SLUG_PREFIX)
    assert first.stdout.startswith("Seeded ")
    assert seeded.count() == counts["seminars"]
    assert Registration.objects.filter(seminar__in=seeded).count() == counts["registrations"]
    assert Talk.objects.filter(seminar__in=seeded).count() == counts["talks"]
    assert Workshop.objects.filter(seminar__in=seeded).count() == counts["workshops"]
    assert list(Seminar.objects.exclude(slug__startswith=SLUG_PREFIX).values_list("title")) == [
        ("Ours",)
    ]
