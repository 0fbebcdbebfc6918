"""Screenshots of the main pages for the README, and the page's behaviour in print and for
people who ask for reduced motion."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from seminars.management.commands.load_demo import SPEAKER_PERSON_SLUG, demo_load
from tests.browser.conftest import DESKTOP, PHONE

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
# A fixed day for the demo's fictional seminars, so the screenshots change only when the
# pages do (the seminars stay upcoming until then).
DEMO_TODAY = dt.date(2031, 1, 6)
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


def test_screenshots_of_main_pages_at_phone_and_desktop_widths(new_page, demo):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width_name, viewport in [("phone", PHONE), ("desktop", DESKTOP)]:
        page = new_page(viewport=viewport, javascript=False)
        for name, url in PAGES:
            response = page.goto(url)
            assert response.status == 200, url
            path = SCREENSHOTS / f"{name}-{width_name}.png"
            page.screenshot(path=path, full_page=True, animations="disabled")
            assert path.stat().st_size > 10_000, path


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
