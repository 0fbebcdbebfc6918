from django.conf import settings
from django.db import models
from django.utils import timezone


class SeminarChange(models.Model):
    """A change to a seminar that its registrants were told of (or could have been).

    Holds what changed and the organisers' note, never anything about a registrant: only
    how many people were emailed.
    """

    class Kind(models.TextChoices):
        CANCELLED = "cancelled", "Cancelled"
        REINSTATED = "reinstated", "Going ahead again"
        CHANGED = "changed", "Changed"

    seminar = models.ForeignKey(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    summary = models.TextField(help_text="What changed, old and new, one line each.")
    note = models.TextField("note to registrants", blank=True, max_length=1000)
    emailed = models.BooleanField(
        "registrants emailed",
        default=True,
        help_text="Off when the organiser chose to save without emailing.",
    )
    notified_count = models.PositiveIntegerField("people emailed", default=0)
    sequence = models.PositiveIntegerField(
        "calendar revision", help_text="The seminar's calendar revision after this change."
    )
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = "change told to registrants"
        verbose_name_plural = "changes told to registrants"
        indexes = [models.Index(fields=["seminar", "-changed_at"], name="seminar_change_latest")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.seminar} ({self.changed_at:%d %b %Y})"

    @property
    def summary_lines(self):
        return self.summary.splitlines()
