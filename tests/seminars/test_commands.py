import datetime as dt
import io
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from mailer.models import Message

from seminars.models import Registration, Seminar
from seminars.services import registration_remind
from tests.clients.mail_readers import calendar_parts
from tests.factories import RoleFactory, SeminarFactory

pytestmark = pytest.mark.django_db

PERSONAL_FIELDS = [
    "name",
    "email",
    "organisation",
    "role",
    "role_declined",
    "access_requirements",
    "dietary_requirements",
    "do_not_photograph",
]
ERASED = {
    "name": "",
    "email": "",
    "organisation": "",
    "role": None,
    "role_declined": False,
    "access_requirements": "",
    "dietary_requirements": "",
    "do_not_photograph": False,
}


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def register(seminar, name, **fields):
    """A registration made directly, as for seminars no longer open to registration."""
    return Registration.objects.create(
        seminar=seminar, name=name, email=f"{name.split()[0].lower()}@example.org", **fields
    )


def reminded():
    return sorted(
        Registration.objects.filter(reminder_sent_at__isnull=False).values_list("name", flat=True)
    )


# send_reminders


def test_send_reminders_reminds_only_confirmed_registrants_of_public_seminars_starting_soon():
    soon = SeminarFactory(days_from_now=1)
    register(soon, "Ann Soon")
    register(soon, "Bea Waiting", status=Registration.Status.WAITLISTED)
    register(soon, "Cal Cancelled", status=Registration.Status.CANCELLED)
    register(soon, "Dee Purged", purged_at=timezone.now())
    register(SeminarFactory(days_from_now=5), "Eve Later")
    register(SeminarFactory(days_from_now=-1), "Fay Past")
    now = timezone.now()
    in_progress = SeminarFactory(
        starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=5)
    )
    register(in_progress, "Gus Started")
    register(SeminarFactory(days_from_now=1, status=Seminar.Status.CANCELLED), "Hal Cancelled")
    register(SeminarFactory(days_from_now=1, status=Seminar.Status.DRAFT), "Ida Draft")

    output = run("send_reminders")

    assert output == "Queued 1 reminder.\n"
    assert [email.to for email in mail.outbox] == [["ann@example.org"]]
    assert reminded() == ["Ann Soon"]


def test_send_reminders_days_option_widens_the_window():
    register(SeminarFactory(days_from_now=1), "Ann Soon")
    register(SeminarFactory(days_from_now=5), "Bea Later")
    register(SeminarFactory(days_from_now=9), "Cal Much Later")

    output = run("send_reminders", "--days", "6")

    assert output == "Queued 2 reminders.\n"
    assert sorted(email.to[0] for email in mail.outbox) == ["ann@example.org", "bea@example.org"]
    assert reminded() == ["Ann Soon", "Bea Later"]


def test_send_reminders_window_defaults_to_the_setting(settings):
    settings.REMINDER_DAYS_BEFORE = 6
    register(SeminarFactory(days_from_now=5), "Bea Later")

    assert run("send_reminders") == "Queued 1 reminder.\n"


def test_send_reminders_twice_sends_no_second_reminder():
    registration = register(SeminarFactory(days_from_now=1), "Ann Soon")
    run("send_reminders")
    registration.refresh_from_db()
    first_sent_at = registration.reminder_sent_at

    output = run("send_reminders")

    registration.refresh_from_db()
    assert output == "Queued 0 reminders.\n"
    assert len(mail.outbox) == 1
    assert first_sent_at is not None
    assert registration.reminder_sent_at == first_sent_at


def test_registration_remind_with_a_stale_copy_sends_nothing_more():
    # Two hosts that both loaded the registration before either claimed it.
    registration = register(SeminarFactory(days_from_now=1), "Ann Soon")
    first_host = Registration.objects.get(pk=registration.pk)
    second_host = Registration.objects.get(pk=registration.pk)
    first_at = timezone.now()

    assert registration_remind(registration=first_host, now=first_at) is True
    assert registration_remind(registration=second_host, now=first_at + dt.timedelta(1)) is False

    registration.refresh_from_db()
    assert registration.reminder_sent_at == first_at
    assert len(mail.outbox) == 1


def test_registration_remind_skips_a_registration_cancelled_since_it_was_loaded():
    registration = register(SeminarFactory(days_from_now=1), "Ann Soon")
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.CANCELLED)

    assert registration_remind(registration=registration, now=timezone.now()) is False
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True, available_apps=["seminars", "mailer"])
def test_registration_remind_on_two_connections_at_once_sends_one_reminder():
    registration = register(SeminarFactory(days_from_now=1), "Ann Soon")
    claimed_by_first = threading.Event()
    results = {}

    def first_host():
        try:
            with transaction.atomic():
                results["first"] = registration_remind(
                    registration=Registration.objects.get(pk=registration.pk),
                    now=timezone.now(),
                )
                claimed_by_first.set()
                # Hold the row lock while the second host tries to claim the same row.
                threading.Event().wait(0.5)
        finally:
            claimed_by_first.set()
            connection.close()

    def second_host():
        try:
            claimed_by_first.wait(5)
            results["second"] = registration_remind(
                registration=Registration.objects.get(pk=registration.pk), now=timezone.now()
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=first_host), threading.Thread(target=second_host)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert results == {"first": True, "second": False}
    assert len(mail.outbox) == 1


def test_reminder_email_names_the_seminar_and_carries_the_manage_link_and_calendar():
    seminar = SeminarFactory(days_from_now=1, title="Sharing power", slug="sharing-power")
    registration = register(seminar, "Ann Soon")

    run("send_reminders")

    (email,) = mail.outbox
    assert email.to == ["ann@example.org"]
    assert email.subject == "Reminder: Sharing power is coming up"
    assert f"{settings.SITE_URL}{registration.get_absolute_url()}" in email.body
    assert f"{settings.SITE_URL}/registrations/{registration.token}/" in email.body
    assert "Dear Ann Soon," in email.body
    [part] = calendar_parts(email)
    assert (part.get_filename(), part.get_content_type()) == ("sharing-power.ics", "text/calendar")
    assert "BEGIN:VEVENT" in part.get_content()


def test_send_reminders_queues_in_the_database_for_send_mail(mail_queue):
    seminar = SeminarFactory(days_from_now=1, title="Sharing power")
    register(seminar, "Ann Soon")
    register(seminar, "Bea Soon")

    assert run("send_reminders") == "Queued 2 reminders.\n"
    assert Message.objects.count() == 2
    assert mail.outbox == []

    call_command("send_mail", verbosity=0)

    assert sorted((email.to[0], email.subject) for email in mail.outbox) == [
        ("ann@example.org", "Reminder: Sharing power is coming up"),
        ("bea@example.org", "Reminder: Sharing power is coming up"),
    ]
    assert Message.objects.count() == 0


def test_send_reminders_refuses_negative_days():
    with pytest.raises(CommandError, match="--days cannot be negative."):
        run("send_reminders", "--days", "-1")


# purge_registrations


def snapshot(seminar):
    return list(
        Registration.objects.filter(seminar=seminar)
        .order_by("pk")
        .values(*PERSONAL_FIELDS, "token", "purged_at", "status", "attendance", "created_at")
    )


def status_counts():
    return {
        (slug, status): total
        for slug, status, total in Registration.objects.order_by()
        .values_list("seminar__slug", "status")
        .annotate(total=Count("pk"))
    }


@pytest.fixture
def long_ago():
    """A seminar that ended about 100 days ago, with three registrations."""
    seminar = SeminarFactory(days_from_now=-100, slug="long-ago")
    cancelled_at = seminar.starts_at - dt.timedelta(days=3)
    register(
        seminar,
        "Ann Able",
        organisation="Leeds Mind",
        role=RoleFactory(name="Researcher"),
        access_requirements="Step-free access, please.",
        dietary_requirements="Vegetarian",
        do_not_photograph=True,
        attendance=Registration.Attendance.ONLINE,
        reminder_sent_at=seminar.starts_at - dt.timedelta(days=2),
    )
    register(seminar, "Bea Bold", organisation="Hearing Voices Network", role_declined=True)
    register(
        seminar,
        "Cal Cope",
        access_requirements="Quiet room.",
        status=Registration.Status.CANCELLED,
        cancelled_at=cancelled_at,
    )
    return seminar


@pytest.fixture
def recent():
    """A seminar that ended about 10 days ago, with one registration."""
    seminar = SeminarFactory(days_from_now=-10, slug="recent")
    register(seminar, "Dee Dale", organisation="Leeds Mind", dietary_requirements="Vegan")
    return seminar


def test_purge_registrations_erases_personal_details_of_seminars_ended_long_ago(
    client, long_ago, recent
):
    before = snapshot(long_ago)
    old_tokens = [row["token"] for row in before]
    counts_before = status_counts()
    recent_before = snapshot(recent)
    cancelled_at_before = list(
        Registration.objects.filter(seminar=long_ago).order_by("pk").values_list("cancelled_at")
    )
    started = timezone.now()

    output = run("purge_registrations")

    assert output == "Purged 3 registrations.\n"
    after = snapshot(long_ago)
    assert [{field: row[field] for field in PERSONAL_FIELDS} for row in after] == [ERASED] * 3
    assert [(row["status"], row["attendance"], row["created_at"]) for row in after] == [
        (row["status"], row["attendance"], row["created_at"]) for row in before
    ]
    assert (
        list(
            Registration.objects.filter(seminar=long_ago).order_by("pk").values_list("cancelled_at")
        )
        == cancelled_at_before
    )
    (purged_at,) = {row["purged_at"] for row in after}
    assert started <= purged_at <= timezone.now()
    new_tokens = [row["token"] for row in after]
    assert len(set(new_tokens)) == 3
    assert set(new_tokens).isdisjoint(old_tokens)
    assert all(len(token) >= 40 for token in new_tokens)
    assert status_counts() == counts_before
    assert snapshot(recent) == recent_before

    for token in old_tokens + new_tokens:
        assert client.get(f"/registrations/{token}/").status_code == 404
    (recent_registration,) = recent_before
    assert client.get(f"/registrations/{recent_registration['token']}/").status_code == 200


def test_purge_registrations_keeps_counts_by_status(long_ago):
    run("purge_registrations")

    assert status_counts() == {("long-ago", "confirmed"): 2, ("long-ago", "cancelled"): 1}


def test_purge_registrations_second_run_purges_nothing(long_ago):
    run("purge_registrations")
    first = snapshot(long_ago)

    output = run("purge_registrations")

    assert output == "Purged 0 registrations.\n"
    assert snapshot(long_ago) == first


def test_purge_registrations_again_after_new_rows_does_not_collide_with_erased_ones(long_ago):
    run("purge_registrations")
    # Same seminar, another registration added later (say by an organiser): its erased
    # email "" must not clash with the three already erased.
    register(long_ago, "Eve Late")
    register(long_ago, "Fay Late")

    assert run("purge_registrations") == "Purged 2 registrations.\n"
    assert (
        list(Registration.objects.filter(seminar=long_ago).values_list("email", flat=True))
        == [""] * 5
    )


def test_purge_registrations_days_option_reaches_recent_seminars(long_ago, recent):
    assert run("purge_registrations", "--days", "5") == "Purged 4 registrations.\n"
    assert list(Registration.objects.filter(purged_at__isnull=True)) == []


def test_purge_registrations_dry_run_changes_nothing(long_ago, recent):
    before = snapshot(long_ago) + snapshot(recent)

    output = run("purge_registrations", "--dry-run")

    assert output == "Would purge 3 registrations (dry run: nothing changed).\n"
    assert snapshot(long_ago) + snapshot(recent) == before
