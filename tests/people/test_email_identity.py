"""One address, however it is spelt, is one login; a look-alike address is another login.

The superuser is desk@mindsight.org. The long s (ſ), the Kelvin sign (K, U+212A), fullwidth
letters and capitals are other spellings of that address; "desk@mındsight.org", with a
dotless ı, is a different mailbox that anyone could hold, which PostgreSQL's UPPER() folds
into the superuser's.
"""

import ipaddress

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from people.email_identity import canonical_email
from people.models import User
from tests.factories import UserFactory
from tests.html import page, page_with_status, text, texts

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
DESK = "desk@mindsight.org"
SPELLINGS = {
    "capitals": "DESK@MindSight.ORG",
    "long s": "deſk@mindsight.org",
    "Kelvin sign": "des\u212a@mindsight.org",
    "fullwidth": "ＤＥＳＫ@mindsight.org",
}
LOOK_ALIKE = "desk@mındsight.org"
LOGIN = reverse("people:login")
ADMIN_LOGIN = reverse("admin:login")
PROFILE = reverse("people:profile")
TOO_MANY = "Too many attempts"
WRONG = "That email address and password do not match. Check them and try again."


@pytest.fixture
def desk(db):
    return UserFactory(email=DESK, is_staff=True, is_superuser=True)


def _log_in(client, email, password=PASSWORD, address="192.0.2.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def _admin_log_in(client, email, password=PASSWORD, address="192.0.2.1"):
    return client.post(
        ADMIN_LOGIN,
        {"username": email, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def _logged_in_as(client):
    return client.session.get("_auth_user_id")


def test_canonical_email_is_one_form_for_every_spelling_and_keeps_other_letters_apart():
    assert {name: canonical_email(spelling) for name, spelling in SPELLINGS.items()} == {
        "capitals": DESK,
        "long s": DESK,
        "Kelvin sign": DESK,
        "fullwidth": DESK,
    }
    assert canonical_email(f"  {DESK}\n") == DESK
    assert canonical_email(LOOK_ALIKE) == LOOK_ALIKE
    assert canonical_email("admın@example.org") != canonical_email("admin@example.org")


def test_user_create_user_stores_the_canonical_form():
    User.objects.create_user("ＡＮＮ@Example.org", PASSWORD)
    User.objects.create_superuser("ſam@example.org", PASSWORD)

    assert sorted(User.objects.values_list("email", flat=True)) == [
        "ann@example.org",
        "sam@example.org",
    ]


# Logging in


# Capitals are covered by test_accounts.py: these are the spellings that used to fail.
@pytest.mark.parametrize("name", ["long s", "Kelvin sign", "fullwidth"])
def test_login_with_another_spelling_of_the_address_logs_in_to_that_login(desk, name):
    spelling = SPELLINGS[name]
    speaker_site, admin_site = Client(), Client()

    response = _log_in(speaker_site, spelling)
    admin_response = _admin_log_in(admin_site, spelling)

    assert (response.status_code, response.url) == (302, PROFILE)
    assert (admin_response.status_code, admin_response.url) == (302, "/admin/")
    assert _logged_in_as(speaker_site) == _logged_in_as(admin_site) == str(desk.pk)


def test_login_with_a_look_alike_address_does_not_reach_the_login_it_resembles(desk, client):
    response = _log_in(client, LOOK_ALIKE)
    admin_response = _admin_log_in(Client(), LOOK_ALIKE)

    assert texts(page_with_status(response, 400), "#error-summary li") == [WRONG]
    assert _logged_in_as(client) is None
    assert texts(page(admin_response), ".errornote") == [
        "Please enter the correct email address and password for a staff account. Note that "
        "both fields may be case-sensitive."
    ]


def _failures_until_blocked(client, spellings, addresses):
    """Wrong passwords, cycling through `spellings`, each from another client address (so
    that only the count per email can stop them), until the login answers 429."""
    statuses = []
    while 429 not in statuses and len(statuses) < 1000:
        spelling = spellings[len(statuses) % len(spellings)]
        statuses.append(_log_in(client, spelling, "wrong", address=next(addresses)).status_code)
    assert set(statuses[:-1]) == {400}
    return len(statuses) - 1


def test_look_alike_spellings_of_one_address_share_one_failed_login_counter(desk, client):
    UserFactory(email="kim@example.org")
    addresses = (str(ipaddress.IPv4Address("10.0.0.0") + n) for n in range(1, 100_000))

    allowed_for_one_spelling = _failures_until_blocked(client, ["kim@example.org"], addresses)
    allowed_for_many_spellings = _failures_until_blocked(
        client, list(SPELLINGS.values()), addresses
    )
    blocked = _log_in(client, DESK, address=next(addresses))
    admin_blocked = _admin_log_in(Client(), DESK, address=next(addresses))
    other_mailbox = _log_in(Client(), LOOK_ALIKE, "wrong", address=next(addresses))

    # Cycling through spellings of the address gains no attempts: they share one count.
    assert allowed_for_many_spellings == allowed_for_one_spelling > len(SPELLINGS)
    assert (blocked.status_code, text(page_with_status(blocked, 429), "h1")) == (429, TOO_MANY)
    assert admin_blocked.status_code == 429
    assert _logged_in_as(client) is None
    # Another mailbox keeps its own allowance.
    assert other_mailbox.status_code == 400


# Resetting a password


def test_password_reset_by_any_spelling_mails_the_login_at_its_own_address(desk, client, settings):
    # Every spelling counts against the one address's reset allowance: make room for them.
    settings.PASSWORD_RESET_EMAIL_RATE_LIMIT = len(SPELLINGS)
    for spelling in [*SPELLINGS.values(), LOOK_ALIKE]:
        response = client.post(reverse("people:password_reset"), {"email": spelling})
        assert (response.status_code, response.url) == (
            302,
            reverse("people:password_reset_done"),
        )

    # One message for each spelling of the address, none for the look-alike mailbox.
    assert [message.to for message in mail.outbox] == [[DESK]] * len(SPELLINGS)


# The admin's user forms


def test_admin_user_form_refuses_another_spelling_of_an_existing_login(desk, client):
    client.force_login(desk)
    add_url = reverse("admin:people_user_add")

    refused = {
        name: page(
            client.post(add_url, {"email": spelling, "password1": PASSWORD, "password2": PASSWORD})
        )
        for name, spelling in SPELLINGS.items()
    }
    added = client.post(
        add_url, {"email": LOOK_ALIKE, "password1": PASSWORD, "password2": PASSWORD}
    )

    assert {name: texts(soup, ".errorlist li") for name, soup in refused.items()} == {
        name: ["User with this Email address already exists."] for name in SPELLINGS
    }
    assert added.status_code == 302
    assert sorted(User.objects.values_list("email", flat=True)) == [DESK, LOOK_ALIKE]


def test_admin_user_change_form_stores_the_canonical_form(desk, client):
    client.force_login(desk)
    ann = UserFactory(email="ann@example.org")

    response = client.post(
        reverse("admin:people_user_change", args=[ann.pk]),
        {
            "email": "ＡＮＮ@Example.ORG",
            "first_name": "",
            "last_name": "",
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )

    ann.refresh_from_db()
    assert response.status_code == 302
    assert ann.email == "ann@example.org"
