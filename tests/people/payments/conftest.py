import pytest

from tests.factories import PersonFactory, UserFactory


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Receipts in a directory of the test's own, apart from the photos."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def contributor(db, client):
    """A person with a login, logged in on `client`."""
    user = UserFactory(email="bilal@example.org")
    person = PersonFactory(name="Bilal Sample", slug="bilal-sample", user=user, email=user.email)
    client.force_login(user)
    return person
