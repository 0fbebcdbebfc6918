"""Payment offers and a claim for the demo site (load_demo): fictional people only.

Created when missing and never overwritten, so what someone does with them on the demo site
(answering Ada's offer, deciding on Bilal's claim) stays when the demo is loaded again.
No email is sent: the people are fictional.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from people.models import Person
from people.payments.models import ExpenseCategory, ExpenseClaim, ExpenseItem, InvolvementOffer

HOW_TO_CLAIM = (
    "*Demo text.* Claim on this site after the seminar: list what you paid for and add a "
    "photo or a PDF of each receipt. The organisers will arrange payment with you directly. "
    "Never send bank details through this site."
)

# (person slug, fee, what is covered, answered)
DEMO_OFFERS = [
    ("bilal-sample", Decimal("150.00"), {"covers_travel": True, "covers_care": True}, True),
    ("ada-example", Decimal("100.00"), {"covers_travel": True}, False),
]


def demo_payments_ensure(*, seminar, today=None):
    """Offers for two fictional people on `seminar`; Bilal's accepted, with one submitted
    claim. Returns the offers."""
    today = today or timezone.localdate()
    offers = []
    for slug, fee, covers, answered in DEMO_OFFERS:
        person = Person.objects.filter(slug=slug).first()
        if person is None:
            continue
        offer, created = InvolvementOffer.objects.get_or_create(
            seminar=seminar,
            person=person,
            defaults={
                "fee": fee,
                "how_to_claim": HOW_TO_CLAIM,
                **covers,
                **(
                    {"answer": InvolvementOffer.Answer.ACCEPTED, "answered_at": timezone.now()}
                    if answered
                    else {}
                ),
            },
        )
        if created and answered:
            _demo_claim(offer, today)
        offers.append(offer)
    return offers


def _demo_claim(offer, today):
    claim = ExpenseClaim.objects.create(
        offer=offer, submitted_at=timezone.now(), note="Demo claim: a fictional ticket."
    )
    ExpenseItem.objects.create(
        claim=claim,
        category=ExpenseCategory.TRAVEL,
        description="Advance return train ticket (fictional)",
        amount=Decimal("34.50"),
        spent_on=today - dt.timedelta(days=3),
    )
    return claim
