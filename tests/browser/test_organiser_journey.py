"""An organiser's whole journey in the admin, measured: plan a seminar with a new venue, two
talks, a workshop and a new speaker, publish it, export its registrations, invite the speaker
and publish a recap. Before the organisers' workspace (issue #20) this took about 100 actions
and 20 page loads; the test holds it to half, counted in the browser (see `counting`), and
prints the numbers the README quotes.

Django's admin needs JavaScript for its autocomplete and "add another" rows, so these
journeys run with JavaScript on; the public site's journeys run with it off as well.
"""

import csv
import datetime as dt
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import F
from django.utils import timezone
from mailer.models import Message
from playwright.sync_api import expect

from people.services import ORGANISERS_GROUP
from seminars.models import Break, Recap, Registration, Seminar, Talk, Workshop
from seminars.services import registration_create
from tests.browser.conftest import queued_links
from tests.browser.counting import UserEvents
from tests.factories import (
    PersonFactory,
    SeminarFactory,
    SeriesFactory,
    TalkFactory,
    UserFactory,
)

PASSWORD = "an organiser's long password"
# Half of what the journey took before the organisers' workspace (issue #20).
MOST_ACTIONS, MOST_PAGE_LOADS = 50, 10


@pytest.fixture
def organiser(site):
    user = UserFactory(email="planner@example.org", is_staff=True, password=PASSWORD)
    user.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    SeriesFactory(title="Co-production in mental health")
    PersonFactory(name="Ada Okafor")
    PersonFactory(name="Ben Tran")
    return user


def log_in(page):
    page.locator("#id_username").fill("planner@example.org")
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def choose_person(page, row, name):
    """Pick a person in a programme row's autocomplete, as an organiser would: open it, type
    the start of the name, click the name."""
    row.locator(".field-people .select2-selection").click()
    page.locator(".select2-search__field:focus").fill(name.split()[0])
    page.locator(".select2-results__option", has_text=name).click()


def add_programme_item(page, kind, title, starts, ends):
    """A new talk or workshop row, filled in; the row."""
    group = page.locator(f"#{kind}s-group")
    page.get_by_role("button", name=f"Add another {kind.capitalize()}").click()
    row = group.locator(".inline-related:not(.empty-form)").last
    row.get_by_label("Title:").fill(title)
    row.get_by_label("Starts:").fill(starts)
    row.get_by_label("Ends:").fill(ends)
    return row


def the_week_passes(seminar):
    """The seminar takes place. The live server shares this process's clock, which cannot be
    moved without mocking it, so the seminar's day moves a week back instead, with its
    programme: to the site, as to the organiser a week later, it has happened."""
    week = dt.timedelta(days=7)
    shifted = {"starts_at": F("starts_at") - week, "ends_at": F("ends_at") - week}
    Seminar.objects.filter(pk=seminar.pk).update(**shifted)
    for model in [Talk, Workshop, Break]:
        model.objects.filter(seminar=seminar).update(**shifted)


def test_organiser_plans_publishes_exports_invites_and_writes_the_recap(page, new_page, organiser):
    events = UserEvents(page.context)
    day = timezone.localdate() + dt.timedelta(days=5)

    page.goto("/admin/")
    log_in(page)
    with page.expect_navigation():
        page.locator(".model-seminar").get_by_role("link", name="Add").click()
    # The series and its next number are filled in; the end's date is the start's.
    page.locator("#id_title").fill("Regulation and co-production")
    page.locator("#id_starts_at_0").fill(day.isoformat())
    page.locator("#id_starts_at_1").fill("10:00")
    page.locator("#id_ends_at_1").fill("16:00")
    # A new venue, typed on the form itself.
    page.locator("#id_new_venue_name").fill("Friends Meeting House")
    page.locator("#id_new_venue_address").fill("6 Mount Street")
    page.locator("#id_new_venue_city").fill("Manchester")
    page.locator("#id_new_venue_postcode").fill("M2 5NS")
    page.locator("#id_capacity").fill("40")

    talk = add_programme_item(page, "talk", "Who regulates the regulators?", "10:00", "10:45")
    # A speaker not yet in the people list, added from the row ("+") without leaving it.
    with page.expect_popup() as opened:
        talk.locator(".field-people .add-related").click()
    popup = opened.value
    popup.get_by_label("Name:").fill("Cy Newcomer")
    popup.get_by_label("Email:").fill("cy@example.org")
    # Saving closes the popup at once: wait for the close from before the click, not after.
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Save", exact=True).click()
    expect(talk.locator(".field-people .select2-selection__choice")).to_have_text(
        ["×Cy Newcomer"], use_inner_text=True
    )
    talk = add_programme_item(page, "talk", "Rules we can live with", "11:00", "11:45")
    choose_person(page, talk, "Ada Okafor")
    workshop = add_programme_item(page, "workshop", "Writing rules together", "13:00", "14:30")
    choose_person(page, workshop, "Ben Tran")

    with page.expect_navigation():
        page.get_by_role("button", name="Save and publish").first.click()
    # Published, and on the seminar's page for organisers, with the day's run sheet.
    expect(page.locator(".messagelist")).to_contain_text(
        "“Regulation and co-production” is published", use_inner_text=True
    )
    seminar = Seminar.objects.select_related("series", "venue").get()
    assert (
        seminar.series.title,
        seminar.number,
        seminar.status,
        str(seminar.venue),
        timezone.localtime(seminar.ends_at).date(),
    ) == (
        "Co-production in mental health",
        1,
        Seminar.Status.PUBLISHED,
        "Friends Meeting House, Manchester",
        day,
    )
    assert [
        line.split("\t")[:4]
        for line in page.locator("#run-sheet tbody").inner_text().splitlines()
        if line
    ] == [
        ["10:00–10:45", "Who regulates the regulators? (talk)", "—", "Cy Newcomer"],
        ["11:00–11:45", "Rules we can live with (talk)", "—", "Ada Okafor"],
        ["13:00–14:30", "Writing rules together (workshop)", "—", "Ben Tran"],
    ]

    # People register on the public site meanwhile (the registration journeys test that).
    for name, email in [("Cara Lee", "cara@example.org"), ("Dev Shah", "dev@example.org")]:
        registration_create(seminar=seminar, name=name, email=email)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Registrations as CSV").click()
    download = download_info.value
    assert download.suggested_filename == "registrations-regulation-and-co-production.csv"
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8-sig"))))
    assert [(row["name"], row["email"]) for row in rows] == [
        ("Cara Lee", "cara@example.org"),
        ("Dev Shah", "dev@example.org"),
    ]

    # The new speaker is invited from the same page: the email first, with a note.
    Message.objects.all().delete()  # the registrations' confirmations
    with page.expect_navigation():
        page.get_by_role("link", name="Invite Cy Newcomer").click()
    assert "“Who regulates the regulators?”" in page.locator(".invitation-body").inner_text()
    page.get_by_label("A note from you (optional):").fill("Hello Cy, it is Sam: welcome!")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Invitation sent to Cy Newcomer", use_inner_text=True
    )
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Regulation and co-production: page for organisers"
    )
    [invitation] = [message.email for message in Message.objects.all()]
    assert invitation.to == ["cy@example.org"]
    assert "“Co-production in mental health”" in invitation.body
    assert "Hello Cy, it is Sam: welcome!" in invitation.body
    assert (
        f"- Talk: “Who regulates the regulators?”, at Regulation and co-production "
        f"({day:%-d %B %Y})"
    ) in invitation.body
    assert queued_links("cy@example.org", "/invitation/")

    the_week_passes(seminar)
    with page.expect_navigation():
        page.get_by_role("link", name="Write the recap").click()
    # Started from its seminar: the seminar chosen, the title and address filled in.
    assert page.get_by_label("Title:").input_value() == "Recap: Regulation and co-production"
    page.get_by_label("Summary:").fill("What we heard about writing rules together.")
    page.get_by_label("Body:").fill("## Who decides?\n\nWe talked about **power**.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and publish").first.click()
    expect(page.locator(".messagelist")).to_contain_text(
        "was added successfully", use_inner_text=True
    )
    recap = Recap.objects.get()
    assert (recap.seminar, recap.status) == (seminar, Recap.Status.PUBLISHED)
    visitor = new_page()
    assert visitor.goto(recap.get_absolute_url()).status == 200
    assert visitor.get_by_role("heading", level=1).inner_text() == (
        "Recap: Regulation and co-production"
    )

    page.wait_for_timeout(200)  # the last reports reach Python
    actions, page_loads = len(events.actions), len(events.page_loads)
    print(f"\nThe organiser's journey: {actions} actions, {page_loads} page loads.")
    print("\n".join(f"  {kind}: {what}" for kind, what in events.log))
    assert actions <= MOST_ACTIONS
    assert page_loads <= MOST_PAGE_LOADS


def test_organiser_checks_the_days_timeline_and_previews_the_draft_before_publishing(
    page, new_page, organiser
):
    seminar = SeminarFactory(
        title="Sharing power",
        slug="sharing-power",
        status=Seminar.Status.DRAFT,
        online_url="https://meet.example.org/sharing-power",
    )
    TalkFactory(seminar=seminar, title="Whose knowledge?", speakers=[PersonFactory(name="Eve")])
    page.goto(f"/admin/seminars/seminar/{seminar.pk}/change/")
    log_in(page)

    page.get_by_role("button", name="Add another Break").click()
    page.locator("#id_breaks-0-title").fill("Lunch")
    page.locator("#id_breaks-0-starts_at").fill("12:00")
    page.locator("#id_breaks-0-ends_at").fill("13:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").first.click()
    assert [
        line.split("\t")
        for line in page.locator("#timeline tbody").inner_text().splitlines()
        if line
    ] == [
        ["10:00–10:45", "Whose knowledge? (talk)", "", "Eve"],
        ["12:00–13:00", "Lunch (break)", "", ""],
    ]
    # Visitors get "not found"; the organiser's "View on site" shows a marked preview.
    assert new_page().goto("/seminars/sharing-power/").status == 404
    with page.expect_navigation():
        page.locator(".object-tools").get_by_role("link", name="View on site").click()
    assert page.get_by_role("status").inner_text().startswith("Preview: not public.")
    with page.expect_navigation():
        page.go_back()

    with page.expect_navigation():
        page.get_by_role("button", name="Save and publish").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sharing power: page for organisers"
    visitor = new_page()
    visitor.goto("/seminars/sharing-power/")
    programme = visitor.locator("section[aria-labelledby=programme-title]").inner_text()
    assert "Whose knowledge?" in programme and "Lunch" in programme
    assert "meet.example.org" not in visitor.content()


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
