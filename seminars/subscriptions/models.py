"""People who asked for an email about each new seminar, and the notices sent to them.

A subscription is an email address and nothing else: no account, no name. It counts only
once its owner follows the confirmation link (double opt-in); unconfirmed ones are deleted
after `SUBSCRIPTION_CONFIRM_DAYS`, and unsubscribing deletes the row.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from people.email_identity import CanonicalEmailField


def _new_token():
    from seminars.models import new_registration_token

    return new_registration_token()


def subscriber_token_digest(token):
    from seminars.models import registration_token_digest

    return registration_token_digest(token)


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def with_token(self, token):
        """The subscription whose links carry `token`, found by its digest and compared in
        constant time, as registrations' private links are; None when there is none."""
        subscriber = self.filter(token_digest=subscriber_token_digest(token)).first()
        if subscriber is None or not constant_time_compare(subscriber.token, token):
            return None
        return subscriber


class Subscriber(models.Model):
    email = CanonicalEmailField(max_length=254, unique=True, help_text="Stored in canonical form.")
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    token_digest = models.CharField(
        max_length=64, unique=True, editable=False, help_text="SHA-256 of the token."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "subscriber"
        verbose_name_plural = "subscribers"
        permissions = [("export_subscribers", "Can download subscribers' addresses")]

    def __str__(self):
        return "Subscriber" if self.confirmed_at else "Unconfirmed subscriber"

    def save(self, *args, **kwargs):
        self.token_digest = subscriber_token_digest(self.token)
        super().save(*args, **kwargs)

    def get_confirm_url(self):
        return reverse("seminars:subscription_confirm", kwargs={"token": self.token})

    def get_unsubscribe_url(self):
        return reverse("seminars:unsubscribe", kwargs={"token": self.token})


class SeminarNotice(models.Model):
    """One announcement to subscribers about a seminar: each kind goes once per seminar."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", "New seminar"
        REGISTRATION_OPEN = "registration_open", "Registration open"

    seminar = models.ForeignKey(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="subscriber_notices"
    )
    kind = models.CharField(max_length=30, choices=Kind)
    recipient_count = models.PositiveIntegerField("emailed", default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = "notice to subscribers"
        verbose_name_plural = "notices to subscribers"
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "kind"], name="seminars_seminarnotice_once_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.seminar}"
