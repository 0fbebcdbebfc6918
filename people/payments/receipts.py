"""Receipts: check an upload by its content, keep it privately, hand it back to those allowed.

Nothing about the upload is trusted: not its name, not the browser's content type. An image
is one Pillow reads as JPEG, PNG or WebP; a PDF starts with `%PDF-` and pypdf can read its
pages. The stored name is random (the upload's own name may carry a person's name), and the
file goes to the private storage (coproseries/storage.py), which has no public URL.
"""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse
from PIL import Image
from pypdf import PdfReader

MAX_RECEIPT_BYTES = 10 * 1024 * 1024
IMAGE_TYPES = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
PDF_TYPE = ("application/pdf", "pdf")
EXTENSIONS = dict([*IMAGE_TYPES.values(), PDF_TYPE])

TOO_BIG_MESSAGE = "The receipt is larger than 10 MB. Please send a smaller file."
WRONG_TYPE_MESSAGE = (
    "This file is not a receipt we can read. Please send a photo (JPEG, PNG or WebP) or a PDF."
)
UNREADABLE_PDF_MESSAGE = (
    "This PDF cannot be read: it may be damaged or protected by a password. Please send "
    "another copy, or a photo of the receipt."
)
EMPTY_MESSAGE = "The file is empty. Please choose the receipt again."

# What Pillow raises on damaged or hostile input: each means the file is not an image.
_IMAGE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


def receipt_check(uploaded_file):
    """Return the receipt as (a ContentFile with a random name, its content type).

    Raises `ValidationError` with a message fit for the form when the file is too big, empty,
    or neither an image Pillow reads (JPEG, PNG, WebP) nor a PDF that pypdf reads.
    """
    data = _read_limited(uploaded_file)
    if not data:
        raise ValidationError(EMPTY_MESSAGE, code="receipt_empty")
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        content_type, extension = PDF_TYPE
    else:
        content_type, extension = _check_image(data)
    return ContentFile(data, name=f"{uuid.uuid4().hex}.{extension}"), content_type


def _read_limited(uploaded_file):
    if uploaded_file.size is not None and uploaded_file.size > MAX_RECEIPT_BYTES:
        raise ValidationError(TOO_BIG_MESSAGE, code="receipt_too_big")
    uploaded_file.seek(0)
    # One byte past the limit, in case the reported size was wrong.
    data = uploaded_file.read(MAX_RECEIPT_BYTES + 1)
    if len(data) > MAX_RECEIPT_BYTES:
        raise ValidationError(TOO_BIG_MESSAGE, code="receipt_too_big")
    return data


def _check_image(data):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in IMAGE_TYPES:
                    raise ValidationError(WRONG_TYPE_MESSAGE, code="receipt_type")
                image_format = image.format
                image.verify()
    except _IMAGE_ERRORS as error:
        raise ValidationError(WRONG_TYPE_MESSAGE, code="receipt_type") from error
    return IMAGE_TYPES[image_format]


def _check_pdf(data):
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(UNREADABLE_PDF_MESSAGE, code="receipt_pdf")
        if len(reader.pages) < 1:
            raise ValidationError(UNREADABLE_PDF_MESSAGE, code="receipt_pdf")
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001 - any failure of the parser: not a readable PDF
        raise ValidationError(UNREADABLE_PDF_MESSAGE, code="receipt_pdf") from error


def receipt_response(claim):
    """The claim's receipt as a download: never shown inline, never cached, never sniffed."""
    extension = EXTENSIONS.get(claim.receipt_type, "bin")
    response = FileResponse(
        claim.receipt.open("rb"),
        as_attachment=True,
        filename=f"receipt-claim-{claim.pk}.{extension}",
        content_type=claim.receipt_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
