"""Two app hosts, one site: what one host writes, the other sees at once; sessions, rate limits
and the mail queue are shared, through PostgreSQL and Redis."""

import time

from tests.production.conftest import BUCKET
from tests.production.seed import SEMINAR_SLUG, SPEAKER_EMAIL, SPEAKER_PASSWORD

LOGIN = {"username": SPEAKER_EMAIL, "password": SPEAKER_PASSWORD}


def _logged_in_on(rehearsal, host):
    visitor = rehearsal.host_visitor(host)
    response = visitor.post_form("/accounts/login/", LOGIN)
    assert (response.status, response.header("location")) == (302, "/profile/")
    return visitor


def test_an_edit_through_host_a_is_seen_at_once_on_host_b(rehearsal, fresh_limits):
    reader_b = rehearsal.host_visitor("b")
    before = reader_b.get("/people/sam-speaker/")  # host B now has the page cached
    editor_a = _logged_in_on(rehearsal, "a")

    saved = editor_a.post_form(
        "/profile/",
        {"name": "Sam Speaker", "affiliation": "Bradford Recovery College", "is_listed": "on"},
    )
    after = reader_b.get("/people/sam-speaker/")

    assert before.status == 200
    assert "Bradford Recovery College" not in before.text
    assert saved.status == 302
    assert after.status == 200
    assert "Bradford Recovery College" in after.text


def test_a_session_started_on_host_a_is_valid_on_host_b(rehearsal, fresh_limits):
    visitor = _logged_in_on(rehearsal, "a")

    profile_on_b = visitor.get(f"http://127.0.0.1:{rehearsal.hosts['b'].port}/profile/")

    assert profile_on_b.status == 200
    assert "Sam Speaker" in profile_on_b.text


def test_rate_limits_count_across_both_hosts(rehearsal, fresh_limits):
    # Password reset requests from one address, alternating between the hosts: the limit
    # (DJANGO_LOGIN_RATE_LIMIT, 10) is for the site, not for each host.
    statuses = []
    for attempt in range(11):
        visitor = rehearsal.host_visitor("ab"[attempt % 2])
        statuses.append(
            visitor.post_form(
                "/accounts/password/reset/", {"email": f"nobody{attempt}@example.org"}
            ).status
        )

    assert statuses == [302] * 10 + [429]


def test_forged_x_forwarded_for_does_not_get_past_the_rate_limits(rehearsal, fresh_limits):
    # Each POST claims another client address; nginx appends the real one, and that is the
    # one that counts (DJANGO_TRUSTED_PROXY_COUNT=1).
    statuses = []
    for attempt in range(11):
        response = rehearsal.visitor().post_form(
            f"/seminars/{SEMINAR_SLUG}/register/",
            {"name": f"Forger {attempt}", "email": f"forger{attempt}@example.org", "consent": "on"},
            headers={"X-Forwarded-For": f"203.0.113.{attempt + 1}"},
        )
        statuses.append(response.status)

    assert statuses == [302] * 10 + [429]


def _at_the_start_of_a_window(window):
    """Wait, if need be, for a new fixed window of the rate limits (coproseries/ratelimit.py),
    so that a burst of requests is counted in one."""
    left = window - int(time.time()) % window
    if left < 20:
        time.sleep(left)


def test_search_is_limited_per_client_through_nginx_while_pages_are_served(rehearsal, fresh_limits):
    # The search limits (5 new searches in 10 seconds, DJANGO_SEARCH_BURST_LIMIT, besides 30
    # a minute) count the address nginx saw, on both hosts together, whatever
    # X-Forwarded-For the client sends. A search already made is served from the page
    # cache and counts against nothing.
    visitor = rehearsal.visitor()
    # A page first, as any running site has served one: the first request after the cache
    # was emptied refreshes every page (the page cache's clock is gone) and stores nothing.
    visitor.get("/")
    _at_the_start_of_a_window(10)
    statuses = [
        visitor.get(
            f"/search/?q=care+{n}", headers={"X-Forwarded-For": f"203.0.113.{n + 1}"}
        ).status
        for n in range(6)
    ]
    limited = visitor.get("/search/?q=peer+support")
    held = visitor.get("/search/?q=care+0")
    home = visitor.get("/")

    assert statuses == [200] * 5 + [429]
    assert limited.status == 429
    assert 0 < int(limited.header("retry-after")) <= 10
    assert "<h1>Too many searches</h1>" in limited.text
    assert (held.status, home.status) == (200, 200)


def _queue_messages(rehearsal, count, tag):
    """`count` emails queued in the database, as the site queues them; their Message-IDs."""
    output = rehearsal.shell(
        "from django.core.mail import EmailMessage\n"
        f"for n in range({count}):\n"
        f"    message = EmailMessage(subject=f'{tag} {{n}}', body='Hello',"
        f" to=[f'{tag}{{n}}@example.org'])\n"
        "    message.extra_headers['Message-ID'] = "
        f"f'<{tag}-{{n}}@rehearsal.example.org>'\n"
        "    message.send()\n"
        "    print(message.extra_headers['Message-ID'])\n"
    )
    return output.split()


def test_two_send_mail_runners_one_per_host_deliver_each_message_once(rehearsal):
    expected = _queue_messages(rehearsal, 40, "twohosts")
    rehearsal.smtp.clear()
    rehearsal.smtp.delay = 0.1
    try:
        runners = [rehearsal.start_job("send-mail", host) for host in ("a", "b")]
        rehearsal.smtp.watched_pids = [runner.pid for runner in runners]
        for runner in runners:
            runner.wait(120)
    finally:
        rehearsal.smtp.delay = 0
        rehearsal.smtp.watched_pids = []

    delivered = [id_ for id_ in rehearsal.smtp.message_ids() if "<twohosts-" in id_]
    assert sorted(delivered) == sorted(expected)
    assert [runner.returncode for runner in runners] == [0, 0]
    # Both runners worked the queue at the same time, neither quitting on the other's lock.
    senders = {pid for message_id, _, pid in rehearsal.smtp.delivered if "<twohosts-" in message_id}
    assert senders == {runner.pid for runner in runners}


def test_cron_jobs_run_as_systemd_starts_them_on_old_registrations(rehearsal):
    rehearsal.shell(
        "from seminars.models import Seminar\n"
        "from tests.factories import SeminarFactory, RegistrationFactory\n"
        f"base = Seminar.objects.get(slug='{SEMINAR_SLUG}')\n"
        "same = {'series': base.series, 'venue': base.venue}\n"
        "old = SeminarFactory(slug='long-past', title='Long past', number=90,"
        " days_from_now=-120, **same)\n"
        "soon = SeminarFactory(slug='tomorrow', title='Tomorrow', number=91, days_from_now=1,"
        " **same)\n"
        "for n in range(30):\n"
        "    RegistrationFactory(seminar=old, email=f'old{n}@example.org',"
        " access_requirements='Step-free access', dietary_requirements='Vegan')\n"
        "for n in range(3):\n"
        "    RegistrationFactory(seminar=soon, email=f'soon{n}@example.org')\n"
    )
    # A receipt in the bucket's private prefix, for a claim paid long ago.
    receipt = rehearsal.shell(
        "import datetime as dt\n"
        "from people.payments.services import claim_approve, claim_mark_paid\n"
        "from seminars.models import Seminar\n"
        "from tests.people.payments.factories import (\n"
        "    InvolvementOfferFactory, claim_make, pdf_bytes, upload)\n"
        "old = Seminar.objects.get(slug='long-past')\n"
        "offer = InvolvementOfferFactory(accepted=True, seminar=old)\n"
        "claim = claim_make(offer, receipt=upload(pdf_bytes()))\n"
        "claim_approve(claim=claim, by=None)\n"
        "claim_mark_paid(claim=claim, by=None, paid_on=dt.date.today() - dt.timedelta(days=200))\n"
        "print(claim.receipt.name)\n"
    ).strip()
    bucket = rehearsal.s3.client()
    assert bucket.list_objects_v2(Bucket=BUCKET, Prefix=f"private/{receipt}")["KeyCount"] == 1
    rehearsal.smtp.clear()

    jobs = {
        job: rehearsal.run_job(job)
        for job in (
            "purge-registrations",
            "send-reminders",
            "send-feedback-requests",
            "send-subscriber-notices",
            "send-mail",
            "retry-deferred",
            "purge-mail-log",
            "purge-receipts",
        )
    }

    assert {job: run.returncode for job, run in jobs.items()} == dict.fromkeys(jobs, 0), {
        job: run.stderr[-2000:] for job, run in jobs.items()
    }
    kept = rehearsal.shell(
        "from seminars.models import Registration\n"
        "print(Registration.objects.filter(seminar__slug='long-past')"
        ".exclude(access_requirements='', dietary_requirements='', email='').count())"
    )
    assert kept.strip() == "0"
    assert jobs["purge-receipts"].stdout == "Deleted 1 receipt.\n"
    assert bucket.list_objects_v2(Bucket=BUCKET, Prefix=f"private/{receipt}")["KeyCount"] == 0
    reminded = sorted(to[0] for _, to, _ in rehearsal.smtp.delivered if to[0].startswith("soon"))
    assert reminded == ["soon0@example.org", "soon1@example.org", "soon2@example.org"]
