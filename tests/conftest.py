import pytest
from django.contrib.auth.models import Group

from people.services import ORGANISERS_GROUP
from tests.factories import UserFactory


@pytest.fixture
def organiser(db):
    """A staff user in the Organisers group: not a superuser."""
    user = UserFactory(email="organiser@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    return user


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client
