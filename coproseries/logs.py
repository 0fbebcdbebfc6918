"""Logs for the platform to collect: one JSON object a line on stdout, with secrets masked.

A registration's private link, an invitation link and a password reset link each carry a
secret in the path. Django logs the path of a request that went wrong ("Not Found: …"), so
every record is masked before it is written, whichever logger wrote it.

Email addresses are masked too: django-mailer logs each recipient when it sends (its logger
is kept at WARNING in settings, and `runmailer --debug` lowers it again), an SMTP refusal
names the address, and a query string can carry one. Names and access needs cannot be
recognised in text, so no code of the site logs them (tests capture whole journeys' logs).
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


# Anything shaped like an address, in any script (look-alike letters included), and its
# URL-encoded form in a query string. "/", "?", "&" and "=" are left out of the local part,
# though allowed there, so that the path and query around an address stay readable.
EMAIL_ADDRESS = re.compile(r"[\w.!#$%'*+^`{|}~-]+(?:@|%40)[\w-]+(?:\.[\w-]+)*")


def mask_secrets(text):
    for pattern, replacement in SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return EMAIL_ADDRESS.sub("[email]", text)


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
        # An exception's text can quote an address (an SMTP refusal does): formatters use
        # exc_text when it is set, so every format writes the masked one.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_secrets(record.stack_info)
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
        if record.exc_info or record.exc_text:
            entry["exception"] = mask_secrets(
                record.exc_text or self.formatException(record.exc_info)
            )
        return json.dumps(entry, ensure_ascii=False)
