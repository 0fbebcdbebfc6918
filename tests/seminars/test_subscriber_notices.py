"""`send_subscriber_notices`, as cron runs it: one email per subscriber when a seminar is
published and one when its registration opens, each once, with RFC 8058 unsubscribe headers;
unconfirmed subscriptions deleted after a week."""

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from mailer.models import Message

from seminars.models import Seminar
from seminars.subscriptions.models import SeminarNotice, Subscriber
from seminars.subscriptions.services import seminar_notice_send, subscriber_notices_send
from tests.factories import SeminarFactory

ROOT = Path(__file__).resolve().parents[2]
SITE = "http://127.0.0.1:8000"
CRON = pytest.mark.django_db(transaction=True, available_apps=["seminars", "mailer"])


def database_url():
    """The test database, for a command run in its own process as cron would."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{credentials}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def cron(command):
    environment = {**os.environ, "DATABASE_URL": database_url()}
    environment.pop("DJANGO_SITE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", command],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def queued():
    """(to, subject) of every queued message, in the order queued."""
    return [
        (message.email.to[0], message.email.subject) for message in Message.objects.order_by("id")
    ]


def subscriber(email, *, confirmed=True, days_ago=0):
    return Subscriber.objects.create(
        email=email,
        created_at=timezone.now() - dt.timedelta(days=days_ago),
        confirmed_at=timezone.now() if confirmed else None,
    )


@CRON
def test_cron_run_announces_each_seminar_once_and_deletes_week_old_unconfirmed():
    now = timezone.now()
    open_now = SeminarFactory(title="Open now")
    opens_later = SeminarFactory(
        title="Opens later", registration_opens_at=now + dt.timedelta(days=3)
    )
    SeminarFactory(title="Still a draft", status=Seminar.Status.DRAFT)
    SeminarFactory(title="Called off", status=Seminar.Status.CANCELLED)
    SeminarFactory(title="Long gone", days_from_now=-30)
    ann = subscriber("ann@example.org")
    subscriber("bo@example.org")
    subscriber("new@example.org", confirmed=False, days_ago=6)
    subscriber("stale@example.org", confirmed=False, days_ago=8)

    first = cron("send_subscriber_notices")

    assert first == [
        f"New seminar: seminar {open_now.pk}, 2 subscribers emailed.",
        f"New seminar: seminar {opens_later.pk}, 2 subscribers emailed.",
        "Deleted 1 unconfirmed subscription.",
    ]
    assert queued() == [
        ("ann@example.org", "New seminar: Open now"),
        ("bo@example.org", "New seminar: Open now"),
        ("ann@example.org", "New seminar: Opens later"),
        ("bo@example.org", "New seminar: Opens later"),
    ]
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "ann@example.org",
        "bo@example.org",
        "new@example.org",
    ]
    # A seminar already open is announced once, and that counts as its opening notice too.
    assert sorted(
        SeminarNotice.objects.values_list("seminar__title", "kind", "recipient_count")
    ) == [
        ("Open now", "published", 2),
        ("Open now", "registration_open", 2),
        ("Opens later", "published", 2),
    ]

    assert cron("send_subscriber_notices") == ["Deleted 0 unconfirmed subscriptions."]
    assert Message.objects.count() == 4

    Seminar.objects.filter(pk=opens_later.pk).update(registration_opens_at=now)
    third = cron("send_subscriber_notices")

    assert third[0] == f"Registration open: seminar {opens_later.pk}, 2 subscribers emailed."
    assert queued()[4:] == [
        ("ann@example.org", "Registration is open: Opens later"),
        ("bo@example.org", "Registration is open: Opens later"),
    ]
    email = Message.objects.order_by("id")[4].email.message()
    unsubscribe = f"{SITE}/subscriptions/{ann.token}/unsubscribe/"
    assert email["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert cron("send_subscriber_notices") == ["Deleted 0 unconfirmed subscriptions."]


@pytest.mark.django_db
def test_new_seminar_email_says_what_when_where_and_how_to_register_and_stop(mail_queue):
    seminar = SeminarFactory(
        title="Sharing power",
        slug="sharing-power",
        summary="Who decides, and how.",
        registration_opens_at=timezone.now() + dt.timedelta(days=2),
    )
    ann = subscriber("ann@example.org")
    subscriber("pending@example.org", confirmed=False)

    subscriber_notices_send()

    mail_queue_drain()
    [message] = mail.outbox
    assert message.to == ["ann@example.org"]
    starts = timezone.localtime(seminar.starts_at)
    opens = timezone.localtime(seminar.registration_opens_at)
    assert message.body == (
        "A new seminar has been announced:\n\n"
        "Sharing power\n"
        "Who decides, and how.\n\n"
        f"When: {starts:%A %-d %B %Y, %H:%M} to {starts + dt.timedelta(hours=6):%H:%M} (UK time)\n"
        f"Where: {seminar.venue.name}, {seminar.venue.city}\n"
        f"Details and programme: {SITE}/seminars/sharing-power/\n\n"
        f"Registration opens on {opens:%A %-d %B %Y, %H:%M} (UK time). We will email you then.\n\n"
        f"You get these emails because you asked for news of new seminars at {SITE}.\n"
        "Stop them with one click (no login needed): "
        f"{SITE}/subscriptions/{ann.token}/unsubscribe/\n"
        "\n-- \n"
        f"{seminar.series.title}\n"
        f"Questions? Reply to this email, or write to {settings.ORGANISERS_EMAIL}.\n"
    )


@pytest.mark.django_db
def test_a_seminar_open_for_registration_is_announced_with_its_registration_link():
    SeminarFactory(
        title="Sharing power", slug="sharing-power", online_url="https://meet.example.org/x"
    )
    subscriber("ann@example.org")

    subscriber_notices_send()

    [message] = mail.outbox
    assert f"Registration is open: {SITE}/seminars/sharing-power/register/" in message.body
    assert "meet.example.org" not in message.body  # the joining link is for registrants only


@pytest.mark.django_db
def test_nobody_subscribed_still_records_the_notice_so_later_subscribers_get_only_new_ones():
    seminar = SeminarFactory()

    assert subscriber_notices_send() == [(seminar, "published", 0)]
    subscriber("late@example.org")

    assert subscriber_notices_send() == []
    assert mail.outbox == []


@CRON
def test_two_hosts_sending_the_same_notice_at_once_send_it_once():
    seminar = SeminarFactory()
    subscriber("ann@example.org")
    claimed_by_first = threading.Event()
    results = {}

    def first_host():
        try:
            with transaction.atomic():
                results["first"] = seminar_notice_send(seminar=seminar, kind="published")
                claimed_by_first.set()
                threading.Event().wait(0.5)  # hold the claim while the second host tries
        finally:
            claimed_by_first.set()
            connection.close()

    def second_host():
        try:
            claimed_by_first.wait(5)
            results["second"] = seminar_notice_send(seminar=seminar, kind="published")
        finally:
            connection.close()

    threads = [threading.Thread(target=first_host), threading.Thread(target=second_host)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert results == {"first": 1, "second": None}
    assert len(mail.outbox) == 1


def mail_queue_drain():
    from django.core.management import call_command

    call_command("send_mail", verbosity=0)
