"""Arbitrary input at the contributor's payment forms: a 4xx with a message, or a success
whose stored values keep every rule, never a 500 (hypothesis; see tests/test_input_properties)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from people.payments.models import MAX_ITEM_AMOUNT, ExpenseItem, InvolvementOffer
from tests.people.payments.factories import InvolvementOfferFactory
from tests.people.payments.test_contributor_pages import claim_data, row
from tests.test_input_properties import _error_summary, any_text, rolled_back

pytestmark = pytest.mark.django_db

amounts = st.one_of(
    any_text,
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(["1e5", "-0", "0.001", "£12", "12,50", " 12.50 ", "1_000", "Infinity"]),
)
dates = st.one_of(
    any_text,
    st.dates().map(lambda day: day.isoformat()),
    st.sampled_from(["0000-00-00", "2030-13-01", "9999-12-31", "-2020-01-01", "2030/01/02"]),
)
categories = st.one_of(any_text, st.sampled_from(["travel", "care", "accommodation", ""]))


@given(description=any_text, amount=amounts, spent_on=dates, category=categories, note=any_text)
def test_any_claim_is_stored_within_the_rules_or_refused_with_a_message(
    client, contributor, description, amount, spent_on, category, note
):
    offer = InvolvementOfferFactory(person=contributor, accepted=True)
    item = row(description=description, amount=amount, spent_on=spent_on, category=category)
    with rolled_back():
        response = client.post(
            f"/profile/offers/{offer.pk}/claims/new/", claim_data([item], note=note)
        )

        assert response.status_code in {302, 400}
        if response.status_code == 400:
            assert _error_summary(response) != []
        else:
            [stored] = ExpenseItem.objects.filter(claim__offer=offer)
            assert Decimal("0.01") <= stored.amount <= MAX_ITEM_AMOUNT
            assert stored.category in offer.covered_categories
            assert "\n" not in stored.description and len(stored.description) <= 200


@given(answer=st.one_of(any_text, st.sampled_from(["accepted", "voucher", "declined"])),
       revision=st.one_of(any_text, st.integers().map(str)))  # fmt: skip
def test_any_answer_is_stored_or_refused_with_a_message(client, contributor, answer, revision):
    offer = InvolvementOfferFactory(person=contributor)
    with rolled_back():
        response = client.post(
            f"/profile/offers/{offer.pk}/", {"answer": answer, "revision": revision}
        )

        assert response.status_code in {302, 400, 409}
        offer.refresh_from_db()
        if response.status_code == 302:
            assert (offer.answer, int(revision)) == (answer, 1)
        else:
            assert offer.answer == InvolvementOffer.Answer.WAITING
            assert _error_summary(response) != []
