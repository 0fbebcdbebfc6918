"""Media storage: what a storage raises when it cannot take a file, and the private storage.

A media storage that cannot take a file raises the disk's OSError, or an S3 bucket's refusal
(botocore, through django-storages).

Private files (contributors' receipts) go through Django's storage API like photos, but never
under a public address: on disk under PRIVATE_MEDIA_ROOT, which no web server serves; on S3
under a prefix (or bucket) of their own with a private ACL. Both backends refuse to make a
URL, so no template or admin widget can link to one by accident: a view that checks who is
asking serves them.
"""

import os

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)

PRIVATE_URL_REFUSED = (
    "Private files have no URL: serve them through a view that checks who is asking."
)


def storage_error_reason(error):
    """A short reason for the log: never the file's name, which may carry a person's name."""
    if isinstance(error, ClientError):
        return error.response.get("Error", {}).get("Code", "ClientError")
    if isinstance(error, OSError):
        return error.strerror or type(error).__name__
    return type(error).__name__


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, read when used (so a test's own directory holds)."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError(PRIVATE_URL_REFUSED)


class PrivateS3Storage(S3Storage):
    """Objects under their own prefix (or bucket), each with a private ACL."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NotImplementedError(PRIVATE_URL_REFUSED)
