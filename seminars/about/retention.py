"""How long registrants' details are kept, said one way everywhere.

The registration form, the registrant's private page, the privacy notice and every email to
a registrant use `registration_retention()` (templates through the `registration_retention`
tag), so they cannot disagree with each other or with `purge_registrations`, which erases
the details after the same `REGISTRATION_PURGE_DAYS`.
"""

from django.conf import settings


def retention_days_words(days):
    return f"{days} day{'s' if days != 1 else ''}"


def registration_retention():
    """The sentence, in the registrant's own terms."""
    days = retention_days_words(settings.REGISTRATION_PURGE_DAYS)
    return f"Your details are deleted {days} after the seminar ends."
