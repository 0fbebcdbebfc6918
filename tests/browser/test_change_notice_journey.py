"""An organiser cancels a seminar in the admin, confirms emailing the people registered, and a
registrant opens their private link from the queued email and sees what happened."""

import re

import pytest
from django.contrib.auth.models import Group
from mailer.models import Message

from people.services import ORGANISERS_GROUP
from seminars.models import Seminar, SeminarChange
from seminars.services import registration_create
from tests.browser.conftest import queued_links
from tests.factories import SeminarFactory, UserFactory, VenueFactory, london

PASSWORD = "an organiser's long password"


@pytest.fixture
def organiser(site):
    user = UserFactory(email="planner@example.org", is_staff=True, password=PASSWORD)
    user.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    return user


@pytest.fixture
def seminar(site):
    seminar = SeminarFactory(
        title="Sharing power",
        slug="sharing-power",
        starts_at=london(2030, 3, 14, 10),
        ends_at=london(2030, 3, 14, 16),
        venue=VenueFactory(name="Leeds Hall", city="Leeds"),
        capacity=1,
    )
    registration_create(seminar=seminar, name="Ann Able", email="ann@example.org")
    registration_create(seminar=seminar, name="Ben Best", email="ben@example.org")  # waiting
    return seminar


def log_in(page):
    page.goto("/admin/")
    page.locator("#id_username").fill("planner@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_cancellation_notice_reaches_a_registrant(page, new_page, organiser, seminar):
    log_in(page)
    page.goto(f"/admin/seminars/seminar/{seminar.pk}/change/")
    page.get_by_label("Status:").select_option("cancelled")
    page.get_by_role("button", name="Save", exact=True).first.click()

    assert page.get_by_role("heading", level=1).inner_text() == (
        "Email registrants about this change to Sharing power?"
    )
    assert page.locator("#notice-count").inner_text().startswith("This change will email 2 people")
    seminar.refresh_from_db()
    # Nothing is saved or queued yet: only the confirmation and the waiting-list emails.
    assert (seminar.status, Message.objects.count()) == (Seminar.Status.PUBLISHED, 2)
    page.get_by_label("A note to include in the email (optional)").fill(
        "The building is closed for repairs. We will write with a new date."
    )
    page.get_by_role("button", name="Save and email 2 people").click()

    assert "Emailed 2 people about the change." in page.locator(".messagelist").inner_text()
    seminar.refresh_from_db()
    assert seminar.status == Seminar.Status.CANCELLED
    change = SeminarChange.objects.get()
    assert (change.notified_count, change.changed_by) == (2, organiser)

    # Ann reads the email and follows her private link, on her own device without JavaScript.
    [notice] = [
        message.email
        for message in Message.objects.order_by("id")
        if message.email.to == ["ann@example.org"] and message.email.subject.startswith("Cancelled")
    ]
    assert "Sharing power has been cancelled." in notice.body
    [manage_url] = set(queued_links("ann@example.org", "/registrations/"))
    assert manage_url in notice.body
    registrant = new_page(javascript=False)
    registrant.goto(manage_url)

    assert registrant.locator(".status-banner").inner_text() == "This seminar has been cancelled."
    assert re.fullmatch(
        r"Cancelled on \d{1,2} [A-Z][a-z]+ \d{4}", registrant.locator("#change-title").inner_text()
    )
    assert registrant.locator("#last-change li").all_inner_texts() == [
        "Status: was going ahead, now cancelled"
    ]
    assert registrant.locator("#last-change blockquote").inner_text() == (
        "The building is closed for repairs. We will write with a new date."
    )
    assert registrant.locator("#registration-status").inner_text() == "You have a place."
