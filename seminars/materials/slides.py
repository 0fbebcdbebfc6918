"""Slides uploaded by speakers and organisers: checked by what the file is, not its name.

A file is taken as slides when it starts as a PDF does (`%PDF-`) and pypdf can read its
pages. Its name and the browser's content type are never trusted, and the stored file gets
a name of our own (seminars/materials/storage.py).
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from pypdf import PdfReader
from pypdf.errors import PyPdfError

MAX_SLIDES_BYTES = 20 * 1024 * 1024

TOO_BIG_MESSAGE = "The file is larger than 20 MB. Please upload a smaller PDF."
EMPTY_MESSAGE = "The file is empty. Please choose your slides as a PDF."
NOT_PDF_MESSAGE = (
    "This file is not a PDF. Please save or export your slides as a PDF, then upload that."
)
UNREADABLE_MESSAGE = (
    "This PDF could not be read: it may be damaged. Please export it again and upload it."
)
PROTECTED_MESSAGE = (
    "This PDF is protected by a password, so visitors could not open it. Please upload a "
    "copy without a password."
)

# What pypdf raises, besides its own errors, on damaged or hostile input. Each means the
# same to the person uploading: the file cannot be read.
_UNREADABLE_ERRORS = (
    PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError,
    RecursionError, OverflowError, ZeroDivisionError,
)  # fmt: skip


def slides_check(uploaded_file):
    """Read and check an uploaded PDF, and return it as a file to store with its size.

    Raises `ValidationError` with a message fit for the form when the file is too big,
    empty, not a PDF, unreadable or protected by a password.
    """
    data = _read_limited(uploaded_file)
    if not data:
        raise ValidationError(EMPTY_MESSAGE, code="slides_empty")
    if not data.startswith(b"%PDF-"):
        raise ValidationError(NOT_PDF_MESSAGE, code="slides_not_pdf")
    _check_readable(data)
    return ContentFile(data, name="slides.pdf")


def _read_limited(uploaded_file):
    if uploaded_file.size is not None and uploaded_file.size > MAX_SLIDES_BYTES:
        raise ValidationError(TOO_BIG_MESSAGE, code="slides_too_big")
    uploaded_file.seek(0)
    # One byte past the limit, in case the reported size was wrong.
    data = uploaded_file.read(MAX_SLIDES_BYTES + 1)
    if len(data) > MAX_SLIDES_BYTES:
        raise ValidationError(TOO_BIG_MESSAGE, code="slides_too_big")
    return data


def _check_readable(data):
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(PROTECTED_MESSAGE, code="slides_protected")
        if len(reader.pages) == 0:
            raise ValidationError(UNREADABLE_MESSAGE, code="slides_unreadable")
        # Reading the first page's content catches a file whose page tree parses but whose
        # pages do not.
        reader.pages[0].get_contents()
    except ValidationError:
        raise
    except _UNREADABLE_ERRORS as exc:
        raise ValidationError(UNREADABLE_MESSAGE, code="slides_unreadable") from exc
