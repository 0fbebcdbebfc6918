"""Reading offers and claims: a contributor's own, and the finance export's rows."""

import csv
import datetime as dt

from django.db.models import Prefetch, Sum
from django.utils import timezone

from people.payments.models import ExpenseClaim, ExpenseItem, InvolvementOffer
from seminars.exports import spreadsheet_safe


def claims_with_totals():
    return ExpenseClaim.objects.annotate(total=Sum("items__amount")).order_by(
        "-submitted_at", "-pk"
    )


def person_offers(person):
    """A person's offers, soonest seminar first, each with its claims (`claim_list`), in two
    queries whatever their number."""
    return list(
        InvolvementOffer.objects.filter(person=person)
        .select_related("seminar")
        .prefetch_related(Prefetch("claims", queryset=claims_with_totals(), to_attr="claim_list"))
        .order_by("-seminar__starts_at", "pk")
    )


def own_offers(user):
    """The offers a logged-in person may see: their own, never anyone else's."""
    return InvolvementOffer.objects.filter(person__user=user).select_related("seminar", "person")


def own_claims(user):
    return ExpenseClaim.objects.filter(offer__person__user=user).select_related(
        "offer__seminar", "offer__person"
    )


FINANCE_CSV_HEADER = [
    "seminar",
    "seminar date",
    "person",
    "what",
    "claim",
    "kind",
    "description",
    "date",
    "amount (GBP)",
    "status",
    "approved on",
    "paid on",
]


def _date(value):
    """A date, or a moment's date in UK time, as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def finance_csv_write(*, offers, stream):
    """Write the fees and the approved (or paid) claims of `offers` as CSV, starting with a
    byte order mark (so that Excel reads UTF-8), every cell safe from formula injection.

    One row a fee that was accepted (as money or as a voucher) and is more than nothing, and
    one row an item of each approved or paid claim. No bank details: the site has none.
    """
    offers = list(
        offers.select_related("seminar", "person")
        .prefetch_related(
            Prefetch(
                "claims",
                queryset=ExpenseClaim.objects.filter(
                    status__in=[ExpenseClaim.Status.APPROVED, ExpenseClaim.Status.PAID]
                ).prefetch_related(Prefetch("items", queryset=ExpenseItem.objects.all())),
                to_attr="finance_claims",
            )
        )
        .order_by("seminar__starts_at", "person__name", "pk")
    )
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow(FINANCE_CSV_HEADER)
    Answer = InvolvementOffer.Answer
    for offer in offers:
        seminar = [offer.seminar.title, _date(offer.seminar.starts_at), offer.person.name]
        if offer.answer in {Answer.ACCEPTED, Answer.VOUCHER} and offer.fee > 0:
            writer.writerow(
                spreadsheet_safe(value)
                for value in [
                    *seminar,
                    "fee as a voucher" if offer.answer == Answer.VOUCHER else "fee",
                    "",
                    "",
                    "",
                    "",
                    offer.fee,
                    "paid" if offer.fee_paid_on else "accepted",
                    "",
                    _date(offer.fee_paid_on),
                ]
            )
        for claim in offer.finance_claims:
            for item in claim.items.all():
                writer.writerow(
                    spreadsheet_safe(value)
                    for value in [
                        *seminar,
                        "expenses",
                        claim.pk,
                        item.get_category_display(),
                        item.description,
                        _date(item.spent_on),
                        item.amount,
                        claim.get_status_display().lower(),
                        _date(claim.approved_at),
                        _date(claim.paid_on),
                    ]
                )
