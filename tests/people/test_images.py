import io
import random
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from people.images import (
    MAX_UPLOAD_BYTES,
    PHOTO_SIZE,
    photo_alt_text,
    photo_process,
)

TOO_BIG = "The photo must be smaller than 20 MB. Choose a smaller file."
UNREADABLE = "This file is not a photo that can be read. Choose a JPEG, PNG, WebP or HEIC image."
WRONG_FORMAT = "The photo must be a JPEG, PNG, WebP or HEIC image."
TOO_MANY_PIXELS = (
    "The photo has more than 50 megapixels, too many to process. Choose a smaller one."
)

RED = (255, 0, 0)
BLUE = (0, 0, 255)
WHITE = (255, 255, 255)


def _encode(image, image_format, **params):
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **params)
    return buffer.getvalue()


def _upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _refusal(upload):
    with pytest.raises(ValidationError) as excinfo:
        photo_process(upload)
    return excinfo.value.messages


def _open_output(content_file):
    image = Image.open(io.BytesIO(content_file.read()))
    image.load()
    return image


def _near(pixel, expected, tolerance=40):
    """JPEG is lossy: compare colours channel by channel, within a tolerance."""
    return all(abs(got - want) <= tolerance for got, want in zip(pixel, expected, strict=True))


def _halves(width, height, left, right):
    image = Image.new("RGB", (width, height), left)
    image.paste(right, (width // 2, 0, width, height))
    return image


def _png_header_only(width, height):
    """A PNG that claims `width` x `height` greyscale pixels but holds almost no data.

    Opening it and reading its size works; decoding it fails. So a refusal for too many
    pixels proves the size was judged from the header alone, without decoding.
    """

    def chunk(kind, payload):
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def _exif_with_gps_and_orientation(orientation):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneCo"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    return exif


# Stored photos


def test_photo_process_strips_gps_exif_and_all_other_metadata():
    source = _encode(
        _halves(400, 200, RED, BLUE),
        "JPEG",
        exif=_exif_with_gps_and_orientation(6),
        icc_profile=b"not-really-an-icc-profile",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret</x:xmpmeta>',
        comment=b"taken at home",
    )
    # The input really carries what must be removed.
    with Image.open(io.BytesIO(source)) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
        assert {"exif", "icc_profile", "xmp", "comment"} <= original.info.keys()

    stored = photo_process(_upload(source)).read()

    output = Image.open(io.BytesIO(stored))
    assert dict(output.getexif()) == {}
    assert not {"exif", "icc_profile", "xmp", "comment"} & output.info.keys()
    for marker in (b"Exif", b"GPS", b"PhoneCo", b"ICC_PROFILE", b"xmpmeta", b"taken at home"):
        assert marker not in stored


def test_photo_process_applies_exif_orientation():
    # Orientation 6: the camera was turned, and the picture must be rotated 90 degrees
    # clockwise to show upright. The red left half then becomes the top.
    source = _encode(_halves(400, 200, RED, BLUE), "JPEG", exif=_exif_with_gps_and_orientation(6))

    output = _open_output(photo_process(_upload(source)))

    assert output.size == (200, 200)
    assert _near(output.getpixel((20, 20)), RED)
    assert _near(output.getpixel((180, 20)), RED)
    assert _near(output.getpixel((20, 180)), BLUE)
    assert _near(output.getpixel((180, 180)), BLUE)


def test_photo_process_crops_to_the_centre_square():
    # A wide photo loses its sides: the red and blue stripes at the edges are cut away.
    image = Image.new("RGB", (600, 200), WHITE)
    image.paste(RED, (0, 0, 200, 200))
    image.paste(BLUE, (400, 0, 600, 200))

    output = _open_output(photo_process(_upload(_encode(image, "JPEG"))))

    assert output.size == (200, 200)
    assert _near(output.getpixel((5, 100)), WHITE)
    assert _near(output.getpixel((195, 100)), WHITE)


@pytest.mark.parametrize("size", [(1200, 900), (900, 1600), (3200, 2400)])
def test_photo_process_scales_a_large_photo_to_the_photo_size(size):
    source = _encode(_halves(*size, RED, BLUE), "JPEG")

    output = _open_output(photo_process(_upload(source)))

    assert output.size == (PHOTO_SIZE, PHOTO_SIZE)


def test_photo_process_does_not_upscale_a_small_photo():
    source = _encode(_halves(300, 200, RED, BLUE), "JPEG")

    output = _open_output(photo_process(_upload(source)))

    assert output.size == (200, 200)


def test_photo_process_stores_a_progressive_rgb_jpeg_with_a_random_name():
    source = _encode(_halves(300, 300, RED, BLUE), "PNG")

    first = photo_process(_upload(source, name="My Holiday Photo.png"))
    second = photo_process(_upload(source, name="My Holiday Photo.png"))

    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", first.name)
    assert first.name != second.name
    output = _open_output(first)
    assert (output.format, output.mode, output.info.get("progressive")) == ("JPEG", "RGB", 1)


@pytest.mark.parametrize(
    ("mode", "image_format"),
    [("RGBA", "PNG"), ("LA", "PNG"), ("P", "PNG"), ("RGBA", "WEBP")],
)
def test_photo_process_flattens_transparency_onto_white(mode, image_format):
    # Left half fully transparent (its hidden colour is black), right half opaque red.
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (100, 0, 200, 200))
    if mode == "LA":
        image = image.convert("LA")
    elif mode == "P":
        image = image.convert("P")
        image.info["transparency"] = image.getpixel((0, 0))
    params = {"lossless": True} if image_format == "WEBP" else {}
    source = _encode(image, image_format, **params)

    output = _open_output(photo_process(_upload(source, name="photo.png")))

    assert _near(output.getpixel((20, 100)), WHITE)
    opaque = (76, 76, 76) if mode == "LA" else RED  # red in greyscale is a dark grey
    assert _near(output.getpixel((180, 100)), opaque)


def test_photo_process_accepts_webp():
    source = _encode(_halves(300, 200, RED, BLUE), "WEBP", quality=90)

    output = _open_output(photo_process(_upload(source, name="photo.webp")))

    assert (output.format, output.size) == ("JPEG", (200, 200))
    assert _near(output.getpixel((20, 100)), RED)
    assert _near(output.getpixel((180, 100)), BLUE)


def test_photo_process_converts_a_heic_photo_from_a_phone():
    # HEIC, as an iPhone saves it, made by pillow-heif's own encoder; 4:3 like a phone's.
    source = _encode(_halves(1600, 1200, RED, BLUE), "HEIF", quality=90)
    with Image.open(io.BytesIO(source)) as original:
        assert original.format == "HEIF"

    output = _open_output(photo_process(_upload(source, name="IMG_0001.HEIC", content_type="")))

    assert (output.format, output.size) == ("JPEG", (PHOTO_SIZE, PHOTO_SIZE))
    assert _near(output.getpixel((20, 400)), RED)
    assert _near(output.getpixel((780, 400)), BLUE)


def test_photo_process_scales_down_a_photo_file_over_5_mb():
    # Noise does not compress: a 12-megapixel phone photo of it is well over 5 MB.
    noise = Image.frombytes("RGB", (4000, 3000), random.Random(4).randbytes(4000 * 3000 * 3))
    source = _encode(noise, "JPEG", quality=95)
    assert 5 * 1024 * 1024 < len(source) <= MAX_UPLOAD_BYTES

    output = _open_output(photo_process(_upload(source, name="IMG_0002.JPG")))

    assert (output.format, output.size) == ("JPEG", (PHOTO_SIZE, PHOTO_SIZE))


def test_photo_process_takes_a_48_megapixel_phone_photo():
    source = _encode(_halves(8000, 6000, RED, BLUE), "JPEG")

    output = _open_output(photo_process(_upload(source)))

    assert output.size == (PHOTO_SIZE, PHOTO_SIZE)
    assert _near(output.getpixel((20, 400)), RED)


def test_photo_process_keeps_the_tones_of_a_16_bit_greyscale_png():
    image = Image.new("I;16", (100, 100), 32768)  # mid grey on a 0-65535 scale

    output = _open_output(photo_process(_upload(_encode(image, "PNG"), name="scan.png")))

    assert _near(output.getpixel((50, 50)), (128, 128, 128), tolerance=4)


def test_photo_process_decides_the_format_from_the_content_not_the_name():
    png = _encode(_halves(100, 100, RED, BLUE), "PNG")

    output = _open_output(photo_process(_upload(png, name="photo.gif", content_type="image/gif")))

    assert output.size == (100, 100)


# Refusals


def test_photo_process_refuses_a_text_file_named_jpg():
    upload = _upload(b"Dear organisers, here is my photo.\n" * 20, name="photo.jpg")

    assert _refusal(upload) == [UNREADABLE]


def test_photo_process_refuses_an_empty_file():
    assert _refusal(_upload(b"")) == [UNREADABLE]


def test_photo_process_refuses_a_truncated_jpeg():
    noise = Image.frombytes("RGB", (300, 300), bytes(range(256)) * (300 * 300 * 3 // 256 + 1))
    source = _encode(noise, "JPEG")
    truncated = source[: len(source) // 2]
    # The header survives, so the damage only shows when the pixels are decoded.
    with Image.open(io.BytesIO(truncated)) as image:
        assert (image.format, image.size) == ("JPEG", (300, 300))

    assert _refusal(_upload(truncated)) == [UNREADABLE]


@pytest.mark.parametrize("image_format", ["GIF", "BMP", "TIFF"])
def test_photo_process_refuses_other_image_formats(image_format):
    # Named and labelled as a JPEG: only the content counts.
    source = _encode(_halves(100, 100, RED, BLUE), image_format)

    assert _refusal(_upload(source, name="photo.jpg", content_type="image/jpeg")) == [WRONG_FORMAT]


def test_photo_process_refuses_a_pdf_named_heic():
    upload = _upload(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" * 40, name="IMG_0003.HEIC")

    assert _refusal(upload) == [UNREADABLE]


def test_photo_process_refuses_a_file_over_20_mb():
    assert _refusal(_upload(b"\xff" * (MAX_UPLOAD_BYTES + 1))) == [TOO_BIG]


def test_photo_process_allows_a_file_of_exactly_20_mb_past_the_size_check():
    # Junk of exactly the limit gets as far as being read, and only then fails.
    assert _refusal(_upload(b"\xff" * MAX_UPLOAD_BYTES)) == [UNREADABLE]


@pytest.mark.parametrize(
    "size",
    [
        (7100, 7100),  # 50.4 megapixels: over the budget, under Pillow's own warning
        (10000, 10000),  # 100 megapixels: Pillow warns
        (20000, 20000),  # 400 megapixels: Pillow refuses to open it at all
    ],
)
def test_photo_process_refuses_too_many_pixels_from_the_header_alone(size):
    # Decoding this file would fail as unreadable; refusing it for its pixel count shows
    # the pixels were never decoded.
    assert _refusal(_upload(_png_header_only(*size), name="photo.png")) == [TOO_MANY_PIXELS]


def test_photo_process_refuses_a_decompression_bomb():
    # A real, valid PNG: 100 megapixels of one colour, a few kilobytes on disk.
    bomb = _encode(Image.new("1", (10000, 10000), 1), "PNG")
    assert len(bomb) < 100_000

    assert _refusal(_upload(bomb, name="photo.png")) == [TOO_MANY_PIXELS]


# Alt text


def test_photo_alt_text_names_the_person():
    assert photo_alt_text("Dr Amara Okafor") == "Photo of Dr Amara Okafor"


def test_photo_alt_text_without_a_name_is_still_text():
    assert photo_alt_text("  ") == "Photo"
