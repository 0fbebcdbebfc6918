import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction

from people.models import Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def test_user_create_user_stores_the_email_in_lower_case():
    user = User.objects.create_user("Ann@Example.org", PASSWORD)

    assert list(User.objects.values_list("email", flat=True)) == ["ann@example.org"]
    assert str(user) == "ann@example.org"


def test_user_create_user_requires_an_email():
    with pytest.raises(ValueError, match="An email address is required."):
        User.objects.create_user("", PASSWORD)

    assert User.objects.count() == 0


def test_user_create_superuser_is_staff_and_superuser():
    User.objects.create_superuser("Admin@Example.org", PASSWORD)

    assert list(User.objects.values_list("email", "is_staff", "is_superuser")) == [
        ("admin@example.org", True, True)
    ]


def test_user_login_ignores_the_case_of_the_email():
    user = User.objects.create_user("Ann@Example.org", PASSWORD)

    # ModelBackend takes the login as `username`, whatever USERNAME_FIELD is, and looks it
    # up with the manager's get_by_natural_key.
    assert authenticate(request=None, username="ANN@example.org", password=PASSWORD) == user


def test_user_login_also_accepts_the_email_keyword():
    user = User.objects.create_user("ann@example.org", PASSWORD)

    assert authenticate(request=None, email="Ann@EXAMPLE.org", password=PASSWORD) == user


def test_user_login_with_a_wrong_password_fails():
    User.objects.create_user("ann@example.org", PASSWORD)

    assert authenticate(request=None, username="ann@example.org", password="wrong") is None


def test_user_client_login_ignores_the_case_of_the_email(client):
    User.objects.create_user("ann@example.org", PASSWORD)

    assert client.login(username="Ann@Example.ORG", password=PASSWORD) is True


@pytest.mark.parametrize(
    "spelling", ["ANN@Example.org", "ＡＮＮ@example.org", "an\u212a@example.org"]
)
def test_user_spellings_of_one_email_are_refused_by_the_database(spelling):
    UserFactory(email="ann@example.org" if "\u212a" not in spelling else "ank@example.org")

    # Saved directly, past the manager: the field stores the canonical form, which the
    # database's unique index then refuses.
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email=spelling)

    assert User.objects.count() == 1


def test_role_seeds_are_the_agreed_roles_in_position_order():
    assert list(Role.objects.values_list("name", flat=True)) == [
        "Academic",
        "Expert by experience",
        "Peer support worker",
        "Carer",
        "Practitioner",
        "Student",
        "Policy maker",
    ]
