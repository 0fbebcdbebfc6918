"""Reflow (WCAG 1.4.10): at 320 CSS px wide, and with the browser's default font at 24 px,
no page scrolls sideways, however long the words a registrant typed."""

import pytest

from seminars.services import registration_create
from tests.browser.test_accessibility import demo_site, public_pages  # noqa: F401
from tests.factories import SeminarFactory

NARROW = {"width": 320, "height": 640}
PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def large_default_font(page, pixels=24):
    """What a reader who sets chromium's font size to "Very large" gets: rem and em grow."""
    session = page.context.new_cdp_session(page)
    session.send("Page.setFontSizes", {"fontSizes": {"standard": pixels, "fixed": pixels}})


def test_the_private_registration_page_reflows_with_a_long_name_and_email(new_page, site):
    seminar = SeminarFactory(title="Lived experience and the university")
    registration = registration_create(
        seminar=seminar,
        name="Sam" + "x" * 197,
        email="sam.jones.from.the.peer.support.network@an-nhs-foundation-trust.nhs.net",
        organisation="The" + "y" * 197,
    )
    page = new_page(viewport=NARROW)

    page.goto(registration.get_absolute_url())
    assert page.evaluate(PAGE_WIDTH) == 320
    large_default_font(page)
    page.reload()
    assert page.evaluate(PAGE_WIDTH) == 320


@pytest.mark.parametrize("font", ["default", "24px"])
def test_every_public_page_reflows_at_320_px(new_page, demo_site, font):  # noqa: F811
    page = new_page(viewport=NARROW)
    if font == "24px":
        large_default_font(page)
    widths = {}
    for name, url in public_pages(demo_site):
        page.goto(url)
        widths[name] = page.evaluate(PAGE_WIDTH)

    assert widths == dict.fromkeys(widths, 320)
