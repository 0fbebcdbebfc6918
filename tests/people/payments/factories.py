"""Offers and claims for tests: real rows, claims made through the services."""

import datetime as dt
import io
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from people.payments import services
from people.payments.models import InvolvementOffer
from people.payments.receipts import receipt_check
from tests.factories import PersonFactory, SeminarFactory


class InvolvementOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvolvementOffer

    class Params:
        accepted = factory.Trait(
            answer=InvolvementOffer.Answer.ACCEPTED, answered_at=factory.LazyFunction(timezone.now)
        )

    seminar = factory.SubFactory(SeminarFactory)
    person = factory.SubFactory(PersonFactory)
    fee = Decimal("120.00")
    covers_travel = True
    covers_care = True
    how_to_claim = "Claim within a month of the seminar. Keep your tickets."


def item(**overrides):
    return {
        "category": "travel",
        "description": "Return train, Leeds to York",
        "amount": Decimal("23.40"),
        "spent_on": timezone.localdate() - dt.timedelta(days=3),
        **overrides,
    }


def claim_make(offer, items=None, receipt=None, note=""):
    checked = receipt_check(receipt) if receipt is not None else None
    return services.claim_create(offer=offer, items=items or [item()], receipt=checked, note=note)


def image_bytes(image_format="JPEG", size=(300, 200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 180, 90)).save(buffer, image_format)
    return buffer.getvalue()


def pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(content, name="receipt.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)
