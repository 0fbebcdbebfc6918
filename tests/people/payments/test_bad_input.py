"""Bad input to offers and claims: a clear message and a 4xx, never a 500, nothing saved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from people.payments import services
from people.payments.models import ExpenseClaim, InvolvementOffer
from tests.factories import PersonFactory, UserFactory
from tests.html import page_with_status, text, texts
from tests.people.payments.factories import InvolvementOfferFactory, claim_make, upload
from tests.people.payments.test_contributor_pages import claim_data, row

pytestmark = pytest.mark.django_db

NOT_A_NUMBER = "Item 1: Enter the amount in pounds as a number, for example 12.50."


@pytest.fixture(autouse=True)
def _queue(mail_queue):
    return mail_queue


@pytest.fixture
def offer(contributor):
    return InvolvementOfferFactory(person=contributor, accepted=True)


def claim_errors(response, status=400):
    return texts(page_with_status(response, status), "#error-summary li")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amount": "-5.00"}, "Item 1: The amount must be more than £0."),
        ({"amount": "0"}, "Item 1: The amount must be more than £0."),
        (
            {"amount": "25000"},
            "Item 1: That is more than £10,000. Please check the amount, or talk to the "
            "organisers about a cost this large.",
        ),
        ({"amount": "99999999999"}, "Item 1: That is more than £10,000. Please check the amount."),
        ({"amount": "12.345"}, "Item 1: Enter the amount in pounds and pence, for example 12.50."),
        ({"amount": "twelve"}, NOT_A_NUMBER),
        ({"amount": "NaN"}, NOT_A_NUMBER),
        (
            {"spent_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat()},
            "Item 1: The date cannot be in the future.",
        ),
        ({"spent_on": "2030-02-30"}, "Item 1: Enter a real date, for example 2030-03-27."),
        ({"spent_on": "1066-10-14"}, "Item 1: Please check the date: it is a long time ago."),
        ({"description": ""}, "Item 1: Enter what this expense was for."),
        ({"description": "Line one\nline two"}, "Item 1: Enter this on one line: line breaks "
         "and control characters cannot be used here."),
        ({"category": "accommodation"}, "Item 1: Select a valid choice. accommodation is not "
         "one of the available choices."),
    ],
    ids=[
        "negative", "zero", "huge", "far-too-huge", "fractions-of-pence", "words", "nan",
        "future", "no-such-day", "long-ago", "no-description", "two-lines", "not-covered",
    ],
)  # fmt: skip
def test_claim_with_a_bad_item_gets_a_message_and_saves_nothing(client, offer, fields, message):
    response = client.post(f"/profile/offers/{offer.pk}/claims/new/", claim_data([row(**fields)]))

    assert claim_errors(response) == [message]
    assert ExpenseClaim.objects.count() == 0


def test_claim_with_an_optional_row_half_filled_asks_for_the_rest(client, offer):
    response = client.post(
        f"/profile/offers/{offer.pk}/claims/new/",
        claim_data([row(), {"description": "Taxi", "category": "", "amount": "", "spent_on": ""}]),
    )

    assert claim_errors(response) == [
        "Item 2: Choose the kind of expense.",
        "Item 2: Enter the amount in pounds, for example 12.50.",
        "Item 2: Enter the date you paid it.",
    ]


def test_claim_with_no_items_asks_for_one(client, offer):
    response = client.post(f"/profile/offers/{offer.pk}/claims/new/", claim_data([]))

    assert claim_errors(response) == [
        "Item 1: Enter what this expense was for.",
        "Item 1: Choose the kind of expense.",
        "Item 1: Enter the amount in pounds, for example 12.50.",
        "Item 1: Enter the date you paid it.",
    ]


def test_claim_with_too_many_rows_is_refused(client, offer):
    data = claim_data([row() for _ in range(6)], **{"items-TOTAL_FORMS": "6"})

    response = client.post(f"/profile/offers/{offer.pk}/claims/new/", data)

    assert response.status_code == 400
    assert ExpenseClaim.objects.count() == 0


def test_claim_with_a_jpg_that_is_really_text_is_refused_by_the_field(client, offer):
    response = client.post(
        f"/profile/offers/{offer.pk}/claims/new/",
        {**claim_data([row()]), "receipt": upload(b"I am not a photo.", name="receipt.jpg")},
    )

    soup = page_with_status(response, 400)
    assert texts(soup, "#error-summary li") == [
        "This file is not a receipt we can read. Please send a photo (JPEG, PNG or WebP) or a PDF."
    ]
    assert soup.select_one("#error-summary a")["href"] == "#id_receipt"
    assert text(soup, "title").startswith("Error: ")
    assert ExpenseClaim.objects.count() == 0


def test_claim_with_a_receipt_over_10_mb_is_refused(client, offer):
    big = upload(b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), name="big.pdf")

    response = client.post(
        f"/profile/offers/{offer.pk}/claims/new/", {**claim_data([row()]), "receipt": big}
    )

    assert claim_errors(response) == [
        "The receipt is larger than 10 MB. Please send a smaller file."
    ]


def test_claim_note_over_2000_characters_is_refused(client, offer):
    response = client.post(
        f"/profile/offers/{offer.pk}/claims/new/", claim_data([row()], note="x" * 2001)
    )

    assert claim_errors(response) == ["Please keep this under 2,000 characters."]


def test_someone_elses_offer_and_claim_answer_404(client, contributor):
    other = PersonFactory(user=UserFactory())
    their_offer = InvolvementOfferFactory(person=other, accepted=True)
    their_claim = claim_make(their_offer)

    answers = [
        client.get(f"/profile/offers/{their_offer.pk}/"),
        client.post(f"/profile/offers/{their_offer.pk}/", {"answer": "declined", "revision": 1}),
        client.get(f"/profile/offers/{their_offer.pk}/claims/new/"),
        client.post(f"/profile/offers/{their_offer.pk}/claims/new/", claim_data([row()])),
        client.get(f"/profile/claims/{their_claim.pk}/"),
        client.post(f"/profile/claims/{their_claim.pk}/", claim_data([row()])),
        client.get(f"/profile/claims/{their_claim.pk}/receipt/"),
        client.get("/profile/offers/999999/"),
    ]

    assert [response.status_code for response in answers] == [404] * 8
    their_offer.refresh_from_db()
    assert (their_offer.answer, ExpenseClaim.objects.count()) == ("accepted", 1)


def test_answering_a_stale_offer_shows_the_new_terms_and_saves_nothing(client, contributor):
    offer = InvolvementOfferFactory(person=contributor)
    offer.fee = Decimal("75.00")
    services.offer_save(offer=offer, changed_fields=["fee"])

    response = client.post(f"/profile/offers/{offer.pk}/", {"answer": "accepted", "revision": 1})

    soup = page_with_status(response, 409)
    assert texts(soup, "#error-summary li") == [
        "The organisers changed this offer after you opened it, so your answer was not saved. "
        "Please read the offer again, then answer."
    ]
    assert texts(soup, ".details-list dd")[0] == "£75.00"
    assert soup.select_one("input[name=revision]")["value"] == "2"
    offer.refresh_from_db()
    assert offer.answer == InvolvementOffer.Answer.WAITING


def test_answering_after_the_fee_is_paid_is_refused(client, contributor):
    offer = InvolvementOfferFactory(person=contributor, accepted=True)
    InvolvementOffer.objects.filter(pk=offer.pk).update(fee_paid_on=timezone.localdate())

    response = client.post(f"/profile/offers/{offer.pk}/", {"answer": "declined", "revision": 1})

    assert claim_errors(response, 409) == [
        "Your fee has been paid, so your answer can no longer change here. Please contact the "
        "organisers if something is wrong."
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"revision": 1}, "Please choose an answer."),
        ({"answer": "maybe", "revision": 1}, "Please choose one of the answers."),
        ({"answer": "accepted", "revision": "one"}, "Enter a whole number."),
    ],
)
def test_answer_with_a_bad_choice_gets_a_message(client, contributor, data, message):
    offer = InvolvementOfferFactory(person=contributor, fee=Decimal("0.00"))

    response = client.post(f"/profile/offers/{offer.pk}/", data)

    soup = page_with_status(response, 400)
    assert message in " ".join(texts(soup, "#error-summary li"))


def test_voucher_for_an_offer_without_a_fee_is_not_a_choice(client, contributor):
    offer = InvolvementOfferFactory(person=contributor, fee=Decimal("0.00"))

    response = client.post(f"/profile/offers/{offer.pk}/", {"answer": "voucher", "revision": 1})

    assert claim_errors(response) == ["Please choose one of the answers."]


def test_claiming_before_accepting_is_refused_with_a_reason(client, contributor):
    offer = InvolvementOfferFactory(person=contributor)

    shown = client.get(f"/profile/offers/{offer.pk}/claims/new/")
    sent = client.post(f"/profile/offers/{offer.pk}/claims/new/", claim_data([row()]))

    for response in (shown, sent):
        soup = page_with_status(response, 409)
        assert text(soup, "p.notice") == "You can claim expenses once you have accepted the offer."
    assert ExpenseClaim.objects.count() == 0


def test_offer_admin_refuses_a_negative_or_huge_fee_and_new_terms_once_paid(organiser_client):
    offer = InvolvementOfferFactory(accepted=True, fee_paid_on=dt.date(2030, 1, 1))
    url = f"/admin/people/involvementoffer/{offer.pk}/change/"
    base = {
        "seminar": offer.seminar.pk,
        "person": offer.person.pk,
        "fee": "120.00",
        "covers_travel": "on",
        "covers_care": "on",
        "how_to_claim": offer.how_to_claim,
        "benefits_advice": "",
        "fee_paid_on": "2030-01-01",
    }

    answers = {
        fee: organiser_client.post(url, {**base, "fee": fee}).content.decode()
        for fee in ["-1", "20000", "130.00"]
    }

    assert "Ensure this value is greater than or equal to 0.00." in answers["-1"]
    assert "Ensure this value is less than or equal to 10000.00." in answers["20000"]
    assert "The fee is paid, so the terms of this offer can no longer change." in answers["130.00"]
    offer.refresh_from_db()
    assert offer.fee == Decimal("120.00")


def test_claim_admin_refuses_a_decision_its_status_does_not_allow(organiser):
    claim = claim_make(InvolvementOfferFactory(accepted=True))
    client = Client()
    client.force_login(organiser)
    from tests.people.payments.test_contributor_pages import admin_decide

    response = admin_decide(
        client, f"/admin/people/expenseclaim/{claim.pk}/change/", decision="paid"
    )

    assert "This claim is submitted, so it cannot be marked as paid now." in (
        response.content.decode()
    )
    response = admin_decide(
        client, f"/admin/people/expenseclaim/{claim.pk}/change/", decision="query", message=""
    )
    assert "Write the question for the person." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.SUBMITTED
