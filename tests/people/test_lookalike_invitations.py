"""An organiser who is not a superuser cannot reach a staff login through a person's email.

The superuser is desk@mindsight.org. Capitals, the long s (ſ), the Kelvin sign (K, U+212A)
and fullwidth letters spell that same address; "desk@mındsight.org", with a dotless ı, is
another mailbox, which PostgreSQL's UPPER() used to match to the superuser's login.
"""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from people.models import Person, User
from tests.factories import PersonFactory, UserFactory
from tests.html import page, texts

pytestmark = pytest.mark.django_db

DESK = "desk@mindsight.org"
SPELLINGS = {
    "capitals": "DESK@MindSight.ORG",
    "long s": "deſk@mindsight.org",
    "Kelvin sign": "des\u212a@mindsight.org",
    "fullwidth": "ＤＥＳＫ@mindsight.org",
}
LOOK_ALIKE = "desk@mındsight.org"
DESK_PASSWORD = "the superuser's own password"
NEW_PASSWORD = "correct horse battery staple 42"
STAFF_EMAIL_REFUSED = (
    "This is the email address of a staff login. A person may have it only once a superuser "
    "links that login to them in the “user” field."
)


@pytest.fixture
def desk(db):
    return UserFactory(email=DESK, is_staff=True, is_superuser=True, password=DESK_PASSWORD)


def _invite(client, person):
    """The list's action, then "Send" on the page that shows the email."""
    return client.post(
        reverse("admin:people_person_changelist"),
        {"action": "invite_selected", "_selected_action": [person.pk], "_invite": "send"},
        follow=True,
    )


def _messages(response):
    return texts(page(response), "ul.messagelist li")


def _link_path(message):
    [path] = re.findall(rf"{re.escape(settings.SITE_URL)}(/\S*)", message.body)
    return path


def _link_user(path):
    """The login an invitation link is for (its uidb64)."""
    uidb64 = path.split("/")[-3]
    return User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))


def _person_form(**overrides):
    return {
        "name": "Dee Sk",
        "slug": "dee-sk",
        "pronouns": "",
        "affiliation": "",
        "website": "",
        "bio": "",
        "email": "",
        **overrides,
    }


# Inviting


def test_invite_of_a_look_alike_address_gives_it_a_login_of_its_own(organiser_client, desk):
    person = PersonFactory(name="Dee Sk", email=LOOK_ALIKE)

    response = _invite(organiser_client, person)
    path = _link_path(mail.outbox[0])
    accepted = Client()
    set_password_url = accepted.get(path).url
    accepted.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    person.refresh_from_db()
    desk.refresh_from_db()
    new_login = User.objects.get(email=LOOK_ALIKE)
    assert _messages(response) == ["Invitation sent to Dee Sk: a one-time link, valid for 7 days."]
    assert [message.to for message in mail.outbox] == [[LOOK_ALIKE]]
    assert _link_user(path) == person.user == new_login != desk
    assert accepted.session["_auth_user_id"] == str(new_login.pk)
    assert desk.check_password(DESK_PASSWORD) is True
    assert desk.check_password(NEW_PASSWORD) is False


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_invite_of_a_staff_logins_address_is_refused_however_it_is_spelt(
    organiser_client, desk, spelling
):
    # Stored before the admin refused such addresses, or by a superuser.
    person = PersonFactory(name="Dee Sk", email=spelling)

    response = _invite(organiser_client, person)

    person.refresh_from_db()
    assert _messages(response) == [
        "Desk@mindsight.org is the address of a staff login: only a superuser may link it to "
        "Dee Sk, in the person’s “user” field."
    ]
    assert (person.email, person.user, person.invited_at) == (DESK, None, None)
    assert mail.outbox == []
    assert list(User.objects.order_by("email").values_list("email", flat=True)) == [
        DESK,
        "organiser@example.org",
    ]


def test_invite_of_a_staff_login_linked_by_a_superuser_goes_to_its_own_address(
    organiser_client, desk
):
    person = PersonFactory(name="Dee Sk", email=SPELLINGS["long s"], user=desk)

    response = _invite(organiser_client, person)

    assert _messages(response) == ["Invitation sent to Dee Sk: a one-time link, valid for 7 days."]
    assert [message.to for message in mail.outbox] == [[DESK]]
    assert _link_user(_link_path(mail.outbox[0])) == desk
    assert User.objects.count() == 2


# The person form


def test_admin_refuses_a_person_email_that_is_a_staff_logins_and_keeps_a_look_alike(
    organiser_client, desk
):
    add_url = reverse("admin:people_person_add")

    refused = {
        name: page(organiser_client.post(add_url, _person_form(email=spelling)))
        for name, spelling in SPELLINGS.items()
    }
    saved = organiser_client.post(add_url, _person_form(email=LOOK_ALIKE))

    assert {name: texts(soup, ".field-email .errorlist li") for name, soup in refused.items()} == {
        name: [STAFF_EMAIL_REFUSED] for name in SPELLINGS
    }
    assert saved.status_code == 302
    assert list(Person.objects.values_list("email", flat=True)) == [LOOK_ALIKE]


def test_admin_refuses_changing_a_persons_email_to_a_staff_logins(organiser_client, organiser):
    person = PersonFactory(name="Dee Sk", slug="dee-sk", email="dee@example.org")

    response = organiser_client.post(
        reverse("admin:people_person_change", args=[person.pk]),
        _person_form(email="ＯＲＧＡＮＩＳＥＲ@example.org"),
    )

    assert texts(page(response), ".field-email .errorlist li") == [STAFF_EMAIL_REFUSED]
    assert Person.objects.get(pk=person.pk).email == "dee@example.org"


def test_admin_lets_a_superuser_give_a_person_the_email_of_the_staff_login_linked_to_it(
    client, desk, organiser
):
    client.force_login(desk)
    person = PersonFactory(name="Dee Sk", slug="dee-sk", email="")

    response = client.post(
        reverse("admin:people_person_change", args=[person.pk]),
        _person_form(email="Organiser@Example.org", user=organiser.pk),
    )

    person.refresh_from_db()
    assert response.status_code == 302
    assert (person.email, person.user) == ("organiser@example.org", organiser)
