"""Feedback after a seminar: asking attendees once, taking their answers once, moderating
comments about talks, and erasing what they wrote with the rest of their details.

Nothing here logs what anyone wrote: answers may hold health data.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from coproseries.text import printable_lines
from seminars.feedback.emails import feedback_request_email_send
from seminars.feedback.models import FeedbackRequest, FeedbackResponse, TalkComment
from seminars.models import Registration

# Seminars that ended longer ago than this are not asked about, so that a site turning the
# command on for the first time does not email everyone who ever came.
FEEDBACK_REQUEST_DAYS = 7


class FeedbackClosed(Exception):
    """This registration cannot give feedback: the seminar has not ended, or was cancelled,
    or the place was not a confirmed one."""


class FeedbackAlreadyGiven(Exception):
    """This registration has answered already: nothing was stored."""


class FeedbackEmpty(Exception):
    """Every answer was left empty: nothing was stored, so the form can still be sent."""


def feedback_requests_due(*, days=FEEDBACK_REQUEST_DAYS):
    """Attendees of seminars that ended in the last `days` days who were neither asked nor
    have answered, seminar by seminar; not someone added at the door without an address."""
    return (
        _open_to_feedback()
        .filter(
            seminar__ends_at__gte=timezone.now() - dt.timedelta(days=days),
            feedback_request__isnull=True,
        )
        .exclude(email="")
        .order_by("seminar__ends_at", "seminar", "pk")
    )


def _open_to_feedback():
    """Registrations that may answer: attendees whose details are not erased."""
    return Registration.objects.attendees().filter(purged_at__isnull=True)


@transaction.atomic
def feedback_request_send(*, registration, now=None):
    """Email one attendee the link to the feedback form, at most once.

    The registration's row is locked and its FeedbackRequest claimed (a unique row) in the
    transaction that queues the email: a second run, or another host's run at the same
    moment, finds it claimed and sends nothing; a failure to queue releases the claim.
    Someone who answered before the email went is not emailed. Returns whether an email
    was queued.
    """
    registration = (
        _open_to_feedback()
        .select_for_update(of=("self",))
        .select_related("seminar", "seminar__series", "seminar__venue")
        .filter(pk=registration.pk)
        .first()
    )
    if registration is None or not registration.email:
        return False
    _request, created = FeedbackRequest.objects.get_or_create(
        registration=registration, defaults={"emailed_at": now or timezone.now()}
    )
    if not created:
        return False
    feedback_request_email_send(registration=registration)
    return True


def _text(value):
    return printable_lines(value).strip()


@transaction.atomic
def feedback_response_create(
    *,
    registration,
    anonymous=False,
    accessible="",
    heard="",
    differently="",
    organiser_answer="",
    comment="",
    talk=None,
    talk_comment="",
):
    """Store one attendee's answers, once.

    An anonymous response keeps the involvement the attendee registered with (for the
    counts) and nothing that leads back to them; the registration is only marked as having
    answered. A comment about a talk waits for an organiser's approval before its speakers
    see it. Raises FeedbackClosed, FeedbackAlreadyGiven or FeedbackEmpty, and stores nothing.
    """
    registration = (
        _open_to_feedback()
        .select_for_update(of=("self",))
        .select_related("seminar")
        .filter(pk=registration.pk)
        .first()
    )
    if registration is None:
        raise FeedbackClosed
    answers = {
        "accessible": accessible or "",
        "heard": heard or "",
        "differently": _text(differently),
        "organiser_answer": _text(organiser_answer),
        "comment": _text(comment),
    }
    talk_comment = _text(talk_comment)
    if talk is not None and talk.seminar_id != registration.seminar_id:
        raise ValueError("The talk is not on this seminar's programme.")
    if not any(answers.values()) and not (talk and talk_comment):
        raise FeedbackEmpty
    # Under the registration's lock: a second submission waits here, then finds it answered.
    feedback_request, _created = FeedbackRequest.objects.get_or_create(registration=registration)
    if feedback_request.responded:
        raise FeedbackAlreadyGiven
    feedback_request.responded = True
    feedback_request.save(update_fields=["responded"])
    response = FeedbackResponse.objects.create(
        seminar=registration.seminar,
        registration=None if anonymous else registration,
        role_id=registration.role_id,
        **answers,
    )
    if talk is not None and talk_comment:
        TalkComment.objects.create(response=response, talk=talk, body=talk_comment)
    return response


def talk_comments_moderate(*, comments, status, moderator):
    """Approve or reject comments about talks (a queryset). Returns how many changed."""
    status = TalkComment.Status(status)
    return comments.exclude(status=status).update(
        status=status, moderated_at=timezone.now(), moderated_by=moderator
    )


def feedback_response_erase(*, registration):
    """The registrant asked for their details to be erased: their named response goes with
    them, comments about talks included. An anonymous one cannot be told apart, and stays."""
    FeedbackResponse.objects.filter(registration=registration).delete()


ERASED_TEXT = {"differently": "", "organiser_answer": "", "comment": ""}


def feedback_purge(*, ended_before):
    """With the registrations' purge: erase what attendees wrote about seminars that ended
    before a moment (answers, comments, comments about talks) and unlink every response
    from its registration. The yes/partly/no answers and involvement stay, for the counts.
    Returns how many responses were changed."""
    responses = FeedbackResponse.objects.filter(seminar__ends_at__lt=ended_before)
    TalkComment.objects.filter(response__in=responses).delete()
    return (
        responses.exclude(registration__isnull=True, **ERASED_TEXT)
        .order_by()
        .update(registration=None, **ERASED_TEXT)
    )
