"""Profile photos: check an upload, then store a clean square JPEG made from it.

Nothing about the upload is trusted: not its name, not the browser's content type, not the
metadata inside it. The format comes from Pillow's own detection, the pixel count is checked
from the header before any pixels are decoded, and the stored file is a fresh JPEG that
carries no EXIF (GPS), ICC, XMP or comments from the original.

A photo straight from a phone is taken as it is: large (a 48-megapixel JPEG of 15 MB) or in
HEIC, the format iPhones save in (read through pillow-heif's plugin), it is scaled down and
converted rather than refused. Only a file over MAX_UPLOAD_BYTES, or an image over
MAX_PIXELS, is refused, before any pixel is decoded.
"""

import io
import struct
import uuid
import warnings

import pillow_heif
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

# Pillow opens HEIC and HEIF files from here on (Image.open detects them by their content).
pillow_heif.register_heif_opener()

# The hard limit, for any file: phones' largest photos fit (deploy/nginx allows the request).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# A 48 or 50 megapixel phone photo fits; Pillow's own bomb threshold (about 89 megapixels) is
# higher, so uploads are refused here before Pillow has anything to say.
MAX_PIXELS = 50_000_000
PHOTO_SIZE = 800
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF"}
# What the file chooser offers; the server still decides by the content.
ACCEPTED_TYPES = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"
JPEG_QUALITY = 85

TOO_BIG_MESSAGE = "The photo must be smaller than 20 MB. Choose a smaller file."
UNREADABLE_MESSAGE = (
    "This file is not a photo that can be read. Choose a JPEG, PNG, WebP or HEIC image."
)
WRONG_FORMAT_MESSAGE = "The photo must be a JPEG, PNG, WebP or HEIC image."
TOO_MANY_PIXELS_MESSAGE = (
    "The photo has more than 50 megapixels, too many to process. Choose a smaller one."
)

# What Pillow's decoders raise on damaged or hostile input. Every one of them means the same
# thing to the person uploading: the file cannot be read as a photo.
_UNREADABLE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)
_BOMB_ERRORS = (Image.DecompressionBombError, Image.DecompressionBombWarning)


def photo_alt_text(person_name):
    """Alt text for a person's photo."""
    name = person_name.strip()
    return f"Photo of {name}" if name else "Photo"


def photo_process(uploaded_file):
    """Check an uploaded photo and return it as a square JPEG without metadata.

    Raises `ValidationError` with a message fit for the form when the file is too big, not a
    readable image, not JPEG/PNG/WebP/HEIC, or has more pixels than `MAX_PIXELS`.
    """
    data = _read_limited(uploaded_file)
    # Turning the warning into an error makes Pillow's own bomb check refuse as well as ours.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open_checked(data)
        image = _square_rgb(image)
    return ContentFile(_encode_jpeg(image), name=f"{uuid.uuid4().hex}.jpg")


def _read_limited(uploaded_file):
    if uploaded_file.size is not None and uploaded_file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_BIG_MESSAGE, code="photo_too_big")
    uploaded_file.seek(0)
    # Read one byte past the limit in case the reported size was wrong.
    data = uploaded_file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_BIG_MESSAGE, code="photo_too_big")
    return data


def _open_checked(data):
    """Open, check and fully decode the image; each failure becomes its own form error."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            # Image.open reads only the header, so format and size cost nothing to check.
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError(WRONG_FORMAT_MESSAGE, code="photo_format")
            _check_pixels(probe.size)
            probe.verify()
    except _BOMB_ERRORS as exc:
        raise ValidationError(TOO_MANY_PIXELS_MESSAGE, code="photo_too_many_pixels") from exc
    except _UNREADABLE_ERRORS as exc:
        raise ValidationError(UNREADABLE_MESSAGE, code="photo_unreadable") from exc

    # verify() leaves the image unusable, so decode from a fresh open.
    try:
        image = Image.open(io.BytesIO(data))
        _check_pixels(image.size)
        # JPEG can decode at 1/2, 1/4 or 1/8 scale; ask for no less than the stored size
        # so that large photos never need full-size memory.
        image.draft(None, (PHOTO_SIZE, PHOTO_SIZE))
        image.load()
    except _BOMB_ERRORS as exc:
        raise ValidationError(TOO_MANY_PIXELS_MESSAGE, code="photo_too_many_pixels") from exc
    except _UNREADABLE_ERRORS as exc:
        raise ValidationError(UNREADABLE_MESSAGE, code="photo_unreadable") from exc
    return image


def _check_pixels(size):
    width, height = size
    if width * height > MAX_PIXELS:
        raise ValidationError(TOO_MANY_PIXELS_MESSAGE, code="photo_too_many_pixels")


def _square_rgb(image):
    """Upright, opaque RGB, centre-cropped to a square no bigger than the original."""
    try:
        image = ImageOps.exif_transpose(image)
    except _UNREADABLE_ERRORS as exc:
        # A damaged EXIF block is as unreadable as damaged pixels.
        raise ValidationError(UNREADABLE_MESSAGE, code="photo_unreadable") from exc
    image = _to_rgb(image)
    side = min(PHOTO_SIZE, *image.size)
    return ImageOps.fit(image, (side, side), method=Image.Resampling.LANCZOS)


def _to_rgb(image):
    if image.has_transparency_data:
        rgba = image.convert("RGBA")
        flattened = Image.new("RGB", rgba.size, "white")
        flattened.paste(rgba, mask=rgba.getchannel("A"))
        return flattened
    if image.mode.startswith("I"):
        # 16-bit greyscale: convert() would clip every value above 255 to white.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return image.convert("RGB")


def _encode_jpeg(image):
    # A new image has an empty `info`, so no EXIF, ICC profile, XMP or comment from the
    # upload can reach the saved file.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    clean.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()
