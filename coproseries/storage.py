"""What a media storage raises when it cannot take a file: the disk's OSError, or an S3
bucket's refusal (botocore, through django-storages)."""

from botocore.exceptions import BotoCoreError, ClientError

STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


def storage_error_reason(error):
    """A short reason for the log: never the file's name, which may carry a person's name."""
    if isinstance(error, ClientError):
        return error.response.get("Error", {}).get("Code", "ClientError")
    if isinstance(error, OSError):
        return error.strerror or type(error).__name__
    return type(error).__name__
