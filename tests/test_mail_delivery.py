"""`send_mail` as cron runs it, against a real SMTP server (aiosmtpd) that is slow on purpose.

A run killed mid-queue leaves no lock behind: the next run delivers the rest, every message
exactly once. Two runners at once deliver each message once. A slow mail server does not
hold the database while it thinks, so registrations go on meanwhile (SQLite's write lock was
held for the whole SMTP conversation).
"""

import asyncio
import collections
import email
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import send_mail as queue_mail
from django.core.management import call_command
from mailer.models import PRIORITY_DEFERRED, Message

from seminars.models import Registration
from tests.factories import SeminarFactory
from tests.processes import manage, manage_popen
from tests.redis_server import free_port

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


class SlowMailServer:
    """An SMTP server that thinks before accepting each message: for `delay` seconds, and,
    once `hold_after` messages have been accepted, until the test lets it go (`release`).

    A client that hangs up meanwhile never hears its message accepted, and aiosmtpd drops
    it (the handler is cancelled), as a mail server drops an unfinished delivery.
    """

    def __init__(self):
        self.delay = 0.0
        self.hold_after = None
        self.released = threading.Event()
        self.started = 0
        self.received = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.started += 1
        await asyncio.sleep(self.delay)
        if self.hold_after is not None and self.started > self.hold_after:
            while not self.released.is_set():
                await asyncio.sleep(0.01)
        self.received.append(email.message_from_bytes(envelope.content)["Subject"])
        return "250 Message accepted for delivery"

    def release(self):
        """Accept what is held, and everything after it at once."""
        self.hold_after = None
        self.released.set()

    def wait_for(self, condition, timeout=120):
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, "the mail server waited in vain"
            time.sleep(0.02)


@pytest.fixture
def smtp_server():
    handler = SlowMailServer()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.environment = {
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(controller.port),
    }
    yield handler
    handler.release()
    controller.stop()


def _queue(count):
    subjects = [f"Message {number:02}" for number in range(count)]
    for number, subject in enumerate(subjects):
        queue_mail(subject, "Body.", None, [f"person{number}@example.org"])
    assert Message.objects.count() == count
    return subjects


def test_send_mail_killed_mid_queue_then_run_again_delivers_every_message_exactly_once(
    mail_queue, smtp_server
):
    subjects = _queue(12)
    smtp_server.hold_after = 4
    sender = manage_popen("send_mail", **smtp_server.environment)
    # Killed while the server thinks about the fifth message, four being delivered.
    smtp_server.wait_for(lambda: len(smtp_server.received) >= 4 and smtp_server.started >= 5)
    sender.kill()
    sender.wait(30)
    delivered_before_the_kill = len(smtp_server.received)

    smtp_server.release()
    manage("send_mail", **smtp_server.environment)

    assert 4 <= delivered_before_the_kill < 12
    assert collections.Counter(smtp_server.received) == dict.fromkeys(subjects, 1)
    assert Message.objects.count() == 0


def test_two_send_mail_runs_at_once_deliver_each_message_once(mail_queue, smtp_server):
    subjects = _queue(10)
    smtp_server.delay = 0.1

    senders = [manage_popen("send_mail", **smtp_server.environment) for _ in range(2)]
    for sender in senders:
        sender.wait(120)

    assert [sender.returncode for sender in senders] == [0, 0]
    assert collections.Counter(smtp_server.received) == dict.fromkeys(subjects, 1)
    assert Message.objects.count() == 0


def test_a_registration_does_not_wait_for_a_slow_mail_server(client, mail_queue, smtp_server):
    subjects = _queue(2)
    SeminarFactory(slug="open", capacity=10)
    smtp_server.hold_after = 0  # the server thinks about the first message until let go
    sender = manage_popen("send_mail", **smtp_server.environment)
    smtp_server.wait_for(lambda: smtp_server.started >= 1)

    started = time.monotonic()
    response = client.post(
        "/seminars/open/register/",
        {"name": "Sam Visitor", "email": "sam@example.org", "consent": "on", "homepage": ""},
    )
    waited = time.monotonic() - started
    still_sending = sender.poll() is None
    smtp_server.release()
    sender.wait(60)

    assert (response.status_code, response["Location"]) == (302, "/seminars/open/register/sent/")
    assert list(Registration.objects.values_list("email", flat=True)) == ["sam@example.org"]
    assert still_sending  # the mail server was still thinking throughout
    assert waited < 3, f"the registration waited {waited:.1f} s for the mail server"
    assert collections.Counter(smtp_server.received) == dict.fromkeys(subjects, 1)
    # The confirmation was queued after the run had listed the queue: the next run sends it.
    assert [message.to_addresses for message in Message.objects.all()] == [["sam@example.org"]]


def test_an_address_the_server_refuses_is_retried_a_limited_number_of_times(
    mail_queue, smtp_server, settings
):
    settings.MAILER_EMAIL_MAX_RETRIES = 2
    settings.MAILER_EMAIL_BACKEND = smtp_server.environment["DJANGO_EMAIL_BACKEND"]
    settings.EMAIL_HOST = smtp_server.environment["DJANGO_EMAIL_HOST"]
    settings.EMAIL_PORT = int(smtp_server.environment["DJANGO_EMAIL_PORT"])
    queue_mail("To nobody", "Body.", None, ["nobody@example.org"])
    queue_mail("To someone", "Body.", None, ["someone@example.org"])

    manage("send_mail", **smtp_server.environment)
    for _ in range(3):  # cron's retry_deferred, then send_mail, three times over
        call_command("retry_deferred", verbosity=0)
        call_command("send_mail", verbosity=0)

    assert smtp_server.received == ["To someone"]  # the refused address blocked nothing
    [refused] = Message.objects.all()
    assert (refused.to_addresses, refused.priority, refused.retry_count) == (
        ["nobody@example.org"],
        PRIORITY_DEFERRED,
        2,
    )
