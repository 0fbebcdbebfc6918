"""A visitor's whole journey: find the seminar, register by keyboard, manage and cancel."""

import pytest
from mailer.models import Message
from playwright.sync_api import expect

from seminars.models import Registration
from tests.browser.conftest import queued_links
from tests.browser.keyboard import active_element, tab_to
from tests.factories import PersonFactory, SeminarFactory, TalkFactory, WorkshopFactory


@pytest.fixture
def next_seminar(site):
    seminar = SeminarFactory(title="Lived experience and the university", capacity=30)
    TalkFactory(
        seminar=seminar,
        title="Who gets to be an expert?",
        speakers=[PersonFactory(name="Ada Okafor")],
    )
    WorkshopFactory(seminar=seminar, title="Writing together", facilitators=[PersonFactory()])
    SeminarFactory(title="A later seminar", days_from_now=90)
    return seminar


def register_by_keyboard(page, *, name, email):
    tab_to(page, name="name")
    page.keyboard.type(name)
    tab_to(page, name="email")
    page.keyboard.type(email)
    tab_to(page, name="access_requirements")
    page.keyboard.type("A seat near the door, please.")
    tab_to(page, name="consent")
    page.keyboard.press("Space")
    tab_to(page, text="Register")
    page.keyboard.press("Enter")


def test_visitor_registers_by_keyboard_then_manages_and_cancels(any_page, next_seminar):
    page = any_page
    page.goto("/")
    page.get_by_role("link", name="Lived experience and the university").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lived experience and the university", use_inner_text=True
    )
    programme = page.locator("section[aria-labelledby=programme-title]").inner_text()
    assert "Who gets to be an expert?" in programme
    assert "Ada Okafor" in programme
    assert "Writing together" in programme

    tab_to(page, text="Register for Lived experience and the university")
    page.keyboard.press("Enter")
    page.wait_for_url("**/register/")

    register_by_keyboard(page, name="Sam Visitor", email="Sam@Example.org")
    page.wait_for_url("**/register/sent/")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"

    registration = Registration.objects.get(seminar=next_seminar)
    assert (registration.name, registration.email, registration.status) == (
        "Sam Visitor",
        "sam@example.org",
        Registration.Status.CONFIRMED,
    )
    assert registration.access_requirements == "A seat near the door, please."

    [manage_url] = set(queued_links("sam@example.org", "/registrations/"))
    page.goto(manage_url)
    assert page.locator("#registration-status").inner_text() == "You have a place."
    assert "A seat near the door, please." in page.locator("main").inner_text()

    calendar = page.get_by_role("link", name="Add Lived experience and the university to your")
    with page.expect_download() as download_info:
        calendar.click()
    download = download_info.value
    assert download.suggested_filename == f"{next_seminar.slug}.ics"
    assert "SUMMARY:Lived experience and the university" in download.path().read_text()

    page.get_by_role("link", name="Cancel my registration").click()
    page.get_by_role("button", name="Yes, cancel my registration").click()
    assert page.locator("#registration-status").inner_text() == "This registration is cancelled."
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_failed_registration_moves_focus_to_the_error_summary(any_page, next_seminar):
    page = any_page
    page.goto(next_seminar.get_absolute_url() + "register/")
    page.get_by_role("button", name="Register").click()

    summary = page.locator("#error-summary")
    assert summary.locator("li").all_inner_texts() == [
        "Enter your name.",
        "Enter your email address.",
        "Tick the box to agree to how your details are used.",
    ]
    assert active_element(page)["id"] == "error-summary"
    assert page.title().startswith("Error: ")

    summary.get_by_role("link", name="Enter your email address.").click()
    assert active_element(page)["name"] == "email"
    assert Registration.objects.count() == 0


def test_full_seminar_waiting_list_then_promotion(any_page, new_page, next_seminar):
    next_seminar.capacity = 1
    next_seminar.save()
    first = new_page()
    first.goto(next_seminar.get_absolute_url() + "register/")
    first.get_by_label("Your name").fill("First Person")
    first.get_by_label("Email address").fill("first@example.org")
    first.get_by_label("I agree").check()
    first.get_by_role("button", name="Register").click()
    first.wait_for_url("**/register/sent/")

    page = any_page
    page.goto(next_seminar.get_absolute_url())
    registration = page.locator("section[aria-labelledby=register-title]").inner_text()
    assert "waiting list" in registration.lower()
    page.get_by_role("link", name="Join the waiting list").click()
    page.get_by_label("Your name").fill("Second Person")
    page.get_by_label("Email address").fill("second@example.org")
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Join the waiting list").click()
    page.wait_for_url("**/register/sent/")

    [second_url] = set(queued_links("second@example.org", "/registrations/"))
    page.goto(second_url)
    assert (
        page.locator("#registration-status")
        .inner_text()
        .startswith("You are 1st on the waiting list.")
    )

    [first_url] = set(queued_links("first@example.org", "/registrations/"))
    first.goto(first_url)
    first.get_by_role("link", name="Cancel my registration").click()
    first.get_by_role("button", name="Yes, cancel my registration").click()

    page.reload()
    assert page.locator("#registration-status").inner_text() == "You have a place."
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {
        "first@example.org": Registration.Status.CANCELLED,
        "second@example.org": Registration.Status.CONFIRMED,
    }
    subjects = [m.email.subject for m in Message.objects.all() if "second@" in m.email.to[0]]
    assert any("place" in subject.lower() for subject in subjects), subjects


def test_visitor_follows_the_series_by_email_then_unsubscribes_in_one_click(any_page, site):
    from seminars.subscriptions.models import Subscriber
    from seminars.subscriptions.services import subscriber_notices_send

    page = any_page
    page.goto("/")
    tab_to(page, name="email")
    page.keyboard.type("sam@example.org")
    tab_to(page, text="Subscribe")
    page.keyboard.press("Enter")
    # The next page's heading, once it has come (the page before has a heading too).
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your email", use_inner_text=True
    )

    [confirm_url] = set(queued_links("sam@example.org", "/confirm/"))
    page.goto(confirm_url)
    page.get_by_role("button", name="Yes, send me emails about new seminars").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You are subscribed", use_inner_text=True
    )

    SeminarFactory(title="Regulation and co-production")
    subscriber_notices_send()
    [notice] = [
        message.email
        for message in Message.objects.order_by("id")
        if message.email.subject == "New seminar: Regulation and co-production"
    ]
    unsubscribe_url = notice.extra_headers["List-Unsubscribe"].strip("<>")
    page.goto(unsubscribe_url)
    page.get_by_role("button", name="Yes, unsubscribe me").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You are unsubscribed", use_inner_text=True
    )
    assert Subscriber.objects.count() == 0
