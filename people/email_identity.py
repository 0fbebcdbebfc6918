"""When two email addresses are one: the canonical form, computed here and nowhere else.

Logins, people, registrations and the failed-login counters all store and compare this
form. The database never decides: its case-insensitive matching (PostgreSQL's UPPER, LOWER
and ILIKE) folds the dotless "ı" into "i", so "admin@mındsight.org", a different mailbox that
anyone may register, would match the superuser "admin@mindsight.org".
"""

import unicodedata

from django import forms
from django.db import models


def canonical_email(value):
    """The form in which an email address is stored and compared.

    NFKC turns compatibility characters into the letters they stand for (fullwidth
    "ＡＤＭＩＮ" is "ADMIN", the long "ſ" is "s", the Kelvin sign is "K"), then casefold
    removes case by Unicode's full rules: these are spellings of one address. Letters that
    are letters of their own stay apart: the dotless "ı" is not "i", so "admın@…" and
    "admin@…" are two mailboxes, as they are to a mail server.

    Anything that is not text (None, a query expression) is returned unchanged.
    """
    if not isinstance(value, str):
        return value
    return unicodedata.normalize("NFKC", value).casefold().strip()


class CanonicalEmailFormField(forms.EmailField):
    """An email form field whose cleaned value is canonical, checked after canonicalising:
    "ＡＤＭＩＮ@example.org" is a valid spelling of "admin@example.org", and the length
    limit applies to what is stored."""

    def to_python(self, value):
        return canonical_email(super().to_python(value))

    def widget_attrs(self, widget):
        # An address is not a word: no red underline, no "correction" by the browser.
        return {**super().widget_attrs(widget), "spellcheck": "false"}


class CanonicalEmailField(models.EmailField):
    """An email address stored in canonical form, and looked up by it.

    Every value on its way to the database is canonicalised, whether it is saved or
    compared (`filter(email=…)`, `email__in=…`), so no query can match on a raw spelling.
    """

    def to_python(self, value):
        return canonical_email(super().to_python(value))

    def get_prep_value(self, value):
        return canonical_email(super().get_prep_value(value))

    def pre_save(self, model_instance, add):
        value = canonical_email(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CanonicalEmailFormField, **kwargs})
