"""The demo shows payments with fictional people: an accepted offer with a submitted claim,
and an offer waiting for the demo speaker's answer. Loading again changes nothing."""

import pytest
from django.utils import timezone
from mailer.models import Message

from people.payments.models import ExpenseClaim, ExpenseItem, InvolvementOffer
from seminars.management.commands.load_demo import FICTIONAL_PEOPLE, demo_load
from seminars.models import Seminar

pytestmark = pytest.mark.django_db


def offers():
    return sorted(
        InvolvementOffer.objects.values_list("person__slug", "seminar__slug", "answer", "fee")
    )


def test_demo_has_an_accepted_offer_with_a_submitted_claim_and_loads_again_unchanged(mail_queue):
    demo_load()
    first = offers()
    InvolvementOffer.objects.filter(person__slug="ada-example").update(
        answer="declined", answered_at=timezone.now()
    )

    demo_load()

    assert [(slug, answer) for slug, _seminar, answer, _fee in first] == [
        ("ada-example", "waiting"),
        ("bilal-sample", "accepted"),
    ]
    assert {slug for slug, *_ in first} <= FICTIONAL_PEOPLE.keys()
    assert {seminar for _slug, seminar, *_ in first} == {"seminar-2-peer-support-and-power"}
    assert Seminar.objects.get(slug="seminar-2-peer-support-and-power").status == "published"
    # The demo speaker's own answer is kept; nothing is duplicated.
    assert [answer for _slug, _seminar, answer, _fee in offers()] == ["declined", "accepted"]
    assert list(ExpenseClaim.objects.values_list("offer__person__slug", "status")) == [
        ("bilal-sample", "submitted")
    ]
    assert ExpenseItem.objects.count() == 1
    assert Message.objects.count() == 0  # fictional people are not emailed
