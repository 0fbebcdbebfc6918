"""What changes offers and claims. Each function is one transaction that locks the row it
changes, so that an organiser and a contributor acting at once never overwrite each other.

Emails are queued (in the database) in the same transaction as the change they tell of, so
they go only if it is saved. The rules, in one place:
- An offer's terms (fee, what it covers, how to claim, the advice) are the organisers'. New
  terms raise its revision, clear any answer (it was to other terms) and email the person.
- The person answers accept, accept as a voucher, or decline, and may change the answer until
  the fee is paid. An answer to an older revision is refused: they must read the new terms.
- Claims go only against an accepted offer that covers expenses, for what it covers.
  submitted → approved → paid, or submitted/approved → queried → (amended) → submitted.
- Receipts are deleted `RECEIPT_RETENTION_DAYS` after their claim is paid (`receipts_purge`).
"""

import logging

from django.db import transaction
from django.utils import timezone

from coproseries.storage import STORAGE_ERRORS, storage_error_reason
from people.payments import emails
from people.payments.models import ExpenseClaim, ExpenseItem, InvolvementOffer

logger = logging.getLogger(__name__)

OFFER_TERMS = {
    "fee",
    "covers_travel",
    "covers_care",
    "covers_assistant",
    "covers_accommodation",
    "how_to_claim",
    "benefits_advice",
}
# What only the person (or the site) writes: an organiser's form never overwrites it.
OFFER_PERSON_FIELDS = ["answer", "answered_at", "revision", "sent_at"]


class PaymentError(Exception):
    """A change that cannot be made now; the message says why, for the person or organiser."""

    status = 409


class ReceiptNotStored(Exception):
    """The private storage refused the receipt (disk full, storage away): nothing was saved."""


# Offers


@transaction.atomic
def offer_save(*, offer, changed_fields):
    """Save an organiser's offer. Returns True when the person was emailed about it.

    A new offer, or new terms, raises the revision, clears any answer and emails the person;
    otherwise (the fee marked paid, say) the person's answer stays as they left it.
    """
    is_new = offer.pk is None
    terms_changed = is_new or bool(OFFER_TERMS & set(changed_fields))
    if not is_new:
        current = InvolvementOffer.objects.select_for_update().get(pk=offer.pk)
        for field in OFFER_PERSON_FIELDS:
            setattr(offer, field, getattr(current, field))
        if terms_changed:
            offer.revision = current.revision + 1
            offer.answer = InvolvementOffer.Answer.WAITING
            offer.answered_at = None
    offer.save()
    if not terms_changed:
        return False
    return offer_email(offer=offer)


def offer_email(*, offer):
    """Email the person their offer (again). False when they have no address."""
    if not emails.offer_email_send(offer=offer):
        return False
    offer.sent_at = timezone.now()
    InvolvementOffer.objects.filter(pk=offer.pk).update(sent_at=offer.sent_at)
    return True


@transaction.atomic
def offer_answer(*, offer, answer, revision):
    """Record the person's answer to the offer as they read it (`revision`)."""
    Answer = InvolvementOffer.Answer
    if answer not in {Answer.ACCEPTED, Answer.VOUCHER, Answer.DECLINED}:
        raise PaymentError("Please choose an answer.")
    offer = InvolvementOffer.objects.select_for_update().get(pk=offer.pk)
    if revision != offer.revision:
        raise PaymentError(
            "The organisers changed this offer after you opened it, so your answer was not "
            "saved. Please read the offer again, then answer."
        )
    if offer.fee_paid_on:
        raise PaymentError(
            "Your fee has been paid, so your answer can no longer change here. Please "
            "contact the organisers if something is wrong."
        )
    if answer == Answer.VOUCHER and not offer.fee:
        raise PaymentError("This offer has no fee to take as a voucher.")
    if answer == Answer.DECLINED and offer.claims.exists():
        raise PaymentError(
            "You have expense claims on this offer, so it cannot be declined here. Please "
            "contact the organisers."
        )
    if answer != offer.answer:
        offer.answer = answer
        offer.answered_at = timezone.now()
        offer.save(update_fields=["answer", "answered_at", "updated_at"])
    return offer


# Claims


def _claimable_offer(offer_pk, items):
    offer = (
        InvolvementOffer.objects.select_for_update(of=("self",))
        .select_related("seminar")
        .get(pk=offer_pk)
    )
    if not offer.is_accepted:
        raise PaymentError(
            "You can claim expenses once you have accepted the offer. The organisers may have "
            "changed it: please read it again."
        )
    covered = set(offer.covered_categories)
    if not covered:
        raise PaymentError("This offer does not cover expenses. Please contact the organisers.")
    if any(item["category"] not in covered for item in items):
        raise PaymentError(
            "The offer no longer covers one of the kinds of expense you chose. Please read "
            "the offer again."
        )
    return offer


def _items_replace(claim, items):
    claim.items.all().delete()
    ExpenseItem.objects.bulk_create(
        ExpenseItem(
            claim=claim,
            position=position,
            category=item["category"],
            description=item["description"],
            amount=item["amount"],
            spent_on=item["spent_on"],
        )
        for position, item in enumerate(items)
    )


def _receipt_store(claim, receipt):
    """Write the receipt (a checked ContentFile, its content type) into private storage."""
    content, content_type = receipt
    try:
        claim.receipt.save(content.name, content, save=False)
    except STORAGE_ERRORS as error:
        logger.error("A receipt could not be stored: %s", storage_error_reason(error))
        raise ReceiptNotStored from error
    claim.receipt_type = content_type
    claim.receipt_deleted_at = None


def _receipt_delete_on_commit(storage, name):
    if name:
        # Robust: a storage that fails to delete leaves an orphan, not a failed save.
        transaction.on_commit(lambda: storage.delete(name), robust=True)


@transaction.atomic
def claim_create(*, offer, items, receipt=None, note=""):
    """A new claim: `items` are dicts (category, description, amount, spent_on); `receipt`
    is what receipts.receipt_check returned, or None."""
    offer = _claimable_offer(offer.pk, items)
    claim = ExpenseClaim(offer=offer, note=note, submitted_at=timezone.now())
    claim.save()
    _items_replace(claim, items)
    if receipt is not None:
        _receipt_store(claim, receipt)
        claim.save(update_fields=["receipt", "receipt_type", "receipt_deleted_at"])
    emails.claim_submitted_email_send(claim=claim)
    return claim


@transaction.atomic
def claim_resubmit(*, claim, revision, items, receipt=None, remove_receipt=False, note=""):
    """The person's amended claim, after a query: back to the organisers as submitted."""
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ExpenseClaim.Status.QUERIED or revision != claim.revision:
        raise PaymentError(
            "This claim has changed since you opened it (it may already be sent again), so "
            "nothing was saved. Here it is as it stands."
        )
    _claimable_offer(claim.offer_id, items)
    old_receipt = claim.receipt.name
    _items_replace(claim, items)
    if receipt is not None:
        _receipt_store(claim, receipt)
    elif remove_receipt:
        claim.receipt = ""
        claim.receipt_type = ""
    if old_receipt and old_receipt != claim.receipt.name:
        _receipt_delete_on_commit(claim.receipt.storage, old_receipt)
    claim.note = note
    claim.status = ExpenseClaim.Status.SUBMITTED
    claim.submitted_at = timezone.now()
    claim.revision += 1
    claim.save()
    emails.claim_submitted_email_send(claim=claim)
    return claim


def _claim_for_organiser(claim, allowed):
    claim = (
        # Only the claim's row is locked: a person's login is an outer join, which
        # PostgreSQL will not lock.
        ExpenseClaim.objects.select_for_update(of=("self",))
        .select_related("offer__seminar__series", "offer__person__user")
        .get(pk=claim.pk)
    )
    if claim.status not in allowed:
        raise PaymentError(
            f"Claim {claim.pk} is {claim.get_status_display().lower()}: nothing was changed."
        )
    return claim


@transaction.atomic
def claim_approve(*, claim, by):
    Status = ExpenseClaim.Status
    claim = _claim_for_organiser(claim, {Status.SUBMITTED})
    claim.status = Status.APPROVED
    claim.approved_at = timezone.now()
    claim.decided_by = by
    claim.revision += 1
    claim.save()
    return claim


@transaction.atomic
def claim_query(*, claim, by, message):
    """Send the claim back to the person with a question; they can amend and resubmit."""
    Status = ExpenseClaim.Status
    message = message.strip()
    if not message:
        raise PaymentError("Write the question for the person: it is shown on their profile.")
    claim = _claim_for_organiser(claim, {Status.SUBMITTED, Status.APPROVED})
    claim.status = Status.QUERIED
    claim.query = message
    claim.queried_at = timezone.now()
    claim.approved_at = None
    claim.decided_by = by
    claim.revision += 1
    claim.save()
    emails.claim_email_send(claim=claim, kind="queried")
    return claim


@transaction.atomic
def claim_mark_paid(*, claim, by, paid_on):
    Status = ExpenseClaim.Status
    claim = _claim_for_organiser(claim, {Status.APPROVED})
    claim.status = Status.PAID
    claim.paid_on = paid_on
    claim.decided_by = by
    claim.revision += 1
    claim.save()
    emails.claim_email_send(claim=claim, kind="paid")
    return claim


@transaction.atomic
def claim_delete(*, claim):
    """Delete a claim, its items and, once committed, its receipt."""
    name, storage = claim.receipt.name, claim.receipt.storage
    claim.delete()
    _receipt_delete_on_commit(storage, name)


def receipts_purge(*, paid_before, dry_run=False):
    """Delete the receipts of claims paid before `paid_before` (a date). Returns how many.

    The file goes first, then the row forgets it: a storage that fails leaves the row
    pointing at the file, so the next run tries again. What was claimed stays, for the
    accounts; the receipt's deletion is recorded on the claim.
    """
    claims = ExpenseClaim.objects.filter(
        status=ExpenseClaim.Status.PAID, paid_on__lt=paid_before
    ).exclude(receipt="")
    if dry_run:
        return claims.count()
    purged = 0
    for pk, name in claims.values_list("pk", "receipt").iterator():
        ExpenseClaim._meta.get_field("receipt").storage.delete(name)
        purged += ExpenseClaim.objects.filter(pk=pk, receipt=name).update(
            receipt="", receipt_type="", receipt_deleted_at=timezone.now()
        )
    return purged
