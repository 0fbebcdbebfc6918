"""Reflow (WCAG 1.4.10): at 320 CSS px wide, and with the browser's default font at 24 px,
no page scrolls sideways, however long the words a registrant typed."""

import pytest
from PIL import Image

from seminars.services import registration_create
from tests.browser.test_accessibility import demo_site, public_pages  # noqa: F401
from tests.factories import PersonFactory, SeminarFactory, TalkFactory, UserFactory

NARROW = {"width": 320, "height": 640}
PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def submit(page, button):
    """Press a form's button and wait for the page it leads to: measuring before the new
    document exists reads a document with no root element."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


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
        pronouns="ze/" + "z" * 47,
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


@pytest.fixture
def speaker(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    user = UserFactory(email="ada@example.org", password="a sturdy passphrase 2026")
    person = PersonFactory(name="Ada Okafor", user=user, email=user.email)
    TalkFactory(title="Who gets to be an expert?", speakers=[person])
    return person


@pytest.mark.parametrize("font", ["default", "24px"])
def test_form_states_reflow_at_320_px(new_page, speaker, tmp_path, font):
    """The states pages reach only by filling in a form: errors beside each field, the
    profile's photos and their checkbox, a preview."""
    seminar = SeminarFactory(title="Lived experience and the university", capacity=30)
    photo = tmp_path / "me.png"
    Image.new("RGB", (1200, 900), (30, 120, 90)).save(photo)
    page = new_page(viewport=NARROW)
    if font == "24px":
        large_default_font(page)
    widths = {}

    page.goto(seminar.get_absolute_url() + "register/")
    page.get_by_label("Email address").fill("sam.jones.from.the.peer.support.network@nhs.net")
    submit(page, "Register")
    widths["register: errors"] = page.evaluate(PAGE_WIDTH)
    page.goto("/accounts/login/")
    submit(page, "Log in")
    widths["login: errors"] = page.evaluate(PAGE_WIDTH)
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_label("Password").fill("a sturdy passphrase 2026")
    submit(page, "Log in")
    page.goto("/profile/")
    page.get_by_label("Photo (optional)").set_input_files(photo)
    submit(page, "Preview")
    widths["profile: preview with a photo"] = page.evaluate(PAGE_WIDTH)
    submit(page, "Save my profile")
    widths["profile: current photo"] = page.evaluate(PAGE_WIDTH)
    page.get_by_label("Your name, as it should appear").fill("")
    submit(page, "Save my profile")
    widths["profile: errors"] = page.evaluate(PAGE_WIDTH)

    assert widths == dict.fromkeys(widths, 320)
