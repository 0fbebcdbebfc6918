"""A contributor's pages: the offer on /profile/, answering, claiming with a receipt, amending
after a query; and the organisers' side of the same journey, to the finance CSV."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from people.payments.models import ExpenseClaim, InvolvementOffer
from people.services import ORGANISERS_GROUP
from tests.factories import SeminarFactory, UserFactory
from tests.html import form_data, page, page_with_status, text, texts
from tests.people.payments.factories import (
    InvolvementOfferFactory,
    claim_make,
    image_bytes,
    item,
    pdf_bytes,
    upload,
)

pytestmark = pytest.mark.django_db

Status = ExpenseClaim.Status
YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _queue(mail_queue):
    return mail_queue


def claim_data(items=(), **overrides):
    """What the claim form posts: its management form and up to five item rows."""
    data = {
        "items-TOTAL_FORMS": "5",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "5",
        "note": "",
    }
    for index, row in enumerate(items):
        for name, value in row.items():
            data[f"items-{index}-{name}"] = value
    data.update(overrides)
    return data


def row(**overrides):
    return {
        "description": "Return train, Leeds to York",
        "category": "travel",
        "amount": "23.40",
        "spent_on": YESTERDAY.isoformat(),
        **overrides,
    }


def admin_decide(admin, change_url, **choices):
    """Post the claim's admin page as an organiser fills it in: the page's own form data."""
    form = page(admin.get(change_url)).select_one("form#expenseclaim_form")
    data = {name: values[0] for name, values in form_data(form).items()}
    return admin.post(change_url, {**data, **choices})


def test_profile_shows_the_offer_plainly_and_links_to_the_answer(client, contributor):
    seminar = SeminarFactory(title="Sharing power")
    InvolvementOfferFactory(seminar=seminar, person=contributor, fee=Decimal("150.00"))

    soup = page(client.get("/profile/"))

    assert texts(soup, "#offers-title + p + ul li p.mb-1")[1:] == [
        "A fee of £150.00 for your time, and your expenses for travel, "
        "care (someone to look after a person you care for).",
        "Waiting for your answer.",
    ]
    assert [a.get_text() for a in soup.select("section[aria-labelledby=offers-title] li a")] == [
        "Read the offer for Sharing power and answer"
    ]


def test_offer_page_says_they_may_decline_and_that_benefits_can_be_affected(client, contributor):
    offer = InvolvementOfferFactory(person=contributor)

    soup = page(client.get(f"/profile/offers/{offer.pk}/"))

    before = texts(soup, "section[aria-labelledby=before-title] p")
    assert before == [
        "You do not have to accept. You can decline, or take the fee as a voucher instead of "
        "money. You can change your answer until you are paid.",
        "If you receive benefits, a payment or a voucher can affect them. Please get advice "
        "before you accept.",
        "An independent benefits adviser can tell you how this payment might affect you. If "
        "you are not sure where to find one, ask the organisers.",
        "This site does not store bank details: never enter them here.",
    ]
    assert [label.get_text(strip=True) for label in soup.select("input[name=answer] + label")] == [
        "Yes, I accept",
        "Yes, I accept the fee as a voucher instead of money",
        "No, I decline",
    ]
    assert text(soup, "section[aria-labelledby=claim-how-title] .prose") == (
        "Claim within a month of the seminar. Keep your tickets."
    )


def test_offer_page_shows_the_organisers_advice_when_they_wrote_some(client, contributor):
    offer = InvolvementOfferFactory(
        person=contributor,
        fee=Decimal("0.00"),
        benefits_advice="Ask [the advice line](https://advice.example.org) first.",
    )

    soup = page(client.get(f"/profile/offers/{offer.pk}/"))

    assert texts(soup, "section[aria-labelledby=before-title] p")[:3] == [
        "You do not have to accept. You can decline. You can change your answer until you "
        "are paid.",
        "If you receive benefits, a payment can affect them. Please get advice before you accept.",
        "Ask the advice line first.",
    ]
    assert soup.select_one("section[aria-labelledby=before-title] a")["href"] == (
        "https://advice.example.org"
    )
    assert [label.get_text(strip=True) for label in soup.select("input[name=answer] + label")] == [
        "Yes, I accept",
        "No, I decline",
    ]


def test_whole_journey_offer_accept_claim_approve_pay_and_export(
    client, contributor, private_media
):
    seminar = SeminarFactory(title="Sharing power", slug="sharing-power")
    offer = InvolvementOfferFactory(seminar=seminar, person=contributor, fee=Decimal("150.00"))

    # The contributor accepts.
    response = client.post(f"/profile/offers/{offer.pk}/", {"answer": "accepted", "revision": 1})
    assert response.status_code == 302
    soup = page(client.get(response["Location"]))
    assert text(soup, "p.notice") == "Thank you: your answer is saved."
    assert text(soup, "section[aria-labelledby=answer-title] > p") == (
        f"You accepted it on {timezone.localdate():%-d %B %Y}."
    )

    # …and claims, with a PDF receipt.
    response = client.post(
        f"/profile/offers/{offer.pk}/claims/new/",
        {
            **claim_data([row(), row(description="Childminder", category="care", amount="45")]),
            "receipt": upload(pdf_bytes(), name="Bilal's receipts.pdf"),
        },
    )
    claim = ExpenseClaim.objects.get()
    assert response["Location"] == f"/profile/claims/{claim.pk}/"
    soup = page(client.get(response["Location"]))
    assert text(soup, "p.notice") == "Thank you: your claim is sent to the organisers."
    assert texts(soup, "table tbody tr") == [
        f"Return train, Leeds to York Travel {YESTERDAY:%-d %B %Y} £23.40",
        f"Childminder Care (someone to look after a person you care for) {YESTERDAY:%-d %B %Y} "
        "£45.00",
    ]
    assert text(soup, "table tfoot") == "Total £68.40"
    assert claim.receipt.name.startswith("receipts/") and "Bilal" not in claim.receipt.name
    assert claim.receipt_type == "application/pdf"

    # An organiser approves it in the admin, then marks it paid.
    organiser = UserFactory(email="org@example.org", is_staff=True)
    organiser.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    admin = Client()
    admin.force_login(organiser)
    change_url = f"/admin/people/expenseclaim/{claim.pk}/change/"
    assert admin_decide(admin, change_url, decision="approve").status_code == 302
    response = admin_decide(admin, change_url, decision="paid", paid_date="2030-04-02")
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.paid_on, claim.decided_by) == (
        Status.PAID,
        dt.date(2030, 4, 2),
        organiser,
    )
    soup = page(client.get(f"/profile/claims/{claim.pk}/"))
    assert text(soup, ".lead-summary").endswith("Status: Paid on 2 April 2030.")

    # The finance CSV of the seminar holds the fee and both items, and no bank details.
    response = admin.post(
        "/admin/people/involvementoffer/",
        {"action": "download_finance_csv", "_selected_action": [offer.pk]},
    )
    assert response["Content-Disposition"] == 'attachment; filename="finance-sharing-power.csv"'
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    day = seminar.starts_at.date().isoformat()
    assert rows == [
        [
            "seminar", "seminar date", "person", "what", "claim", "kind", "description",
            "date", "amount (GBP)", "status", "approved on", "paid on",
        ],
        ["Sharing power", day, "Bilal Sample", "fee", "", "", "", "", "150.00", "accepted", "", ""],
        [
            "Sharing power", day, "Bilal Sample", "expenses", str(claim.pk), "Travel",
            "Return train, Leeds to York", YESTERDAY.isoformat(), "23.40", "paid",
            timezone.localdate().isoformat(), "2030-04-02",
        ],
        [
            "Sharing power", day, "Bilal Sample", "expenses", str(claim.pk),
            "Care (someone to look after a person you care for)", "Childminder",
            YESTERDAY.isoformat(), "45.00", "paid", timezone.localdate().isoformat(),
            "2030-04-02",
        ],
    ]  # fmt: skip


def test_finance_csv_leaves_out_unapproved_claims_declined_offers_and_quotes_formulas(
    organiser_client,
):
    seminar = SeminarFactory(slug="spring")
    accepted = InvolvementOfferFactory(seminar=seminar, accepted=True)
    claim_make(accepted, items=[item(description="=HYPERLINK(1)")])
    declined = InvolvementOfferFactory(
        seminar=seminar, answer=InvolvementOffer.Answer.DECLINED, answered_at=timezone.now()
    )
    approved = claim_make(InvolvementOfferFactory(seminar=seminar, accepted=True, fee=0),
                          items=[item(description="=SUM(A1)")])  # fmt: skip
    from people.payments.services import claim_approve

    claim_approve(claim=approved, by=None)

    response = organiser_client.post(
        "/admin/people/involvementoffer/",
        {
            "action": "download_finance_csv",
            "_selected_action": list(
                InvolvementOffer.objects.filter(seminar=seminar).values_list("pk", flat=True)
            ),
        },
    )

    rows = list(csv.reader(io.StringIO(response.content.decode().removeprefix("\ufeff"))))
    assert [(r[2], r[3], r[6], r[8]) for r in rows[1:]] == sorted(
        [
            (accepted.person.name, "fee", "", "120.00"),
            (approved.offer.person.name, "expenses", "'=SUM(A1)", "23.40"),
        ]
    )
    assert declined.person.name not in response.content.decode()


def test_finance_csv_of_offers_from_two_seminars_is_refused_with_a_message(organiser_client):
    offers = [InvolvementOfferFactory(), InvolvementOfferFactory()]

    response = organiser_client.post(
        "/admin/people/involvementoffer/",
        {"action": "download_finance_csv", "_selected_action": [o.pk for o in offers]},
        follow=True,
    )

    assert "Choose the offers of one seminar" in response.content.decode()


def test_queried_claim_shows_the_question_and_is_amended_and_resubmitted(client, contributor):
    offer = InvolvementOfferFactory(person=contributor, accepted=True)
    claim = claim_make(offer)
    from people.payments.services import claim_query

    claim_query(claim=claim, by=None, message="Was the train first class?")

    soup = page(client.get(f"/profile/claims/{claim.pk}/"))
    assert text(soup, "section[aria-labelledby=query-title] p") == "Was the train first class?"
    form = soup.select_one("section[aria-labelledby=amend-title] form")
    data = {name: values[0] for name, values in form_data(form).items()}
    assert (data["items-0-description"], data["items-0-amount"], data["revision"]) == (
        "Return train, Leeds to York",
        "23.40",
        "2",
    )
    data["items-0-description"] = "Standard class return"

    response = client.post(f"/profile/claims/{claim.pk}/", data)

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.items.get().description) == (
        Status.SUBMITTED,
        "Standard class return",
    )
    # The same form sent again (a second click) changes nothing and says why.
    again = client.post(f"/profile/claims/{claim.pk}/", data)
    soup = page_with_status(again, 409)
    assert "cannot be changed here" in text(soup, "#error-summary li")
    assert soup.select("section[aria-labelledby=amend-title]") == []


def test_claim_form_offers_only_the_kinds_the_offer_covers(client, contributor):
    offer = InvolvementOfferFactory(
        person=contributor, accepted=True, covers_care=False, covers_accommodation=True
    )

    soup = page(client.get(f"/profile/offers/{offer.pk}/claims/new/"))

    assert [o.get_text() for o in soup.select("#id_items-0-category option")] == [
        "Choose one",
        "Travel",
        "Accommodation",
    ]
    assert text(soup, "form p.notice").startswith("This site does not store bank details")
    assert texts(soup, "legend") == [
        "Item 1",
        "Item 2 (optional)",
        "Item 3 (optional)",
        "Item 4 (optional)",
        "Item 5 (optional)",
    ]


def test_profile_and_offer_pages_query_counts_are_constant(
    client, contributor, django_assert_num_queries
):
    offer = InvolvementOfferFactory(person=contributor, accepted=True)
    claim_make(offer, receipt=upload(image_bytes()))
    with django_assert_num_queries(10):
        client.get("/profile/")
    with django_assert_num_queries(4):
        client.get(f"/profile/offers/{offer.pk}/")
    for _ in range(4):
        claim_make(InvolvementOfferFactory(person=contributor, accepted=True))
        claim_make(offer, items=[item(), item(category="care")])
    with django_assert_num_queries(10):
        client.get("/profile/")
    with django_assert_num_queries(4):
        client.get(f"/profile/offers/{offer.pk}/")


def test_claim_page_query_count_is_constant(client, contributor, django_assert_num_queries):
    offer = InvolvementOfferFactory(person=contributor, accepted=True)
    few = claim_make(offer)
    many = claim_make(offer, items=[item(description=f"Bus {n}") for n in range(5)])

    with django_assert_num_queries(4):
        client.get(f"/profile/claims/{few.pk}/")
    with django_assert_num_queries(4):
        client.get(f"/profile/claims/{many.pk}/")
