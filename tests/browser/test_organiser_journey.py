"""An organiser's whole journey in the admin: plan a seminar, publish it, export registrations.

Django's admin needs JavaScript for its autocomplete and "add another" rows, so this journey
runs with JavaScript on; the public site's journeys run with it off as well.
"""

import csv
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from mailer.models import Message
from playwright.sync_api import expect

from people.services import ORGANISERS_GROUP
from seminars.models import Registration, Seminar
from seminars.services import registration_create
from tests.browser.conftest import queued_links
from tests.factories import PersonFactory, SeminarFactory, SeriesFactory, UserFactory

PASSWORD = "an organiser's long password"


@pytest.fixture
def organiser(site):
    user = UserFactory(email="planner@example.org", is_staff=True, password=PASSWORD)
    user.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    SeriesFactory(title="Co-production in mental health")
    PersonFactory(name="Ada Okafor")
    PersonFactory(name="Ben Tran")
    return user


def choose_person(page, group, name):
    """Pick a person in an inline row's autocomplete, as an organiser would."""
    group.locator(".field-people .select2-selection").last.click()
    page.locator(".select2-search__field:focus").fill(name.split()[0])
    page.locator(".select2-results__option", has_text=name).click()


def test_organiser_plans_publishes_and_exports(page, new_page, organiser):
    page.goto("/admin/")
    page.locator("#id_username").fill("planner@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Seminars, people and recaps", use_inner_text=True
    )

    page.goto("/admin/seminars/seminar/add/")
    page.get_by_label("Series:").select_option(label="Co-production in mental health")
    page.get_by_label("Number:").fill("7")
    page.locator("#id_title").press_sequentially("Regulation and co-production")
    assert page.locator("#id_slug").input_value() == "regulation-and-co-production"
    page.locator("#id_starts_at_0").fill("2030-03-14")
    page.locator("#id_starts_at_1").fill("10:00")
    page.locator("#id_ends_at_0").fill("2030-03-14")
    page.locator("#id_ends_at_1").fill("16:00")
    page.get_by_label("Online joining link:").fill("https://meet.example.org/regulation")
    page.locator("#id_capacity").fill("40")

    # Each row takes times only: the date is the seminar's.
    talks = page.locator("#talks-group")
    page.get_by_role("button", name="Add another Talk").click()
    talks.locator("#id_talks-0-title").press_sequentially("Who regulates the regulators?")
    talks.locator("#id_talks-0-starts_at").fill("10:30")
    talks.locator("#id_talks-0-ends_at").fill("11:15")
    choose_person(page, talks, "Ada Okafor")
    # A speaker not yet in the people list, added from the row ("+") without leaving it.
    with page.expect_popup() as opened:
        talks.locator("#add_id_talks-0-people").click()
    popup = opened.value
    popup.get_by_label("Name:").fill("Cy Newcomer")
    # Saving closes the popup at once: wait for the close from before the click, not after.
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Save", exact=True).click()
    assert talks.locator("#id_talks-0-people option:checked").all_inner_texts() == [
        "Ada Okafor",
        "Cy Newcomer",
    ]

    workshops = page.locator("#workshops-group")
    page.get_by_role("button", name="Add another Workshop").click()
    workshops.locator("#id_workshops-0-title").press_sequentially("Writing rules together")
    workshops.locator("#id_workshops-0-starts_at").fill("13:00")
    workshops.locator("#id_workshops-0-ends_at").fill("14:30")
    choose_person(page, workshops, "Ben Tran")

    page.get_by_role("button", name="Add another Break").click()
    page.locator("#id_breaks-0-title").fill("Lunch")
    page.locator("#id_breaks-0-starts_at").fill("12:00")
    page.locator("#id_breaks-0-ends_at").fill("13:00")

    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text(
        "was added successfully", use_inner_text=True
    )
    seminar = Seminar.objects.get(slug="regulation-and-co-production")
    assert seminar.status == Seminar.Status.DRAFT
    assert [
        line.split("\t")
        for line in page.locator("#timeline tbody").inner_text().splitlines()
        if line
    ] == [
        ["10:30–11:15", "Who regulates the regulators? (talk)", "", "Ada Okafor, Cy Newcomer"],
        ["12:00–13:00", "Lunch (break)", "", ""],
        ["13:00–14:30", "Writing rules together (workshop)", "", "Ben Tran"],
    ]
    # Visitors get "not found"; the organiser's "View on site" shows a marked preview.
    assert new_page().goto("/seminars/regulation-and-co-production/").status == 404
    page.locator(".object-tools").get_by_role("link", name="View on site").click()
    assert page.get_by_role("status").inner_text().startswith("Preview: not public.")
    page.go_back()

    page.locator("#id_status").select_option(label="Published")
    page.get_by_role("button", name="Save and continue editing").first.click()
    # The page before has a message too: wait for this save's.
    expect(page.locator(".messagelist")).to_contain_text(
        "was changed successfully", use_inner_text=True
    )

    page.goto("/seminars/")
    page.get_by_role("link", name="Regulation and co-production").first.click()
    programme = page.locator("section[aria-labelledby=programme-title]").inner_text()
    assert "Who regulates the regulators?" in programme
    assert "Ada Okafor" in programme
    assert "Writing rules together" in programme
    assert "Ben Tran" in programme
    assert "meet.example.org" not in page.content()

    seminar.refresh_from_db()
    for name, email in [("Cara Lee", "cara@example.org"), ("Dev Shah", "dev@example.org")]:
        registration_create(seminar=seminar, name=name, email=email)
    page.goto(f"/admin/seminars/registration/?seminar__id__exact={seminar.pk}")
    page.locator("#action-toggle").check()
    page.get_by_label("Action:").select_option(label="Download selected as CSV")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Go").click()
    download = download_info.value
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    assert sorted((row["name"], row["email"]) for row in rows) == [
        ("Cara Lee", "cara@example.org"),
        ("Dev Shah", "dev@example.org"),
    ]


def test_organiser_emails_registrants_and_a_registrant_gets_the_message(page, organiser):
    seminar = SeminarFactory(title="Sharing power", slug="sharing-power")
    cara = registration_create(seminar=seminar, name="Cara Lee", email="cara@example.org")
    registration_create(
        seminar=seminar,
        name="Dev Shah",
        email="dev@example.org",
        attendance=Registration.Attendance.ONLINE,
    )
    Message.objects.all().delete()  # the confirmations

    page.goto("/admin/")
    page.locator("#id_username").fill("planner@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/seminars/seminar/{seminar.pk}/change/")
    page.get_by_role("link", name="Email registrants").click()
    page.get_by_label("Subject:").fill("Room change")
    page.get_by_label("Message:").fill("We have moved to room 2.\n\nSee you there.")
    page.get_by_label("Confirmed, attending in person: 1").check()
    page.get_by_role("button", name="Preview").click()

    preview = page.locator("#preview")
    assert preview.get_by_role("heading").inner_text() == "Preview: as Cara Lee will see it"
    assert (
        page.locator("#preview-body")
        .inner_text()
        .startswith("Dear Cara Lee,\n\nWe have moved to room 2.\n\nSee you there.\n")
    )
    assert Message.objects.count() == 0
    page.get_by_role("button", name="Send to 1 person").click()

    assert page.locator(".messagelist").inner_text() == (
        "Your message “Room change” is on its way to 1 person."
    )
    sent = page.locator("#registrant_messages-group tbody tr").first.inner_text()
    assert "Room change" in sent and "planner@example.org" in sent

    [queued] = [message.email for message in Message.objects.all()]
    assert (queued.to, queued.subject) == (["cara@example.org"], "Room change")
    assert "We have moved to room 2.\n\nSee you there." in queued.body
    [manage_url] = set(queued_links("cara@example.org", "/registrations/"))
    assert manage_url == f"{settings.SITE_URL}{cara.get_absolute_url()}"
    page.goto(manage_url)
    assert "Cara Lee" in page.locator("main").inner_text()
