"""The registration form as a screen reader meets it: chromium's own accessibility tree.

For every control: its role, its accessible name (which must be the words of its visible
label, with no "star" and nothing else), its description (the hint, then the error, linked
with aria-describedby), and whether it is required and invalid. Compared by equality, empty
and after a submit with errors.
"""

import pytest

from tests.factories import SeminarFactory

CONTROLS = "main form :is(input:not([type=hidden]), select, textarea, button)"
CONSENT = (
    "I agree that the organisers may use these details to run this seminar, as the privacy "
    "notice explains."
)
SENSITIVE = (
    "Only the organisers see this, to make the day work for you. Your details are deleted 90 "
    "days after the seminar ends."
)
COMPANION = (
    "checkbox",
    "I will bring a companion or personal assistant",
    "They do not need to register or give an email address. They take a place in the room "
    "too, so the organisers know to expect them.",
    False,
    False,
)
# Access needs: checkboxes in a fieldset, whose legend and hint name and describe the group.
NEEDS = [
    ("checkbox", name, "", False, False)
    for name in [
        "Step-free access (level or ramped access, or a lift, to every room used)",
        "Hearing loop (for hearing aids with a T setting)",
        "BSL interpretation (British Sign Language interpreters)",
        "Live captions (what is said, as text on a screen in the room)",
        "Quiet room (a calm space to take a break in)",
        "Accessible toilets",
        "Regular breaks (a break at least every hour)",
        "Relaxed format (move around, come and go, and take part as you wish)",
        "Captions online (captions for people joining online)",
    ]
]
PHOTOGRAPH = (
    "checkbox",
    "I do not want to be photographed",
    "The organisers will ask anyone taking photographs at the seminar not to photograph you.",
    False,
    False,
)
EMAIL_HINT = "We send your confirmation and a private link to manage your place here."
PRONOUNS_HINT = "For your name badge, for example she/her or they/them."
ROLE_HINT = "It helps the organisers see whose voices are in the room."


def accessibility_tree(page):
    """[(role, name, description, required, invalid)] for each control of the form that the
    accessibility tree holds (the hidden honeypot is not in it)."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    found = []
    for node_id in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": CONTROLS})[
        "nodeIds"
    ]:
        [node] = cdp.send(
            "Accessibility.getPartialAXTree", {"nodeId": node_id, "fetchRelatives": False}
        )["nodes"]
        if node.get("ignored"):
            continue
        properties = {item["name"]: item["value"].get("value") for item in node["properties"]}
        found.append(
            (
                node["role"]["value"],
                node["name"]["value"],
                node.get("description", {}).get("value", ""),
                properties.get("required", False),
                properties.get("invalid") == "true",
            )
        )
    cdp.detach()
    return found


VISIBLE_LABELS = """() => [...document.querySelectorAll("main form :is(input, select, textarea)")]
  .filter((control) => control.type !== "hidden" && control.offsetParent !== null)
  .map((control) => control.labels[0].innerText.replace(/\\s+/g, " ").trim())"""


@pytest.fixture
def seminar(site):
    return SeminarFactory(title="Sharing power", capacity=30)


def test_the_registration_form_names_and_describes_every_field(page, seminar):
    page.goto(seminar.get_absolute_url() + "register/")

    assert accessibility_tree(page) == [
        ("textbox", "Your name", "", True, False),
        ("textbox", "Email address", EMAIL_HINT, True, False),
        ("textbox", "Pronouns (optional)", PRONOUNS_HINT, False, False),
        ("textbox", "Organisation (optional)", "", False, False),
        ("combobox", "How do you describe your involvement? (optional)", ROLE_HINT, False, False),
        COMPANION,
        *NEEDS,
        ("textbox", "Access requirements (optional)", SENSITIVE, False, False),
        ("textbox", "Dietary requirements (optional)", SENSITIVE, False, False),
        PHOTOGRAPH,
        ("checkbox", CONSENT, "You need to agree to register.", False, False),
        ("button", "Register", "", False, False),
    ]
    names = [name for role, name, *_ in accessibility_tree(page) if role != "button"]
    assert names == page.evaluate(VISIBLE_LABELS)


def test_after_errors_each_field_is_described_by_its_hint_then_its_error(page, seminar):
    page.goto(seminar.get_absolute_url() + "register/")
    page.get_by_label("Email address").fill("not an address")
    with page.expect_navigation():  # read the form the server sent back, not the one sent
        page.get_by_role("button", name="Register").click()

    assert accessibility_tree(page) == [
        ("textbox", "Your name", "Error: Enter your name.", True, True),
        (
            "textbox",
            "Email address",
            f"{EMAIL_HINT} Error: Enter an email address like name@example.org.",
            True,
            True,
        ),
        ("textbox", "Pronouns (optional)", PRONOUNS_HINT, False, False),
        ("textbox", "Organisation (optional)", "", False, False),
        ("combobox", "How do you describe your involvement? (optional)", ROLE_HINT, False, False),
        COMPANION,
        *NEEDS,
        ("textbox", "Access requirements (optional)", SENSITIVE, False, False),
        ("textbox", "Dietary requirements (optional)", SENSITIVE, False, False),
        PHOTOGRAPH,
        (
            "checkbox",
            CONSENT,
            "You need to agree to register. Error: Tick the box to agree to how your details "
            "are used.",
            False,
            True,
        ),
        ("button", "Register", "", False, False),
    ]
    names = [name for role, name, *_ in accessibility_tree(page) if role != "button"]
    assert names == page.evaluate(VISIBLE_LABELS)
