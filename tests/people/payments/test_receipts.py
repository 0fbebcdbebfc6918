"""Receipts: checked by content, kept in private storage, handed only to the claimant and to
organisers allowed to see claims, as a download that is never cached or sniffed."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from PIL import Image

from people.payments.receipts import receipt_check
from people.payments.services import claim_approve, claim_mark_paid, receipts_purge
from people.services import ORGANISERS_GROUP
from tests.factories import PersonFactory, UserFactory
from tests.people.payments.factories import (
    InvolvementOfferFactory,
    claim_make,
    image_bytes,
    pdf_bytes,
    upload,
)

pytestmark = pytest.mark.django_db

WRONG_TYPE = (
    "This file is not a receipt we can read. Please send a photo (JPEG, PNG or WebP) or a PDF."
)
UNREADABLE_PDF = (
    "This PDF cannot be read: it may be damaged or protected by a password. Please send "
    "another copy, or a photo of the receipt."
)


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [
        (image_bytes("JPEG"), "image/jpeg", "jpg"),
        (image_bytes("PNG"), "image/png", "png"),
        (image_bytes("WEBP"), "image/webp", "webp"),
        (pdf_bytes(), "application/pdf", "pdf"),
    ],
    ids=["jpeg", "png", "webp", "pdf"],
)
def test_receipt_check_accepts_photos_and_pdfs_by_their_content(content, content_type, extension):
    # Names and declared types are ignored: the content decides.
    stored, detected = receipt_check(upload(content, name="scan.txt", content_type="text/plain"))

    assert detected == content_type
    assert stored.name.endswith(f".{extension}") and "scan" not in stored.name
    assert stored.read() == content


def gif_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Just some text pretending to be a photo.\n", WRONG_TYPE),
        (gif_bytes(), WRONG_TYPE),
        (image_bytes("JPEG")[:200], WRONG_TYPE),
        (b"%PDF-1.7\nthis is not really a PDF at all\n%%EOF\n", UNREADABLE_PDF),
        (pdf_bytes()[:60], UNREADABLE_PDF),
        (b"", "The file is empty. Please choose the receipt again."),
        (
            b"\0" * (10 * 1024 * 1024 + 1),
            "The receipt is larger than 10 MB. Please send a smaller file.",
        ),
    ],
    ids=["text-as-jpg", "gif", "truncated-jpeg", "fake-pdf", "truncated-pdf", "empty", "too-big"],
)
def test_receipt_check_refuses_what_is_not_a_readable_receipt(content, message):
    with pytest.raises(ValidationError) as refused:
        receipt_check(upload(content, name="receipt.jpg"))

    assert refused.value.messages == [message]


@pytest.fixture
def claim_with_receipt(contributor):
    offer = InvolvementOfferFactory(person=contributor, accepted=True)
    return claim_make(offer, receipt=upload(pdf_bytes(), name="receipt.pdf"))


def test_claimant_downloads_their_receipt_as_a_private_attachment(client, claim_with_receipt):
    response = client.get(f"/profile/claims/{claim_with_receipt.pk}/receipt/")

    assert response.status_code == 200
    assert {
        header: response[header]
        for header in [
            "Content-Type",
            "Content-Disposition",
            "X-Content-Type-Options",
            "Cache-Control",
        ]
    } == {
        "Content-Type": "application/pdf",
        "Content-Disposition": f'attachment; filename="receipt-claim-{claim_with_receipt.pk}.pdf"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }
    assert b"".join(response.streaming_content) == pdf_bytes()


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_receipt_is_refused_to_everyone_but_the_claimant_and_organisers(claim_with_receipt):
    url = f"/profile/claims/{claim_with_receipt.pk}/receipt/"
    other_contributor = UserFactory()
    PersonFactory(user=other_contributor)
    InvolvementOfferFactory(person=other_contributor.person, accepted=True)
    staff_without_permission = UserFactory(is_staff=True)
    organiser = UserFactory(is_staff=True)
    organiser.groups.add(Group.objects.get(name=ORGANISERS_GROUP))

    answers = {
        "anonymous": Client().get(url),
        "another contributor": _client_for(other_contributor).get(url),
        "staff without permission": _client_for(staff_without_permission).get(url),
        "organiser": _client_for(organiser).get(url),
    }

    assert {who: response.status_code for who, response in answers.items()} == {
        "anonymous": 302,
        "another contributor": 404,
        "staff without permission": 404,
        "organiser": 200,
    }
    assert answers["anonymous"]["Location"].startswith("/accounts/login/")


def test_a_deleted_receipt_answers_404_and_the_claim_says_when_it_went(
    client, claim_with_receipt, organiser
):
    claim_approve(claim=claim_with_receipt, by=organiser)
    claim_mark_paid(claim=claim_with_receipt, by=organiser, paid_on=dt.date(2030, 1, 1))
    receipts_purge(paid_before=dt.date(2031, 1, 1))

    assert client.get(f"/profile/claims/{claim_with_receipt.pk}/receipt/").status_code == 404
    body = client.get(f"/profile/claims/{claim_with_receipt.pk}/").content.decode()
    assert "Receipt: deleted on" in body


def test_a_receipt_in_the_organisers_admin_is_a_link_to_the_checked_view(
    organiser, claim_with_receipt
):
    change_page = _client_for(organiser).get(
        f"/admin/people/expenseclaim/{claim_with_receipt.pk}/change/"
    )

    body = change_page.content.decode()
    assert f'href="/profile/claims/{claim_with_receipt.pk}/receipt/"' in body
    assert "/private/" not in body and claim_with_receipt.receipt.name not in body


def test_a_receipt_whose_file_has_gone_answers_404_not_500(client, claim_with_receipt):
    claim_with_receipt.receipt.storage.delete(claim_with_receipt.receipt.name)

    response = client.get(f"/profile/claims/{claim_with_receipt.pk}/receipt/")

    assert response.status_code == 404
