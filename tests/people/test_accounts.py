"""Logging in and out, resetting and changing a password, and the profile without a person."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PersonFactory, UserFactory
from tests.html import page, page_with_status, text, texts

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
NEW_PASSWORD = "correct horse battery staple 42"
LOGIN = reverse("people:login")
PROFILE = reverse("people:profile")
RESET = reverse("people:password_reset")
RESET_PATH = re.compile(r"^/accounts/password/reset/[0-9A-Za-z_\-]+/[0-9a-z]+-[0-9a-f]+/$")
TOO_MANY = "Too many attempts"


def _link_path(message):
    """The path of the one link to this site in an email."""
    [path] = re.findall(rf"{re.escape(settings.SITE_URL)}(/\S*)", message.body)
    return path


def _log_in(client, email, password, address="192.0.2.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def _status_and_heading(response):
    return response.status_code, text(page_with_status(response, response.status_code), "h1")


# Logging in


def test_login_ignores_the_case_of_the_email(client):
    UserFactory(email="ann@example.org")

    response = _log_in(client, "ANN@Example.org", PASSWORD)

    assert (response.status_code, response.url) == (302, PROFILE)
    assert text(page(client.get(PROFILE)), "h1") == "Your profile"


def test_login_with_a_wrong_password_says_so_in_the_error_summary(client):
    UserFactory(email="ann@example.org")

    soup = page_with_status(_log_in(client, "ann@example.org", "not-the-password"), 400)

    assert texts(soup, "#error-summary li") == [
        "That email address and password do not match. Check them and try again."
    ]
    # Said once, in the summary: not again in an alert of crispy-forms' own.
    assert soup.select_one("main").get_text().count("do not match") == 1
    assert soup.select(".alert") == []
    assert text(soup, "title").startswith("Error: Log in")
    assert client.get(PROFILE).status_code == 302


def test_login_page_labels_its_fields(client):
    soup = page(client.get(LOGIN))

    assert [
        (text(soup, f"label[for={field_id}]"), len(soup.select(f"input#{field_id}")))
        for field_id in ["id_username", "id_password"]
    ] == [("Email address", 1), ("Password", 1)]
    # Read from the top like any page: no field takes the focus on arrival.
    assert soup.select("[autofocus]") == []
    assert soup.select_one("#id_username")["spellcheck"] == "false"


def test_login_goes_to_the_next_page(client):
    UserFactory(email="ann@example.org")

    response = client.post(
        LOGIN, {"username": "ann@example.org", "password": PASSWORD, "next": "/people/"}
    )

    assert (response.status_code, response.url) == (302, "/people/")


# The failed-login limit


def test_login_failures_for_one_email_from_one_address_are_limited(client):
    UserFactory(email="ann@example.org")

    failures = [
        _log_in(client, "Ann@example.org", "wrong", address="192.0.2.1").status_code
        for _ in range(10)
    ]
    blocked = _log_in(client, "ann@example.org", PASSWORD, address="192.0.2.1")
    elsewhere = _log_in(Client(), "ann@example.org", PASSWORD, address="198.51.100.1")

    assert failures == [400] * 10
    assert _status_and_heading(blocked) == (429, TOO_MANY)
    assert client.get(PROFILE).status_code == 302
    assert (elsewhere.status_code, elsewhere.url) == (302, PROFILE)


def test_login_failures_for_one_email_from_many_addresses_stop_at_the_email_limit(client, settings):
    settings.LOGIN_EMAIL_RATE_LIMIT = 20
    UserFactory(email="ann@example.org")

    failures = [
        _log_in(client, "ann@example.org", "wrong", address=f"192.0.2.{n}").status_code
        for n in range(20)
    ]
    blocked = _log_in(client, "ann@example.org", PASSWORD, address="198.51.100.1")

    assert failures == [400] * 20
    assert _status_and_heading(blocked) == (429, TOO_MANY)


def test_login_failures_from_one_address_are_limited_whatever_the_email(client):
    UserFactory(email="ann@example.org")
    UserFactory(email="bo@example.org")

    failures = [
        _log_in(client, f"guess{n}@example.org", "wrong", address="192.0.2.1").status_code
        for n in range(30)
    ]
    blocked = _log_in(client, "ann@example.org", PASSWORD, address="192.0.2.1")
    elsewhere = _log_in(Client(), "bo@example.org", PASSWORD, address="198.51.100.1")

    assert failures == [400] * 30
    assert _status_and_heading(blocked) == (429, TOO_MANY)
    assert (elsewhere.status_code, elsewhere.url) == (302, PROFILE)


def test_successful_logins_do_not_count_towards_the_limit(client):
    UserFactory(email="ann@example.org")

    statuses = [_log_in(Client(), "ann@example.org", PASSWORD).status_code for _ in range(12)]

    assert statuses == [302] * 12


ADMIN_LOGIN = reverse("admin:login")


def _admin_log_in(client, email, password, address="192.0.2.1"):
    return client.post(
        ADMIN_LOGIN,
        {"username": email, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_admin_login_failures_are_limited_per_email_and_address(client):
    UserFactory(email="org@example.org", is_staff=True)

    failures = [
        _admin_log_in(client, "org@example.org", "wrong", address="192.0.2.1").status_code
        for _ in range(10)
    ]
    blocked = _admin_log_in(client, "org@example.org", PASSWORD, address="192.0.2.1")
    elsewhere = _admin_log_in(Client(), "org@example.org", PASSWORD, address="198.51.100.1")

    assert failures == [200] * 10
    assert _status_and_heading(blocked) == (429, TOO_MANY)
    assert client.get("/admin/").status_code == 302
    assert (elsewhere.status_code, elsewhere.url) == (302, "/admin/")


def test_admin_and_speaker_logins_share_one_allowance(client):
    UserFactory(email="org@example.org", is_staff=True)

    for _ in range(5):
        _log_in(client, "org@example.org", "wrong")
    for _ in range(5):
        _admin_log_in(client, "org@example.org", "wrong")
    blocked = _admin_log_in(client, "org@example.org", PASSWORD)

    assert _status_and_heading(blocked) == (429, TOO_MANY)
    assert client.get("/admin/").status_code == 302


def test_admin_login_succeeds_and_does_not_count_towards_the_limit(client):
    UserFactory(email="org@example.org", is_staff=True)

    statuses = [
        (response.status_code, response.url)
        for response in (_admin_log_in(Client(), "org@example.org", PASSWORD) for _ in range(12))
    ]

    assert statuses == [(302, "/admin/")] * 12


# Logging out and the login requirement


def test_logout_refuses_get(client):
    client.force_login(UserFactory())

    response = client.get(reverse("people:logout"))

    assert response.status_code == 405
    assert client.get(PROFILE).status_code == 200


def test_logout_by_post_shows_the_logged_out_page_and_ends_the_session(client):
    client.force_login(UserFactory())

    response = client.post(reverse("people:logout"))
    after = client.get(PROFILE)

    assert text(page(response), "h1") == "You are logged out"
    assert (after.status_code, after.url) == (302, f"{LOGIN}?next={PROFILE}")


def test_profile_sends_anonymous_visitors_to_log_in(client):
    response = client.get(PROFILE)

    assert (response.status_code, response.url) == (302, f"{LOGIN}?next={PROFILE}")


# Resetting a password


def test_password_reset_emails_a_link_that_sets_a_new_password(client):
    UserFactory(email="ann@example.org")

    requested = client.post(RESET, {"email": "ANN@example.ORG"})

    assert (requested.status_code, requested.url) == (302, reverse("people:password_reset_done"))
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["ann@example.org"], "Reset your password for Co-production seminars")
    ]
    path = _link_path(mail.outbox[0])
    assert RESET_PATH.match(path)

    set_password_url = client.get(path).url
    form_page = page(client.get(set_password_url))
    saved = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert set_password_url == path.rsplit("/", 2)[0] + "/set-password/"
    assert text(form_page, "h1") == "Choose a new password"
    assert (saved.status_code, saved.url) == (302, reverse("people:password_reset_complete"))
    assert text(page(client.get(saved.url)), "h1") == "Your password is changed"
    assert _log_in(Client(), "ann@example.org", PASSWORD).status_code == 400
    new_login = _log_in(Client(), "ann@example.org", NEW_PASSWORD)
    assert (new_login.status_code, new_login.url) == (302, PROFILE)


def test_password_reset_link_works_once(client):
    UserFactory(email="ann@example.org")
    client.post(RESET, {"email": "ann@example.org"})
    path = _link_path(mail.outbox[0])
    set_password_url = client.get(path).url
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    soup = page(Client().get(path))

    assert text(soup, "#link-problem") == "This link has expired or has already been used."
    assert soup.select("input[name=new_password1]") == []


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client):
    UserFactory(email="ann@example.org")

    response = client.post(RESET, {"email": "nobody@example.org"})

    assert (response.status_code, response.url) == (302, reverse("people:password_reset_done"))
    assert mail.outbox == []


def test_password_reset_sends_nothing_to_an_invited_login_without_a_password(client):
    PersonFactory(email="ann@example.org", user=UserFactory(email="ann@example.org", password=None))

    response = client.post(RESET, {"email": "ann@example.org"})

    assert (response.status_code, response.url) == (302, reverse("people:password_reset_done"))
    assert mail.outbox == []


def test_password_reset_requests_are_limited_per_address(client):
    UserFactory(email="ann@example.org")

    allowed = [
        client.post(RESET, {"email": f"guess{n}@example.org"}, REMOTE_ADDR="192.0.2.1").status_code
        for n in range(10)
    ]
    blocked = client.post(RESET, {"email": "ann@example.org"}, REMOTE_ADDR="192.0.2.1")
    elsewhere = client.post(RESET, {"email": "ann@example.org"}, REMOTE_ADDR="198.51.100.1")

    assert allowed == [302] * 10
    assert _status_and_heading(blocked) == (429, TOO_MANY)
    assert elsewhere.status_code == 302
    assert [message.to for message in mail.outbox] == [["ann@example.org"]]


# Changing a password


def test_password_change_with_a_wrong_old_password_is_refused(client):
    user = UserFactory(email="ann@example.org")
    client.force_login(user)

    response = client.post(
        reverse("people:password_change"),
        {
            "old_password": "not-the-password",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    soup = page_with_status(response, 400)
    assert texts(soup, "#error-summary li") == ["Your old password is not right. Enter it again."]
    user.refresh_from_db()
    assert user.check_password(PASSWORD) is True


def test_password_change_sets_the_new_password(client):
    client.force_login(UserFactory(email="ann@example.org"))

    response = client.post(
        reverse("people:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert (response.status_code, response.url) == (302, reverse("people:password_change_done"))
    assert text(page(client.get(response.url)), "h1") == "Your password is changed"
    assert _log_in(Client(), "ann@example.org", PASSWORD).status_code == 400
    assert _log_in(Client(), "ann@example.org", NEW_PASSWORD).url == PROFILE


def test_password_change_needs_a_login(client):
    url = reverse("people:password_change")

    response = client.get(url)

    assert (response.status_code, response.url) == (302, f"{LOGIN}?next={url}")


# A login without a speaker profile


def test_profile_of_a_login_without_a_person_says_so(client):
    client.force_login(UserFactory(email="ann@example.org"))

    soup = page(client.get(PROFILE))

    assert text(soup, "#no-profile") == "Your login is not linked to a speaker profile yet."
    assert soup.select("input[name=name]") == []


def test_profile_post_by_a_login_without_a_person_is_forbidden(client):
    client.force_login(UserFactory(email="ann@example.org"))

    response = client.post(PROFILE, {"name": "Ann Example"})

    assert text(page_with_status(response, 403), "#no-profile") == (
        "Your login is not linked to a speaker profile yet."
    )
