"""A visitor, a registrant and a speaker, through nginx over TLS, as the site runs in
production (DEBUG off, two app hosts, PostgreSQL, Redis, SMTP)."""

import gzip
import re

import pytest

from tests.production.seed import SEMINAR_SLUG, SPEAKER_EMAIL, SPEAKER_PASSWORD


def stored(rehearsal, expression):
    """One value read back from the rehearsal's database by a separate process."""
    code = (
        "from seminars.models import Registration; from people.models import Person; "
        f"print(repr({expression}))"
    )
    return rehearsal.shell(code).strip()


def test_plain_http_is_sent_to_https(rehearsal):
    visitor = rehearsal.visitor()

    response = visitor.get(f"http://localhost:{rehearsal.http_port}/seminars/?page=1")

    assert (response.status, response.header("location")) == (
        301,
        f"{rehearsal.site_url}/seminars/?page=1",
    )


def test_a_registration_through_nginx_is_stored_and_confirmed_by_email(rehearsal):
    visitor = rehearsal.visitor()
    form = f"/seminars/{SEMINAR_SLUG}/register/"

    response = visitor.post_form(
        form,
        {
            "name": "Robin Registrant",
            "email": "robin@example.org",
            "access_requirements": "A seat near the door",
            "consent": "on",
        },
    )

    assert response.status == 302
    sent = visitor.get(response.header("location"))
    assert sent.status == 200
    assert (
        stored(
            rehearsal,
            "list(Registration.objects.filter(email='robin@example.org')"
            ".values_list('name', 'access_requirements', 'status'))",
        )
        == "[('Robin Registrant', 'A seat near the door', 'confirmed')]"
    )
    rehearsal.smtp.clear()
    assert rehearsal.run_job("send-mail").returncode == 0
    assert [to for _, to, _ in rehearsal.smtp.delivered] == [("robin@example.org",)]


def test_a_speaker_logs_in_and_saves_their_profile_through_nginx(rehearsal, fresh_limits):
    visitor = rehearsal.visitor()

    login = visitor.post_form(
        "/accounts/login/", {"username": SPEAKER_EMAIL, "password": SPEAKER_PASSWORD}
    )
    saved = visitor.post_form(
        "/profile/",
        {"name": "Sam Speaker", "affiliation": "Leeds Mind", "is_listed": "on"},
    )

    assert (login.status, login.header("location")) == (302, "/profile/")
    assert (saved.status, saved.header("location")) == (302, "/profile/")
    assert "Your profile is saved." in visitor.get("/profile/").text
    public = rehearsal.visitor().get("/people/sam-speaker/")
    assert "Leeds Mind" in public.text


def test_the_access_log_masks_private_links(rehearsal):
    token = rehearsal.shell(
        "from seminars.models import Seminar; from tests.factories import RegistrationFactory; "
        f"print(RegistrationFactory(seminar=Seminar.objects.get(slug='{SEMINAR_SLUG}')).token)"
    ).strip()
    visitor = rehearsal.visitor()

    manage = visitor.get(f"/registrations/{token}/")
    visitor.get("/seminars/", headers={"Referer": f"{rehearsal.site_url}/registrations/{token}/"})
    visitor.get("/accounts/invitation/MQ/secret-invitation-token/")
    visitor.get("/accounts/password/reset/MQ/secret-reset-token/")

    assert manage.status == 200
    log = rehearsal.access_log(until="/accounts/password/reset/")
    assert token not in log
    assert "secret-invitation-token" not in log
    assert "secret-reset-token" not in log
    lines = log.splitlines()
    assert any('"GET /registrations/[masked]/ HTTP/1.1" 200' in line for line in lines)
    assert any('"GET /seminars/ HTTP/1.1" 200' in line and '"[masked]"' in line for line in lines)
    assert any('"GET /accounts/invitation/[masked]/ HTTP/1.1"' in line for line in lines)
    assert any('"GET /accounts/password/reset/[masked]/ HTTP/1.1"' in line for line in lines)


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/seminars/", "text/html; charset=utf-8"),
        ("/calendar.ics", "text/calendar; charset=utf-8"),
        (f"/seminars/{SEMINAR_SLUG}/calendar.ics", "text/calendar; charset=utf-8"),
        ("/seminars/feed/", "application/atom+xml; charset=utf-8"),
        ("/recaps/feed/", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml"),
    ],
)
def test_nginx_compresses_pages_calendars_feeds_and_the_sitemap(rehearsal, path, content_type):
    visitor = rehearsal.visitor()

    plain = visitor.get(path)
    compressed = visitor.get(path, headers={"Accept-Encoding": "gzip"})

    assert (plain.status, compressed.status) == (200, 200)
    assert compressed.header("content-type") == content_type
    assert compressed.header("content-encoding") == "gzip"
    assert "Accept-Encoding" in compressed.header("vary")
    assert plain.header("content-encoding") == ""
    assert len(compressed.raw) < len(plain.raw)
    assert _without_csrf(gzip.decompress(compressed.raw)) == _without_csrf(plain.raw)


def _without_csrf(body):
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)
