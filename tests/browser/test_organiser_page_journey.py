"""The seminar's page for organisers in a browser: found from the seminar's admin page,
its sign-in sheet and badges printed without the admin's header, menus and breadcrumbs."""

from django.contrib.auth.models import Group

from people.services import ORGANISERS_GROUP
from tests.factories import RegistrationFactory, SeminarFactory, UserFactory

PASSWORD = "a sturdy passphrase 2026"


def test_an_organiser_prints_the_sign_in_sheet_and_badges(new_page, site):
    organiser = UserFactory(email="planner@example.org", is_staff=True, password=PASSWORD)
    organiser.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    seminar = SeminarFactory(title="Sharing power", capacity=20)
    RegistrationFactory(
        seminar=seminar, name="Ann Able", pronouns="she/her", organisation="Leeds Mind"
    )
    RegistrationFactory(
        seminar=seminar, name="Bea Bold", pronouns="they/them", do_not_photograph=True
    )
    RegistrationFactory(seminar=seminar, name="Cy Cole", with_companion=True)
    page = new_page()

    page.goto("/admin/")
    page.get_by_label("Email").fill("planner@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/seminars/seminar/{seminar.pk}/change/")
    page.get_by_role("link", name="Seminar page for organisers").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Sharing power: page for organisers"
    )
    assert page.locator("#count-confirmed").inner_text() == "3 + 1 companion"

    page.get_by_role("link", name="Sign-in sheet (to print)").click()
    assert page.locator(".sign-in-name").all_inner_texts() == [
        "Ann Able",
        "Bea Bold",
        "Cy Cole + companion",
    ]
    assert page.locator(".no-photo").all_text_contents() == ["", "⊘Not to be photographed", ""]
    assert page.locator("#header").is_visible()

    page.emulate_media(media="print")
    for admin_part in ["#header", ".breadcrumbs", "#nav-sidebar", ".print-hint"]:
        assert page.locator(admin_part).is_hidden(), admin_part
    assert page.locator(".sign-in-sheet").is_visible()
    assert page.locator("#photo-key").is_visible()

    page.emulate_media(media="screen")
    page.get_by_role("link", name="Name badges").click()
    page.emulate_media(media="print")
    assert page.locator("#header").is_hidden()
    badges = page.locator(".badge")
    assert badges.all_inner_texts() == [
        "Ann Able\nshe/her\nLeeds Mind\nSharing power",
        "Bea Bold\nthey/them\nSharing power",
        "Cy Cole\nSharing power",
    ]
    # Two to a row on A4: the first two side by side, the third below.
    first, second, third = (badges.nth(n).bounding_box() for n in range(3))
    assert (first["y"] == second["y"], second["x"] > first["x"], third["y"] > first["y"]) == (
        True,
        True,
        True,
    )
    # The fullest badge (name, pronouns, organisation, seminar) fits its card.
    assert badges.evaluate_all(
        "(cards) => cards.map((card) => card.scrollHeight <= card.clientHeight)"
    ) == [True, True, True]
