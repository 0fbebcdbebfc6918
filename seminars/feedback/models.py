"""What attendees say after a seminar, and what reaches its speakers.

Feedback text may hold health data: it is erased with the registrations' purge after the
seminar (seminars/feedback/services.py), and an anonymous response keeps no link to the
registration at all. Responses and talk comments have random primary keys, so that the
order rows were written in cannot be matched against anything else (a registration's
"responded" marker is a plain yes, with no time).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from coproseries.text import single_line

# The longest free-text answer kept; a longer one is refused with a message, not cut.
ANSWER_MAX_LENGTH = 2000


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class FeedbackSettings(models.Model):
    """The organisers' own question for one seminar's attendees."""

    seminar = models.OneToOneField(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="feedback_settings"
    )
    question = models.CharField(
        "your question to attendees (optional)",
        max_length=300,
        blank=True,
        validators=[single_line],
        help_text="Asked on the feedback form after the seminar, with a box for the answer, "
        "for example “What should the next seminar talk about?”. Empty: no question of "
        "your own.",
    )

    class Meta:
        ordering = ["seminar"]
        verbose_name = "feedback question"
        verbose_name_plural = "feedback question"

    def __str__(self):
        return self.question or "No question of your own"


class FeedbackRequest(models.Model):
    """One registration's part in the feedback: whether it was emailed the form, and
    whether it answered. One row per registration, claimed before the email is queued, so
    that nobody is asked twice or answers twice. `responded` is a yes with no time, so
    that it cannot be matched with an anonymous response."""

    registration = models.OneToOneField(
        "seminars.Registration", on_delete=models.CASCADE, related_name="feedback_request"
    )
    emailed_at = models.DateTimeField("feedback form emailed", null=True, blank=True)
    responded = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = "feedback request"
        verbose_name_plural = "feedback requests"

    def __str__(self):
        return f"Feedback request for registration {self.registration_id}"


class FeedbackResponse(models.Model):
    """One attendee's answers. Every answer is optional. `registration` is empty when the
    attendee chose to answer anonymously (or once the registration was purged); `role` is
    how they described their involvement when registering, kept for the counts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    seminar = models.ForeignKey(
        "seminars.Seminar", on_delete=models.CASCADE, related_name="feedback_responses"
    )
    registration = models.OneToOneField(
        "seminars.Registration",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback_response",
        help_text="Empty for an anonymous response.",
    )
    role = models.ForeignKey(
        "people.Role",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="involvement",
    )
    accessible = models.CharField(
        "was the seminar accessible to you?", max_length=10, choices=Answer, blank=True
    )
    heard = models.CharField("did you feel heard?", max_length=10, choices=Answer, blank=True)
    differently = models.TextField(
        "what will you do differently?", blank=True, max_length=ANSWER_MAX_LENGTH
    )
    organiser_answer = models.TextField(
        "answer to the organisers' question", blank=True, max_length=ANSWER_MAX_LENGTH
    )
    comment = models.TextField("any other comments", blank=True, max_length=ANSWER_MAX_LENGTH)
    submitted_on = models.DateField(default=timezone.localdate, editable=False)

    class Meta:
        ordering = ["seminar", "pk"]
        verbose_name = "feedback response"
        verbose_name_plural = "feedback responses"

    def __str__(self):
        return f"Feedback on {self.seminar}"

    @property
    def is_anonymous(self):
        return self.registration_id is None


class TalkComment(models.Model):
    """A comment about one talk. Its speakers see it only once an organiser approves it,
    and never with the commenter's name."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved: speakers see it"
        REJECTED = "rejected", "Rejected: speakers never see it"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.OneToOneField(
        FeedbackResponse, on_delete=models.CASCADE, related_name="talk_comment"
    )
    talk = models.ForeignKey(
        "seminars.Talk", on_delete=models.CASCADE, related_name="feedback_comments"
    )
    body = models.TextField("comment", max_length=ANSWER_MAX_LENGTH)
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    submitted_on = models.DateField(default=timezone.localdate, editable=False)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-submitted_on", "talk", "pk"]
        verbose_name = "comment on a talk"
        verbose_name_plural = "comments on talks"
        indexes = [models.Index(fields=["talk", "status"], name="talkcomment_talk_status")]

    def __str__(self):
        return f"Comment on {self.talk}"
