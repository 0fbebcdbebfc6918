"""`manage.py purge_receipts` as cron (or its systemd timer) runs it: a process of its own, on
committed data, with the receipts in the private storage it reads from its environment."""

import datetime as dt

import pytest
from django.utils import timezone

from people.payments.models import ExpenseClaim
from people.payments.services import claim_approve, claim_mark_paid
from tests.factories import UserFactory
from tests.people.payments.factories import (
    InvolvementOfferFactory,
    claim_make,
    image_bytes,
    pdf_bytes,
    upload,
)
from tests.processes import manage

pytestmark = pytest.mark.django_db(transaction=True)


def paid_claim(days_ago, organiser, content):
    claim = claim_make(InvolvementOfferFactory(accepted=True), receipt=upload(content))
    claim_approve(claim=claim, by=organiser)
    claim_mark_paid(
        claim=claim, by=organiser, paid_on=timezone.localdate() - dt.timedelta(days=days_ago)
    )
    return claim


def test_purge_receipts_in_its_own_process_deletes_old_receipts_and_keeps_the_claims(
    private_media, mail_queue
):
    organiser = UserFactory(is_staff=True)
    old = paid_claim(120, organiser, pdf_bytes())
    recent = paid_claim(10, organiser, image_bytes())
    unpaid = claim_make(InvolvementOfferFactory(accepted=True), receipt=upload(image_bytes()))
    files = {claim.pk: private_media / claim.receipt.name for claim in (old, recent, unpaid)}
    environment = {"DJANGO_PRIVATE_MEDIA_ROOT": str(private_media)}

    dry_run = manage("purge_receipts", "--dry-run", **environment)

    assert dry_run.stdout == "Would delete 1 receipt (dry run: nothing changed).\n"
    assert all(path.exists() for path in files.values())

    purge = manage("purge_receipts", **environment)

    assert purge.stdout == "Deleted 1 receipt.\n"
    assert {pk: path.exists() for pk, path in files.items()} == {
        old.pk: False,
        recent.pk: True,
        unpaid.pk: True,
    }
    old.refresh_from_db()
    assert (old.receipt.name, old.receipt_type, old.receipt_deleted_at is not None) == (
        "",
        "",
        True,
    )
    assert ExpenseClaim.objects.count() == 3
    assert old.items.count() == 1
    # With a shorter retention (here 5 days) the recent one goes too; then nothing is left.
    assert manage("purge_receipts", "--days", "5", **environment).stdout == "Deleted 1 receipt.\n"
    assert manage("purge_receipts", "--days", "5", **environment).stdout == "Deleted 0 receipts.\n"


def test_purge_receipts_refuses_negative_days():
    result = manage("purge_receipts", "--days", "-1", check=False)

    assert result.returncode == 1
    assert "--days cannot be negative." in result.stderr
