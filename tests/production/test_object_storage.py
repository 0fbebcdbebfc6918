"""Speakers' photos in an S3-compatible bucket (moto in server mode), configured from the
environment alone: the upload through nginx, the public page, og:image and the CSP."""

import io
import os
import re

import pytest
from django.test import Client
from PIL import Image

from tests.factories import PersonFactory, UserFactory
from tests.production.conftest import BUCKET
from tests.production.seed import SPEAKER_EMAIL, SPEAKER_PASSWORD


def noise_png(side):
    """A PNG of random pixels: it does not compress, so its size is about 3 bytes a pixel."""
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_a_4_mb_photo_passes_nginx_and_is_served_from_the_bucket(rehearsal, fresh_limits):
    photo = noise_png(1200)
    visitor = rehearsal.visitor()
    visitor.post_form("/accounts/login/", {"username": SPEAKER_EMAIL, "password": SPEAKER_PASSWORD})

    saved = visitor.post_form(
        "/profile/",
        {"name": "Sam Speaker", "is_listed": "on"},
        files={"photo": ("portrait.png", photo, "image/png")},
    )
    public = rehearsal.visitor().get("/people/sam-speaker/")

    assert len(photo) > 4 * 1024 * 1024
    assert (saved.status, saved.header("location")) == (302, "/profile/")
    bucket_url = f"{rehearsal.s3.url}/{BUCKET}/media/people/"
    [src] = re.findall(r'<img class="rounded mb-3" src="([^"]+)"', public.text)
    assert re.fullmatch(re.escape(bucket_url) + r"[0-9a-f]{32}\.jpg", src)
    [og_image] = re.findall(r'<meta property="og:image" content="([^"]+)"', public.text)
    assert og_image == src
    img_src = re.search(r"img-src ([^;]+)", public.header("content-security-policy"))[1]
    assert img_src.split() == ["'self'", "data:", rehearsal.s3.url]
    served = rehearsal.visitor().get(src)
    assert (served.status, served.header("content-type")) == (200, "image/jpeg")
    assert Image.open(io.BytesIO(served.raw)).size == (800, 800)


@pytest.mark.django_db
def test_a_bucket_that_refuses_the_photo_gives_the_friendly_503(s3_server, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "no-such-bucket",
                "endpoint_url": s3_server.url,
                "region_name": "eu-west-2",
                "access_key": "rehearsal",
                "secret_key": "rehearsal",
                "querystring_auth": False,
            },
        },
    }
    user = UserFactory(email="sam@example.org")
    PersonFactory(name="Sam Speaker", slug="sam-speaker", user=user, affiliation="Leeds Mind")
    client = Client()
    client.force_login(user)
    photo = io.BytesIO(noise_png(300))
    photo.name = "portrait.png"

    response = client.post(
        "/profile/", {"name": "A New Name", "affiliation": "Elsewhere", "photo": photo}
    )

    assert response.status_code == 503
    assert "We could not store your photo just now, so nothing has changed." in (
        response.content.decode()
    )
    user.person.refresh_from_db()
    assert (user.person.name, user.person.affiliation, user.person.photo.name) == (
        "Sam Speaker",
        "Leeds Mind",
        "",
    )


def test_receipts_go_to_their_own_prefix_with_a_private_acl_and_no_url(s3_server):
    """Receipts in the same bucket as the photos, under `private/`, which the bucket's
    public-read policy (media/* only, as the README says) does not reach."""
    from django.core.files.base import ContentFile

    from coproseries.settings import s3_private_storage_options
    from coproseries.storage import PrivateS3Storage

    storage = PrivateS3Storage(
        **s3_private_storage_options(
            {
                "DJANGO_S3_BUCKET": BUCKET,
                "DJANGO_S3_ENDPOINT_URL": s3_server.url,
                "DJANGO_S3_ACCESS_KEY_ID": "rehearsal",
                "DJANGO_S3_SECRET_ACCESS_KEY": "rehearsal",
            }
        )
    )

    name = storage.save("receipts/a-receipt.pdf", ContentFile(b"%PDF-1.4 receipt"))

    client = s3_server.client()
    key = f"private/{name}"
    stored = client.get_object(Bucket=BUCKET, Key=key)
    assert (stored["Body"].read(), stored["CacheControl"]) == (
        b"%PDF-1.4 receipt",
        "private, no-store",
    )
    grants = client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert "URI" not in grants[0]["Grantee"]  # the owner, not AllUsers
    with pytest.raises(NotImplementedError):
        storage.url(name)
    storage.delete(name)
    assert client.list_objects_v2(Bucket=BUCKET, Prefix="private/").get("KeyCount") == 0
