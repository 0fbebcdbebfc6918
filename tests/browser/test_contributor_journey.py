"""A contributor's journey: the offer's email, logging in, answering the offer, claiming
expenses with a receipt, and changing the claim after the organisers' question."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from PIL import Image

from people.payments import services
from people.payments.models import ExpenseClaim, InvolvementOffer
from tests.browser.conftest import queued_links
from tests.factories import PersonFactory, SeminarFactory, UserFactory

PASSWORD = "a sturdy passphrase 2026"
TRAIN_DAY = dt.date.today() - dt.timedelta(days=12)
CARE_DAY = dt.date.today() - dt.timedelta(days=11)


@pytest.fixture
def offered(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    user = UserFactory(email="bilal@example.org", password=PASSWORD)
    person = PersonFactory(name="Bilal Sample", email="bilal@example.org", user=user)
    seminar = SeminarFactory(title="Peer support and power")
    offer = InvolvementOffer(
        seminar=seminar,
        person=person,
        fee=Decimal("150.00"),
        covers_travel=True,
        covers_care=True,
        how_to_claim="Claim after the seminar, with your receipts.",
    )
    services.offer_save(offer=offer, changed_fields=[])
    return offer


def receipt_photo(tmp_path):
    path = tmp_path / "ticket.png"
    Image.new("RGB", (600, 400), (240, 240, 230)).save(path)
    return path


def test_contributor_answers_the_offer_and_claims_expenses(any_page, offered, organiser, tmp_path):
    page = any_page
    [offer_url] = set(queued_links("bilal@example.org", "/profile/offers/"))

    page.goto(offer_url)
    page.get_by_label(re.compile(r"^\s*Email address")).fill("bilal@example.org")
    page.get_by_label(re.compile(r"^\s*Password")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**/profile/offers/{offered.pk}/")
    main = page.locator("main")
    assert "£150.00" in main.inner_text()
    assert "You do not have to accept." in main.inner_text()
    assert "a payment or a voucher can affect them" in main.inner_text()

    page.get_by_label("Yes, I accept", exact=True).check()
    page.get_by_role("button", name="Send my answer").click()
    assert "Thank you: your answer is saved." in main.inner_text()
    offered.refresh_from_db()
    assert offered.answer == InvolvementOffer.Answer.ACCEPTED

    page.get_by_role("link", name="Claim expenses").click()
    page.locator("#id_items-0-description").fill("Return train, Leeds to York")
    page.locator("#id_items-0-category").select_option(label="Travel")
    page.locator("#id_items-0-amount").fill("23.40")
    page.locator("#id_items-0-spent_on").fill(TRAIN_DAY.isoformat())
    page.locator("#id_items-1-description").fill("Childminder for the day")
    page.locator("#id_items-1-category").select_option("care")
    page.locator("#id_items-1-amount").fill("-45")
    page.locator("#id_items-1-spent_on").fill(CARE_DAY.isoformat())
    page.get_by_label("Receipt (optional)").set_input_files(receipt_photo(tmp_path))
    page.get_by_role("button", name="Send my claim").click()

    # A negative amount: the summary names it and links to the field; nothing is saved.
    assert page.title().startswith("Error: ")
    summary = page.locator("#error-summary")
    assert summary.inner_text().splitlines()[-1] == "Item 2: The amount must be more than £0."
    assert ExpenseClaim.objects.count() == 0
    page.locator("#id_items-1-amount").fill("45")
    # The file is chosen again: a browser never sends a file twice.
    page.get_by_label("Receipt (optional)").set_input_files(receipt_photo(tmp_path))
    page.get_by_role("button", name="Send my claim").click()

    assert "Thank you: your claim is sent to the organisers." in main.inner_text()
    claim = ExpenseClaim.objects.get()
    assert [row.inner_text().split("\t") for row in page.locator("tbody tr").all()] == [
        ["Return train, Leeds to York", "Travel", f"{TRAIN_DAY:%-d %B %Y}", "£23.40"],
        [
            "Childminder for the day",
            "Care (someone to look after a person you care for)",
            f"{CARE_DAY:%-d %B %Y}",
            "£45.00",
        ],
    ]
    with page.expect_download() as download:
        page.get_by_role("link", name="download the receipt you sent").click()
    assert download.value.suggested_filename == f"receipt-claim-{claim.pk}.png"

    services.claim_query(claim=claim, by=organiser, message="Was the childminder for 8 hours?")
    page.reload()
    assert "Was the childminder for 8 hours?" in main.inner_text()
    page.locator("#id_items-1-description").fill("Childminder for 8 hours")
    page.get_by_role("button", name="Send my changed claim").click()

    assert "Thank you: your changed claim is sent to the organisers." in main.inner_text()
    claim.refresh_from_db()
    assert (
        claim.status,
        [item.description for item in claim.items.all()],
        bool(claim.receipt),
    ) == (
        ExpenseClaim.Status.SUBMITTED,
        ["Return train, Leeds to York", "Childminder for 8 hours"],
        True,
    )
