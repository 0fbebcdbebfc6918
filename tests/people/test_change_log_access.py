"""The change log in the admin: organisers see the history of the content they manage only,
never the log of logins with their addresses (a superuser's included)."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from people.services import ORGANISERS_GROUP
from tests.factories import SeminarFactory, UserFactory
from tests.html import page, texts

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:admin_logentry_changelist"


@pytest.fixture
def superuser_client():
    client = Client()
    client.force_login(
        UserFactory(email="root.admin@example.org", is_staff=True, is_superuser=True)
    )
    return client


def _superuser_adds_a_login(superuser_client):
    response = superuser_client.post(
        reverse("admin:people_user_add"),
        {
            "email": "new.login@example.org",
            "usable_password": "true",
            "password1": "a-long-new-password-1",
            "password2": "a-long-new-password-1",
        },
    )
    assert response.status_code == 302


def _organiser_changed_a_seminar(organiser, message, title="Sharing power"):
    """The entry the admin writes when an organiser saves a seminar."""
    LogEntry.objects.log_actions(
        user_id=organiser.pk,
        queryset=[SeminarFactory(title=title)],
        action_flag=CHANGE,
        change_message=message,
    )


def test_organiser_sees_the_history_of_content_only_not_of_logins(
    organiser, organiser_client, superuser_client
):
    _superuser_adds_a_login(superuser_client)
    _organiser_changed_a_seminar(organiser, [{"changed": {"fields": ["Title"]}}])
    login_entry = LogEntry.objects.get(object_repr="new.login@example.org")

    organiser_view = organiser_client.get(reverse(CHANGELIST))
    superuser_view = superuser_client.get(reverse(CHANGELIST))

    assert texts(page(organiser_view), "td.field-object_repr") == ["Sharing power"]
    assert "root.admin@example.org" not in organiser_view.content.decode()
    assert "new.login@example.org" not in organiser_view.content.decode()
    assert texts(page(superuser_view), "td.field-object_repr") == [
        "Sharing power",
        "new.login@example.org",
    ]
    # The entry itself, and the login's own history, are out of reach too.
    entry = organiser_client.get(reverse("admin:admin_logentry_change", args=[login_entry.pk]))
    assert (entry.status_code, entry["Location"]) == (302, reverse("admin:index"))
    user_history = reverse("admin:people_user_history", args=[login_entry.object_id])
    assert organiser_client.get(user_history).status_code == 403
    assert (
        "new.login@example.org" not in organiser_client.get(reverse("admin:index")).content.decode()
    )


def test_change_log_filters_offer_only_what_the_organiser_may_see(
    organiser, organiser_client, superuser_client
):
    _superuser_adds_a_login(superuser_client)
    _organiser_changed_a_seminar(organiser, "Changed title.")
    colleague = UserFactory(email="colleague@example.org", is_staff=True)
    colleague.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    _organiser_changed_a_seminar(colleague, "Changed venue.", title="Power, shared")

    filters = page(organiser_client.get(reverse(CHANGELIST)))

    assert texts(filters, 'details[data-filter-title="content type"] li') == [
        "All",
        "Seminars | seminar",
        "-",
    ]
    assert texts(filters, 'details[data-filter-title="user"] li') == [
        "All",
        "colleague@example.org",
        "organiser@example.org",
    ]
