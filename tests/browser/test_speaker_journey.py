"""A speaker's whole journey: accept the invitation, set a password, edit, see the change."""

import re

import pytest
from PIL import Image

from people.models import Person
from people.services import person_invite
from tests.browser.conftest import queued_links
from tests.factories import PersonFactory, TalkFactory

NEW_PASSWORD = re.compile(r"^\s*New password\s*$")


@pytest.fixture
def invited_speaker(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = PersonFactory(name="Ada Okafor", email="ada@example.org", bio="")
    TalkFactory(title="Who gets to be an expert?", speakers=[person])
    person_invite(person=person)
    return person


def photo_file(tmp_path):
    path = tmp_path / "me.png"
    Image.new("RGB", (1200, 900), (30, 120, 90)).save(path)
    return path


def test_speaker_accepts_invitation_edits_profile_and_sees_public_page(
    any_page, invited_speaker, tmp_path
):
    page = any_page
    [invitation_url] = set(queued_links("ada@example.org", "/accounts/invitation/"))
    page.goto(invitation_url)
    page.get_by_label(NEW_PASSWORD).fill("a sturdy passphrase 2026")
    page.get_by_label("New password confirmation").fill("a sturdy passphrase 2026")
    page.get_by_role("button", name="Set my password and continue").click()

    page.wait_for_url("**/profile/")
    assert "Your password is set and you are logged in." in page.locator("main").inner_text()
    items = page.locator("section[aria-labelledby=items-title]").inner_text()
    assert "Who gets to be an expert?" in items

    page.get_by_label("About you (optional)").fill("I research **peer support** in Leeds.")
    page.get_by_label("Photo (optional)").set_input_files(photo_file(tmp_path))
    page.get_by_role("button", name="Preview").click()
    assert page.locator(".preview strong").inner_text() == "peer support"
    # The chosen photo is kept and shown as it will look; nothing is saved yet.
    kept = page.get_by_role("img", name="The new photo you chose")
    assert kept.evaluate("(img) => [img.naturalWidth, img.naturalHeight]") == [800, 800]
    assert Person.objects.get(pk=invited_speaker.pk).bio == ""
    assert Person.objects.get(pk=invited_speaker.pk).photo.name == ""

    # Saving without choosing the file again stores the photo previewed.
    page.get_by_role("button", name="Save my profile").click()
    saved = "Your profile is saved. The public page shows it now."
    assert saved in page.locator("main").inner_text()

    invited_speaker.refresh_from_db()
    assert invited_speaker.bio == "I research **peer support** in Leeds."
    with Image.open(invited_speaker.photo.path) as stored:
        assert (stored.format, stored.size) == ("JPEG", (800, 800))

    # Back on the profile: the current photo as a picture, with a box to remove it.
    current = page.get_by_role("img", name="Photo of Ada Okafor")
    assert current.get_attribute("src") == invited_speaker.photo.url
    assert page.get_by_label("Remove my photo").is_checked() is False

    page.goto(invited_speaker.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == "Ada Okafor"
    assert page.locator(".prose strong").inner_text() == "peer support"
    photo = page.get_by_role("img", name="Photo of Ada Okafor")
    assert photo.get_attribute("src") == invited_speaker.photo.url


def test_invitation_link_works_once(page, invited_speaker):
    [invitation_url] = set(queued_links("ada@example.org", "/accounts/invitation/"))
    page.goto(invitation_url)
    page.get_by_label(NEW_PASSWORD).fill("a sturdy passphrase 2026")
    page.get_by_label("New password confirmation").fill("a sturdy passphrase 2026")
    page.get_by_role("button", name="Set my password and continue").click()
    page.wait_for_url("**/profile/")
    page.get_by_role("button", name="Log out").click()

    page.goto(invitation_url)
    assert "This link has expired or has already been used." in page.locator("main").inner_text()
