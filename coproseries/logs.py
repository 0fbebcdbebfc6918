"""Logs for the platform to collect: one JSON object a line on stdout, with secrets masked.

A registration's private link, an invitation link and a password reset link each carry a
secret in the path. Django logs the path of a request that went wrong ("Not Found: …"), so
every record is masked before it is written, whichever logger wrote it.
"""

import datetime as dt
import json
import logging
import re

SECRET_PATHS = [
    # /registrations/<token>/…
    (re.compile(r"(/registrations/)[^/\s\"']+"), r"\1[token]"),
    # /subscriptions/<token>/confirm/ and …/unsubscribe/
    (re.compile(r"(/subscriptions/)[^/\s\"']+"), r"\1[token]"),
    # /accounts/invitation/<uidb64>/<token>/ and /accounts/password/reset/<uidb64>/<token>/
    (
        re.compile(
            r"(/accounts/(?:invitation|password/reset)/)(?!sent/|done/)[^/\s\"']+/[^/\s\"']+"
        ),
        r"\1[uid]/[token]",
    ),
]


def mask_secrets(text):
    for pattern, replacement in SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return text


class MaskSecretsFilter(logging.Filter):
    """Rewrites the record's message with the secrets in private links masked."""

    def filter(self, record):
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            record.request_path = mask_secrets(request.path)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message, and what is known of
    the request (method, masked path, status). Never the request's body or headers."""

    def format(self, record):
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            entry["method"] = request.method
            entry["path"] = getattr(record, "request_path", mask_secrets(request.path))
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = mask_secrets(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
