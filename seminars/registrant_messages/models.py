"""What organisers wrote to a seminar's registrants: the words, who sent them, to how many.

No addresses or names are kept here, only the count, so erasing a registration leaves
nothing personal behind in this record.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class RegistrantMessage(models.Model):
    class Audience(models.TextChoices):
        ALL = "all", "Everyone registered (confirmed and waiting)"
        CONFIRMED = "confirmed", "Confirmed places"
        WAITING = "waiting", "On the waiting list"
        IN_PERSON = "in_person", "Confirmed, attending in person"
        ONLINE = "online", "Confirmed, attending online"

    seminar = models.ForeignKey(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="registrant_messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=10000)
    audience = models.CharField(max_length=20, choices=Audience)
    recipient_count = models.PositiveIntegerField("emailed")
    sent_at = models.DateTimeField(default=timezone.now)
    # The id of the "Send" button's form: a second click or a resubmitted page carries the
    # same id, and is refused instead of emailing everyone twice.
    send_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = "message to registrants"
        verbose_name_plural = "messages to registrants"
        permissions = [("email_registrants", "Can email a seminar's registrants")]

    def __str__(self):
        return self.subject
