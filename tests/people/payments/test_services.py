"""The rules of offers and claims, as the services keep them, and what the database refuses."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from mailer.models import Message

from people.payments import services
from people.payments.models import ExpenseClaim, InvolvementOffer
from tests.factories import PersonFactory, SeminarFactory, UserFactory
from tests.people.payments.factories import (
    InvolvementOfferFactory,
    claim_make,
    image_bytes,
    item,
    upload,
)

pytestmark = pytest.mark.django_db

Answer = InvolvementOffer.Answer
Status = ExpenseClaim.Status


def queued():
    """(to, subject) of every queued email, oldest first."""
    return [(message.email.to, message.email.subject) for message in Message.objects.order_by("pk")]


@pytest.fixture(autouse=True)
def _queue(mail_queue):
    return mail_queue


def test_offer_new_is_emailed_to_the_person_pointing_to_their_profile(settings):
    person = PersonFactory(name="Bilal Sample", email="bilal@example.org")
    seminar = SeminarFactory(title="Sharing power")
    offer = InvolvementOffer(
        seminar=seminar, person=person, fee=Decimal("150.00"), how_to_claim="By the end of May."
    )

    emailed = services.offer_save(offer=offer, changed_fields=[])

    assert emailed is True
    [message] = Message.objects.all()
    email = message.email
    assert (email.to, email.subject) == (
        ["bilal@example.org"],
        "An offer of payment for your part in Sharing power",
    )
    assert f"{settings.SITE_URL}/profile/offers/{offer.pk}/" in email.body
    assert "- A fee of £150.00 for your time." in email.body
    assert "- Expenses covered: travel." in email.body
    offer.refresh_from_db()
    assert (offer.revision, offer.answer, offer.sent_at is not None) == (1, Answer.WAITING, True)


def test_offer_new_terms_clear_the_answer_raise_the_revision_and_email_again():
    offer = InvolvementOfferFactory(accepted=True, person__email="bilal@example.org")
    offer.fee = Decimal("200.00")

    emailed = services.offer_save(offer=offer, changed_fields=["fee"])

    offer.refresh_from_db()
    assert (emailed, offer.revision, offer.answer, offer.answered_at) == (
        True,
        2,
        Answer.WAITING,
        None,
    )
    assert [subject for _to, subject in queued()] == [
        f"An offer of payment for your part in {offer.seminar.title}"
    ]


def test_offer_marking_the_fee_paid_keeps_the_answer_given_meanwhile_and_emails_nobody():
    offer = InvolvementOfferFactory(person__email="bilal@example.org")
    opened_by_organiser = InvolvementOffer.objects.get(pk=offer.pk)
    services.offer_answer(offer=offer, answer=Answer.VOUCHER, revision=1)
    opened_by_organiser.fee_paid_on = dt.date(2030, 3, 1)

    emailed = services.offer_save(offer=opened_by_organiser, changed_fields=["fee_paid_on"])

    offer.refresh_from_db()
    assert (emailed, offer.answer, offer.revision, offer.fee_paid_on) == (
        False,
        Answer.VOUCHER,
        1,
        dt.date(2030, 3, 1),
    )
    assert queued() == []


def test_offer_to_a_person_without_an_email_is_saved_and_says_so():
    offer = InvolvementOffer(
        seminar=SeminarFactory(), person=PersonFactory(email=""), how_to_claim="Ask us."
    )

    assert services.offer_save(offer=offer, changed_fields=[]) is False
    assert InvolvementOffer.objects.filter(pk=offer.pk).exists()
    assert queued() == []


def test_offer_to_a_person_with_a_login_but_no_email_goes_to_the_login():
    person = PersonFactory(email="", user=UserFactory(email="login@example.org"))
    offer = InvolvementOffer(seminar=SeminarFactory(), person=person, how_to_claim="Ask us.")

    services.offer_save(offer=offer, changed_fields=[])

    assert [to for to, _subject in queued()] == [["login@example.org"]]


def test_answer_is_stored_with_its_date_and_can_change_until_the_fee_is_paid():
    offer = InvolvementOfferFactory()

    services.offer_answer(offer=offer, answer=Answer.ACCEPTED, revision=1)
    offer.refresh_from_db()
    first = offer.answered_at
    services.offer_answer(offer=offer, answer=Answer.DECLINED, revision=1)
    offer.refresh_from_db()

    assert offer.answer == Answer.DECLINED
    assert offer.answered_at >= first
    InvolvementOffer.objects.filter(pk=offer.pk).update(fee_paid_on=timezone.localdate())
    with pytest.raises(services.PaymentError, match="Your fee has been paid"):
        services.offer_answer(offer=offer, answer=Answer.ACCEPTED, revision=1)
    offer.refresh_from_db()
    assert offer.answer == Answer.DECLINED


def test_answer_to_an_older_revision_is_refused():
    offer = InvolvementOfferFactory()
    offer.fee = Decimal("90.00")
    services.offer_save(offer=offer, changed_fields=["fee"])

    with pytest.raises(services.PaymentError, match="changed this offer after you opened it"):
        services.offer_answer(offer=offer, answer=Answer.ACCEPTED, revision=1)
    offer.refresh_from_db()
    assert offer.answer == Answer.WAITING


def test_answer_voucher_needs_a_fee_and_declining_needs_no_claims():
    no_fee = InvolvementOfferFactory(fee=Decimal("0.00"))
    with pytest.raises(services.PaymentError, match="no fee to take as a voucher"):
        services.offer_answer(offer=no_fee, answer=Answer.VOUCHER, revision=1)

    offer = InvolvementOfferFactory(accepted=True)
    claim_make(offer)
    with pytest.raises(services.PaymentError, match="You have expense claims on this offer"):
        services.offer_answer(offer=offer, answer=Answer.DECLINED, revision=1)


def test_claim_needs_an_accepted_offer_that_covers_that_kind_of_expense():
    waiting = InvolvementOfferFactory()
    with pytest.raises(services.PaymentError, match="once you have accepted the offer"):
        claim_make(waiting)

    nothing_covered = InvolvementOfferFactory(accepted=True, covers_travel=False, covers_care=False)
    with pytest.raises(services.PaymentError, match="does not cover expenses"):
        claim_make(nothing_covered)

    travel_only = InvolvementOfferFactory(accepted=True, covers_care=False)
    with pytest.raises(services.PaymentError, match="no longer covers one of the kinds"):
        claim_make(travel_only, items=[item(category="accommodation")])
    assert ExpenseClaim.objects.count() == 0


def test_claim_goes_submitted_approved_paid_and_the_person_hears_when_paid():
    organiser = UserFactory(is_staff=True)
    offer = InvolvementOfferFactory(accepted=True, person__email="bilal@example.org")
    claim = claim_make(
        offer,
        items=[item(amount=Decimal("23.40")), item(category="care", amount=Decimal("40.00"))],
        receipt=upload(image_bytes()),
    )
    assert (claim.status, claim.items.count(), claim.receipt_type) == (
        Status.SUBMITTED,
        2,
        "image/jpeg",
    )

    services.claim_approve(claim=claim, by=organiser)
    services.claim_mark_paid(claim=claim, by=organiser, paid_on=dt.date(2030, 4, 2))

    claim.refresh_from_db()
    assert (claim.status, claim.paid_on, claim.decided_by) == (
        Status.PAID,
        dt.date(2030, 4, 2),
        organiser,
    )
    assert queued()[-1] == (
        ["bilal@example.org"],
        f"Your expense claim for {offer.seminar.title} is paid",
    )


def test_claim_submitted_tells_the_organisers_without_what_was_claimed(settings):
    offer = InvolvementOfferFactory(
        accepted=True, seminar__series__contact_email="team@example.org"
    )

    with transaction.atomic():
        claim = claim_make(offer, items=[item(category="care", description="Respite care")])

    [message] = Message.objects.all()
    email = message.email
    assert (email.to, email.subject) == (
        ["team@example.org"],
        f"An expense claim to review: {offer.seminar.title}",
    )
    assert f"{settings.SITE_URL}/admin/people/expenseclaim/{claim.pk}/change/" in email.body
    assert "Respite care" not in email.body


def test_claim_queried_is_amended_and_resubmitted_once():
    organiser = UserFactory(is_staff=True)
    offer = InvolvementOfferFactory(accepted=True, person__email="bilal@example.org")
    claim = claim_make(offer)
    services.claim_query(claim=claim, by=organiser, message="Was the train first class?")
    claim.refresh_from_db()
    assert (claim.status, claim.query, claim.revision) == (
        Status.QUERIED,
        "Was the train first class?",
        2,
    )
    assert queued()[-1][1] == f"A question about your expense claim for {offer.seminar.title}"

    services.claim_resubmit(
        claim=claim, revision=2, items=[item(description="Standard class return")]
    )
    claim.refresh_from_db()
    assert (claim.status, [i.description for i in claim.items.all()]) == (
        Status.SUBMITTED,
        ["Standard class return"],
    )
    with pytest.raises(services.PaymentError, match="changed since you opened it"):
        services.claim_resubmit(claim=claim, revision=2, items=[item(description="Again")])
    assert [i.description for i in claim.items.all()] == ["Standard class return"]


def test_claim_decisions_out_of_order_are_refused():
    organiser = UserFactory(is_staff=True)
    claim = claim_make(InvolvementOfferFactory(accepted=True))

    with pytest.raises(services.PaymentError, match="is submitted: nothing was changed"):
        services.claim_mark_paid(claim=claim, by=organiser, paid_on=timezone.localdate())
    with pytest.raises(services.PaymentError, match="Write the question"):
        services.claim_query(claim=claim, by=organiser, message="  ")
    services.claim_approve(claim=claim, by=organiser)
    with pytest.raises(services.PaymentError, match="is approved: nothing was changed"):
        services.claim_approve(claim=claim, by=organiser)


def test_database_refuses_a_negative_fee_a_second_offer_and_a_paid_claim_without_a_date():
    offer = InvolvementOfferFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        InvolvementOffer.objects.filter(pk=offer.pk).update(fee=Decimal("-1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        InvolvementOfferFactory(seminar=offer.seminar, person=offer.person)
    claim = claim_make(InvolvementOfferFactory(accepted=True))
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpenseClaim.objects.filter(pk=claim.pk).update(status=Status.PAID)


def test_claim_delete_removes_its_receipt_file(private_media, django_capture_on_commit_callbacks):
    claim = claim_make(InvolvementOfferFactory(accepted=True), receipt=upload(image_bytes()))
    path = private_media / claim.receipt.name
    assert path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_delete(claim=claim)

    assert not path.exists()
    assert ExpenseClaim.objects.count() == 0


def test_receipts_purge_deletes_only_receipts_of_claims_paid_before_the_date(private_media):
    organiser = UserFactory(is_staff=True)
    paid_long_ago, paid_lately, unpaid = (
        claim_make(InvolvementOfferFactory(accepted=True), receipt=upload(image_bytes()))
        for _ in range(3)
    )
    for claim, paid_on in [
        (paid_long_ago, dt.date(2030, 1, 1)),
        (paid_lately, dt.date(2030, 6, 1)),
    ]:
        services.claim_approve(claim=claim, by=organiser)
        services.claim_mark_paid(claim=claim, by=organiser, paid_on=paid_on)
    names = {claim.pk: claim.receipt.name for claim in (paid_long_ago, paid_lately, unpaid)}

    assert services.receipts_purge(paid_before=dt.date(2030, 3, 1), dry_run=True) == 1
    assert services.receipts_purge(paid_before=dt.date(2030, 3, 1)) == 1

    kept = {
        pk: (receipt, deleted is not None)
        for pk, receipt, deleted in ExpenseClaim.objects.values_list(
            "pk", "receipt", "receipt_deleted_at"
        )
    }
    assert kept == {
        paid_long_ago.pk: ("", True),
        paid_lately.pk: (names[paid_lately.pk], False),
        unpaid.pk: (names[unpaid.pk], False),
    }
    assert not (private_media / names[paid_long_ago.pk]).exists()
    assert (private_media / names[paid_lately.pk]).exists()
    assert paid_long_ago.items.count() == 1  # what was claimed stays, for the accounts


def test_receipts_never_have_a_public_url(private_media):
    claim = claim_make(InvolvementOfferFactory(accepted=True), receipt=upload(image_bytes()))

    with pytest.raises(NotImplementedError):
        claim.receipt.url  # noqa: B018
    assert str(private_media) in claim.receipt.path
    assert mail.outbox == []
