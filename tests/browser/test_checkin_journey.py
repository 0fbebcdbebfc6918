"""Check-in at the door, on a phone-sized screen with JavaScript off: an organiser finds the
check-in page from the seminar's admin page, searches, ticks someone arrived, undoes it,
and adds someone who walks in. Nothing makes the page scroll sideways."""

import re

from django.contrib.auth.models import Group

from people.services import ORGANISERS_GROUP
from seminars.models import Registration
from tests.factories import RegistrationFactory, SeminarFactory, UserFactory

SMALL_PHONE = {"width": 375, "height": 667}
PASSWORD = "a sturdy passphrase 2026"
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_check_in_at_the_door_on_a_phone_without_javascript(new_page, site):
    organiser = UserFactory(email="door@example.org", is_staff=True, password=PASSWORD)
    organiser.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    seminar = SeminarFactory(title="Sharing power", capacity=60)
    for number in range(40):
        RegistrationFactory(seminar=seminar, name=f"Registrant Number {number:02d}")
    RegistrationFactory(
        seminar=seminar,
        name="Zoë Ngozi-Ó Briain",
        organisation="A very long organisation name that would not fit on a small phone screen",
    )
    page = new_page(viewport=SMALL_PHONE, javascript=False)

    page.goto("/admin/")
    page.get_by_label("Email").fill("door@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/seminars/seminar/{seminar.pk}/change/")
    page.get_by_role("link", name="Check-in at the door").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check-in: Sharing power"
    assert page.locator("#checkin-counts").inner_text() == (
        "0 of 41 arrived. 19 places left in the room."
    )
    assert page.evaluate(SIDEWAYS) == 0

    page.get_by_label("Search by name or email").fill("briain")
    page.get_by_role("button", name="Find").click()
    assert page.locator(".checkin-name").all_inner_texts() == ["Zoë Ngozi-Ó Briain"]
    assert page.evaluate(SIDEWAYS) == 0

    page.get_by_role("button", name="Arrived: Zoë Ngozi-Ó Briain").click()
    assert re.fullmatch(
        r"Zoë Ngozi-Ó Briain: arrived at \d\d:\d\d\.", page.locator(".notice").inner_text()
    )
    assert page.get_by_label("Search by name or email").input_value() == "briain"
    assert page.locator("#checkin-counts").inner_text().startswith("1 of 41 arrived.")
    assert Registration.objects.get(name="Zoë Ngozi-Ó Briain").attended_at is not None

    page.get_by_role("button", name="Undo arrival of Zoë Ngozi-Ó Briain").click()
    assert page.locator(".notice").inner_text() == "Zoë Ngozi-Ó Briain: not arrived (undone)."
    assert Registration.objects.get(name="Zoë Ngozi-Ó Briain").attended_at is None
    assert page.evaluate(SIDEWAYS) == 0

    page.get_by_label("Their name").fill("Łukasz Nowak")
    page.get_by_label("Email address (optional)").fill("lukasz@example.org")
    page.get_by_role("button", name="Add and mark as arrived").click()
    assert page.locator(".notice").inner_text() == (
        "Łukasz Nowak is added as a walk-in, arrived. We have emailed them their private link."
    )
    walker = Registration.objects.get(name="Łukasz Nowak")
    assert (walker.is_walk_in, walker.attended_at is not None) == (True, True)
    page.get_by_label("Search by name or email").fill("")
    page.get_by_role("button", name="Find").click()
    assert page.locator("#checkin-counts").inner_text() == (
        "1 of 42 arrived. 18 places left in the room."
    )
    assert page.evaluate(SIDEWAYS) == 0
