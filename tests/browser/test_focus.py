"""Focus that a keyboard user can see, measured in pixels: in normal colours and in forced
colours (Windows contrast themes), where box-shadows vanish and only outlines stay."""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from seminars.services import registration_create
from tests.browser.keyboard import focus_indicator, tab_to
from tests.factories import PersonFactory, SeminarFactory, UserFactory

CONTROLS = """
<main>
  <p><a href="#here">A plain link</a></p>
  <p><input class="form-control" name="text" aria-label="Text"></p>
  <p><select class="form-select" name="choice" aria-label="Choice"><option>One</option></select></p>
  <p><input class="form-check-input" type="checkbox" name="tick" aria-label="Tick"></p>
  <p><button class="btn btn-primary" name="primary">A primary button</button></p>
  <p><a class="btn btn-link" href="#here">No, keep it</a></p>
  <p><button class="btn btn-outline-danger" name="danger">A danger button</button></p>
  <details><summary>More</summary><p>Text</p></details>
</main>
"""


def controls_page(page, base_url, *, site_css):
    """The controls with Bootstrap's own focus styles (as the site serves Bootstrap, trimmed),
    or with the site's on top. set_content runs under no Content-Security-Policy, so the test
    page needs no server of its own."""
    sheets = ["vendor/bootstrap/bootstrap.trimmed.css"] + (["css/site.css"] if site_css else [])
    links = "".join(f'<link rel="stylesheet" href="{base_url}/static/{s}">' for s in sheets)
    page.set_content(
        f'<!doctype html><html lang="en"><head><title>Controls</title>{links}</head>'
        f'<body><div class="container py-4">{CONTROLS}</div></body></html>',
        wait_until="load",
    )


def measure_every_control(page):
    """{control: (pixels changed by 3:1, pixels needed)} for each Tab stop on the page."""
    found = {}
    for _ in range(8):
        page.keyboard.press("Tab")
        element = page.evaluate_handle("document.activeElement")
        what = element.evaluate("(e) => e.getAttribute('name') || e.textContent.trim()")
        found[what] = focus_indicator(page, element)
    return found


@pytest.mark.parametrize("colours", ["normal", "forced"])
def test_bootstrap_glow_fails_the_measure_and_the_site_ring_passes(page, site, colours):
    page.emulate_media(forced_colors="active" if colours == "forced" else "none")

    controls_page(page, site.url, site_css=False)
    bootstrap = measure_every_control(page)
    controls_page(page, site.url, site_css=True)
    ours = measure_every_control(page)

    assert len(ours) == 8
    too_pale = {what for what, (changed, needed) in bootstrap.items() if changed < needed}
    # Bootstrap's glow and border changes: too pale on every field and button, the browser's
    # own thin ring on a plain link too. An outlined button that fills with colour passes.
    assert too_pale >= {"text", "choice", "tick", "primary", "No, keep it"}
    assert {what: changed >= needed for what, (changed, needed) in ours.items()} == dict.fromkeys(
        ours, True
    )


@pytest.fixture
def registration(site):
    seminar = SeminarFactory(title="Lived experience and the university", capacity=30)
    return registration_create(seminar=seminar, name="Sam Visitor", email="sam@example.org")


@pytest.mark.parametrize("colours", ["normal", "forced"])
def test_no_keep_it_shows_focus_on_the_cancel_and_delete_confirmations(page, registration, colours):
    page.emulate_media(forced_colors="active" if colours == "forced" else "none")
    page.goto(registration.get_absolute_url())
    page.get_by_role("link", name="Cancel my registration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Cancel"))

    assert tab_to(page, text="No, keep it")["text"] == "No, keep it"
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Delete my registration and my details now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Delete"))
    assert tab_to(page, text="No, keep them")["text"] == "No, keep them"


def test_the_registration_form_shows_focus_in_forced_colours(page, registration):
    page.emulate_media(forced_colors="active")
    page.goto(registration.seminar.get_absolute_url() + "register/")

    for name in ["name", "email", "pronouns", "organisation", "access_requirements", "consent"]:
        assert tab_to(page, name=name)["name"] == name
    assert tab_to(page, text="Register")["text"] == "Register"


@pytest.mark.parametrize("colours", ["normal", "forced"])
def test_the_registration_form_with_errors_shows_focus(page, registration, colours):
    """Fields marked invalid keep the site's ring: Bootstrap's red glow for them out-ranks
    plain rules."""
    page.emulate_media(forced_colors="active" if colours == "forced" else "none")
    page.goto(registration.seminar.get_absolute_url() + "register/")
    page.get_by_role("button", name="Register").click()
    expect(page).to_have_title(re.compile("^Error: "))

    for name in ["name", "email", "pronouns", "organisation", "role", "consent"]:
        assert tab_to(page, name=name)["name"] == name


@pytest.mark.parametrize("colours", ["normal", "forced"])
def test_the_home_pages_register_button_and_footer_links_show_focus(page, site, colours):
    page.emulate_media(forced_colors="active" if colours == "forced" else "none")
    SeminarFactory(title="Lived experience and the university", capacity=30)
    page.goto("/")

    assert tab_to(page, text="Register")["tag"] == "a"
    expect(
        page.get_by_role("link", name="Register for Lived experience and the university")
    ).to_be_focused()
    # On through the cards and the email form to the last link of the footer.
    assert tab_to(page, text="Speakers: log in")["text"] == "Speakers: log in"


@pytest.mark.parametrize("colours", ["normal", "forced"])
def test_the_profile_photo_controls_show_focus(page, site, settings, tmp_path, colours):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(email="ada@example.org", password="a sturdy passphrase 2026")
    PersonFactory(name="Ada Okafor", user=user, email=user.email)
    photo = tmp_path / "me.png"
    Image.new("RGB", (600, 600), (30, 120, 90)).save(photo)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_label("Password").fill("a sturdy passphrase 2026")
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Photo (optional)").set_input_files(photo)
    with page.expect_navigation():  # the saved profile, with its current photo, has loaded
        page.get_by_role("button", name="Save my profile").click()
    page.locator("[name=remove_photo]").wait_for()  # shown beside a current photo only
    page.emulate_media(forced_colors="active" if colours == "forced" else "none")

    page.get_by_label("Website (optional)").focus()
    for name in ["photo", "remove_photo", "roles", "show_roles"]:
        assert tab_to(page, name=name)["name"] == name
