"""Screenshots of the main pages, and of the organisers' pages, for the README, and the page's
behaviour in print and for people who ask for reduced motion.

Every run takes the screenshots (a page that fails to render fails the test); they replace
the README's pictures in docs/screenshots/ only when `UPDATE_SCREENSHOTS=1` asks, so that
a test run leaves the working tree as it was.
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from people.models import Person
from people.services import ORGANISERS_GROUP
from seminars.management.commands.load_demo import SPEAKER_PERSON_SLUG, demo_load
from seminars.models import Registration, Seminar
from seminars.services import registration_create
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import UserFactory

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
# A fixed day for the demo's fictional seminars, so the screenshots change only when the
# pages do (the seminars stay upcoming until then).
DEMO_TODAY = dt.date(2031, 1, 6)
PASSWORD = "an organiser's long password"
PAGES = [
    ("home", "/"),
    ("seminars", "/seminars/"),
    ("seminar", "/seminars/seminar-2-peer-support-and-power/"),
    ("register", "/seminars/seminar-2-peer-support-and-power/register/"),
    ("person", f"/people/{SPEAKER_PERSON_SLUG}/"),
    ("recap", "/recaps/recap-seminar-1-leeds-2016/"),
]


@pytest.fixture
def demo(site):
    demo_load(today=DEMO_TODAY)


@pytest.fixture
def screenshots(tmp_path):
    """The folder to write screenshots in: the README's when UPDATE_SCREENSHOTS=1 asks."""
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS
    return tmp_path


def test_screenshots_of_main_pages_at_phone_and_desktop_widths(new_page, demo, screenshots):
    for width_name, viewport in [("phone", PHONE), ("desktop", DESKTOP)]:
        page = new_page(viewport=viewport, javascript=False)
        for name, url in PAGES:
            response = page.goto(url)
            assert response.status == 200, url
            path = screenshots / f"{name}-{width_name}.png"
            page.screenshot(path=path, full_page=True, animations="disabled")
            assert path.stat().st_size > 10_000, path


# Registrants made up for the pictures, beside the demo's own (Rowan Example).
FICTIONAL_REGISTRANTS = [
    ("Ash Example", "Northbridge Mind (fictional)", "Vegetarian", False),
    ("Kit Sample", "", "", True),
    ("Noor Example", "Eastmoor Recovery College (fictional)", "No nuts", False),
    ("Tam Sample", "Northbridge Carers Network (fictional)", "", False),
]


def test_screenshots_of_the_organisers_pages(new_page, demo, screenshots):
    """The guide for organisers shows the seminar's page for organisers, the day's timeline
    on the seminar's form and the sign-in sheet as printed, for the demo's fictional seminar
    (its people and registrants made up), at 1280 pixels wide."""
    organiser = UserFactory(email="organiser@example.org", is_staff=True, password=PASSWORD)
    organiser.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    seminar = Seminar.objects.get(slug="seminar-2-peer-support-and-power")
    for name, organisation, dietary, no_photos in FICTIONAL_REGISTRANTS:
        email = f"{name.split()[0].lower()}@example.org"
        registration_create(
            seminar=seminar,
            name=name,
            email=email,
            organisation=organisation,
            dietary_requirements=dietary,
            do_not_photograph=no_photos,
            attendance=Registration.Attendance.IN_PERSON,
        )
    # Opened a fortnight before the demo's day (not by the real clock), and two speakers
    # with addresses, one invited, so that the pictures stay the same.
    seminar.registration_opens_at = timezone.make_aware(
        dt.datetime.combine(DEMO_TODAY - dt.timedelta(weeks=2), dt.time(9))
    )
    seminar.save(update_fields=["registration_opens_at"])
    Person.objects.filter(slug=SPEAKER_PERSON_SLUG).update(email="ada@example.org")
    Person.objects.filter(name="Carys Placeholder").update(
        email="carys@example.org",
        invited_at=timezone.make_aware(dt.datetime.combine(DEMO_TODAY, dt.time(12))),
    )
    page = new_page()
    page.goto(f"/admin/seminars/seminar/{seminar.pk}/organisers/")
    page.get_by_label("Email").fill("organiser@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()

    page.screenshot(path=screenshots / "organisers-page.png", full_page=True)
    page.goto(f"/admin/seminars/seminar/{seminar.pk}/change/")
    page.locator("#timeline").screenshot(path=screenshots / "organisers-timeline.png")
    page.goto(f"/admin/seminars/seminar/{seminar.pk}/organisers/sign-in-sheet/")
    page.emulate_media(media="print")
    page.locator("#content").screenshot(path=screenshots / "organisers-sign-in-sheet.png")
    for name in ["organisers-page", "organisers-timeline", "organisers-sign-in-sheet"]:
        assert (screenshots / f"{name}.png").stat().st_size > 10_000, name


def test_pages_fit_a_phone_without_sideways_scrolling(new_page, demo):
    page = new_page(viewport=PHONE)
    for url in [*(url for _, url in PAGES), "/search/?q=peer+support"]:
        page.goto(url)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px"


def test_programme_prints_without_navigation(new_page, demo):
    page = new_page()
    page.goto("/seminars/seminar-2-peer-support-and-power/")
    page.emulate_media(media="print")
    assert page.locator(".site-header nav").is_hidden()
    assert page.locator(".site-footer").is_hidden()
    assert page.locator(".skip-link").is_hidden()
    assert page.locator("section[aria-labelledby=programme-title]").is_visible()
    break_inside = page.locator(".programme > li").first.evaluate(
        "(item) => getComputedStyle(item).breakInside"
    )
    assert break_inside == "avoid"


TRANSITIONS = """() => [...document.querySelectorAll('a, button, input, textarea')]
  .map((element) => getComputedStyle(element).transitionDuration)"""


def test_reduced_motion_turns_off_transitions(new_page, demo):
    page = new_page()
    page.goto("/seminars/seminar-2-peer-support-and-power/register/")
    assert set(page.evaluate(TRANSITIONS)) - {"0s"}, "no transitions to turn off"
    page.emulate_media(reduced_motion="reduce")
    page.reload()
    assert set(page.evaluate(TRANSITIONS)) == {"0s"}
