"""Faults in production, for real: Redis stopped mid-traffic, send_mail killed mid-queue."""

import signal
import subprocess
import time

from tests.production.seed import SEMINAR_SLUG
from tests.production.test_two_hosts import _queue_messages

PAGES = ["/", "/seminars/", f"/seminars/{SEMINAR_SLUG}/", "/people/sam-speaker/"]


def _traffic(rehearsal, rounds, tag):
    """Pages and registrations from several visitors; (pages served, registrations taken)."""
    pages = registrations = 0
    for round_ in range(rounds):
        visitor = rehearsal.visitor()
        for path in PAGES:
            response = visitor.get(path)
            assert response.status == 200, (path, response.status)
            pages += 1
        response = visitor.post_form(
            f"/seminars/{SEMINAR_SLUG}/register/",
            {
                "name": f"Outage Visitor {round_}",
                "email": f"{tag}{round_}@example.org",
                "consent": "on",
            },
        )
        assert response.status == 302, response.text[-500:]
        registrations += 1
    return pages, registrations


def _redis_keys(rehearsal):
    result = subprocess.run(
        ["redis-cli", "-p", str(rehearsal.redis.port), "dbsize"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout)


def test_pages_and_registrations_keep_working_while_redis_is_stopped_and_restarted(
    rehearsal, fresh_limits
):
    before = _traffic(rehearsal, 2, "before-outage")
    rehearsal.redis.stop()
    try:
        during = _traffic(rehearsal, 4, "during-outage")
        health = rehearsal.visitor().get("/healthz")
    finally:
        rehearsal.redis.start()
    after = _traffic(rehearsal, 2, "after-outage")

    assert (before, during, after) == ((8, 2), (16, 4), (8, 2))
    assert health.status == 200
    stored = rehearsal.shell(
        "from seminars.models import Registration\n"
        "print(Registration.objects.filter(email__startswith='during-outage').count())"
    )
    assert stored.strip() == "4"
    # Back in use without a restart: after a short while (the site tries Redis again every
    # few seconds, not on every request) pages and limits are in Redis again.
    deadline = time.monotonic() + 40
    while _redis_keys(rehearsal) == 0 and time.monotonic() < deadline:
        rehearsal.visitor().get("/seminars/")
        time.sleep(0.5)
    assert _redis_keys(rehearsal) > 0


def _delivered(rehearsal, tag):
    return [id_ for id_ in rehearsal.smtp.message_ids() if id_.startswith(f"<{tag}-")]


def test_send_mail_killed_mid_queue_then_run_again_delivers_every_message_once(rehearsal):
    expected = _queue_messages(rehearsal, 30, "killed")
    rehearsal.smtp.clear()
    rehearsal.smtp.delay = 0.2
    try:
        runner = rehearsal.start_job("send-mail")
        deadline = time.monotonic() + 60
        while len(_delivered(rehearsal, "killed")) < 5 and time.monotonic() < deadline:
            assert runner.poll() is None, f"send_mail quit before sending: {runner.stderr.read()}"
            time.sleep(0.05)
        # Killed while the SMTP server holds a message it has not yet accepted.
        rehearsal.smtp.receiving.clear()
        rehearsal.smtp.receiving.wait(10)
        runner.send_signal(signal.SIGKILL)
        runner.wait(10)
    finally:
        rehearsal.smtp.delay = 0
    delivered_before_kill = len(_delivered(rehearsal, "killed"))

    rerun = rehearsal.run_job("send-mail")

    assert runner.returncode == -signal.SIGKILL
    assert 5 <= delivered_before_kill < 30
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert sorted(_delivered(rehearsal, "killed")) == sorted(expected)
