"""DJANGO_MEDIA_STORAGE=s3 from the environment alone (coproseries.settings)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from coproseries.settings import s3_private_storage_options, s3_storage_options


def test_s3_options_for_an_s3_compatible_endpoint():
    options = s3_storage_options(
        {
            "DJANGO_S3_BUCKET": "seminar-media",
            "DJANGO_S3_ENDPOINT_URL": "https://s3.example.net/",
            "DJANGO_S3_ACCESS_KEY_ID": "key",
            "DJANGO_S3_SECRET_ACCESS_KEY": "secret",
        }
    )

    assert options == {
        "bucket_name": "seminar-media",
        "region_name": "eu-west-2",
        "endpoint_url": "https://s3.example.net",
        "access_key": "key",
        "secret_key": "secret",
        "location": "media",
        "custom_domain": "s3.example.net/seminar-media",
        "url_protocol": "https:",
        "querystring_auth": False,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "max-age=604800"},
        "public_url": "https://s3.example.net/seminar-media/media/",
        "origin": "https://s3.example.net",
    }


def test_s3_photos_served_from_a_cdn_and_from_aws_by_default():
    cdn = s3_storage_options(
        {"DJANGO_S3_BUCKET": "b", "DJANGO_S3_PUBLIC_URL": "https://media.example.org"}
    )
    aws = s3_storage_options({"DJANGO_S3_BUCKET": "b", "DJANGO_S3_REGION": "eu-west-1"})

    assert (cdn["custom_domain"], cdn["origin"], cdn["endpoint_url"]) == (
        "media.example.org",
        "https://media.example.org",
        None,
    )
    assert (aws["custom_domain"], aws["origin"]) == (
        "b.s3.eu-west-1.amazonaws.com",
        "https://b.s3.eu-west-1.amazonaws.com",
    )


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "DJANGO_S3_BUCKET is required when DJANGO_MEDIA_STORAGE=s3."),
        (
            {"DJANGO_S3_BUCKET": "b", "DJANGO_S3_PUBLIC_URL": "media.example.org"},
            "DJANGO_S3_PUBLIC_URL must be an http(s) URL.",
        ),
    ],
)
def test_s3_settings_that_cannot_work_are_refused_at_start(environ, message):
    with pytest.raises(ImproperlyConfigured) as error:
        s3_storage_options(environ)

    assert str(error.value) == message


def test_s3_receipts_share_the_bucket_under_a_private_prefix_with_a_private_acl():
    options = s3_private_storage_options(
        {
            "DJANGO_S3_BUCKET": "seminar-media",
            "DJANGO_S3_ENDPOINT_URL": "https://s3.example.net/",
            "DJANGO_S3_ACCESS_KEY_ID": "key",
            "DJANGO_S3_SECRET_ACCESS_KEY": "secret",
        }
    )

    assert options == {
        "bucket_name": "seminar-media",
        "region_name": "eu-west-2",
        "endpoint_url": "https://s3.example.net",
        "access_key": "key",
        "secret_key": "secret",
        "location": "private",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "private, no-store"},
    }


def test_s3_receipts_may_have_a_bucket_of_their_own():
    options = s3_private_storage_options(
        {"DJANGO_S3_BUCKET": "photos", "DJANGO_S3_PRIVATE_BUCKET": "receipts",
         "DJANGO_S3_LOCATION": "", "DJANGO_S3_PRIVATE_LOCATION": ""}
    )  # fmt: skip

    assert (options["bucket_name"], options["location"]) == ("receipts", "")


@pytest.mark.parametrize(
    "environ",
    [
        {"DJANGO_S3_BUCKET": "b", "DJANGO_S3_PRIVATE_LOCATION": "media/private"},
        {"DJANGO_S3_BUCKET": "b", "DJANGO_S3_PRIVATE_LOCATION": "media"},
        {"DJANGO_S3_BUCKET": "b", "DJANGO_S3_LOCATION": ""},
        {"DJANGO_S3_BUCKET": "b", "DJANGO_S3_PRIVATE_LOCATION": ""},
    ],
    ids=["inside-the-public-prefix", "the-public-prefix", "whole-bucket-public", "no-prefix"],
)
def test_s3_receipts_are_refused_a_place_the_public_can_read(environ):
    with pytest.raises(ImproperlyConfigured, match="receipts must never be public"):
        s3_private_storage_options(environ)


def test_private_files_are_refused_a_directory_inside_the_public_media(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import coproseries.settings"],
        env={
            **os.environ,
            "DJANGO_DEBUG": "1",
            "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
            "DJANGO_PRIVATE_MEDIA_ROOT": str(tmp_path / "media" / "private"),
        },
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )

    assert result.returncode == 1
    assert "DJANGO_PRIVATE_MEDIA_ROOT must not be inside DJANGO_MEDIA_ROOT" in result.stderr
