"""Feedback for the demo's fictional past seminar: fictional attendees, their answers, and
comments about its talks, some approved (the demo speaker sees them on /profile/), one
waiting. Safe to run again: the organisers' question and a registration that has answered
are left as they are."""

from people.models import Role
from seminars.feedback.models import FeedbackRequest, FeedbackSettings, TalkComment
from seminars.feedback.services import feedback_response_create
from seminars.models import Registration

QUESTION = "What should a future seminar talk about?"

# (involvement, accessible, heard, anonymous, what they will do differently, answer to the
# organisers' question, comment, (talk slug, comment about it, approved?)). All fictional.
ANSWERS = [
    ("expert-by-experience", "yes", "yes", True, "Offer to co-write our next training day.",
     "Paying contributors fairly.", "The quiet room helped a lot.",
     ("co-produced-teaching", "Clear, and honest about what went wrong.", True)),
    ("expert-by-experience", "yes", "yes", False, "", "Peer support on inpatient wards.", "",
     ("what-peer-trainers-bring", "Generous and practical. Thank you.", True)),
    ("expert-by-experience", "yes", "partly", True, "", "", "More time for questions, please.",
     None),
    ("expert-by-experience", "yes", "yes", True, "Share the planning, not just the speaking.",
     "", "", None),
    ("expert-by-experience", "yes", "yes", False, "", "", "", None),
    ("expert-by-experience", "partly", "partly", True, "", "", "The lunch queue was long.",
     ("co-produced-teaching", "Could the slides be shared?", None)),
    ("academic", "yes", "yes", False, "Invite students to plan with us.", "", "", None),
    ("academic", "yes", "yes", True, "", "Assessment by experts by experience.", "",
     ("co-produced-teaching", "I liked hearing how the students changed their minds.", True)),
    ("academic", "yes", "yes", False, "", "", "The hearing loop worked well.", None),
    ("academic", "yes", "yes", True, "", "", "", None),
    ("academic", "yes", "yes", False, "Pay contributors on the day, not weeks later.", "", "",
     None),
    ("practitioner", "yes", "partly", True, "Bring a colleague from my team next time.", "",
     "", None),
    ("practitioner", "yes", "partly", False, "", "Carers' part in care planning.", "", None),
    ("practitioner", "partly", "partly", True, "", "", "Slides were hard to read at the back.",
     None),
    ("practitioner", "yes", "partly", False, "", "", "", None),
    ("practitioner", "partly", "partly", True, "", "", "", None),
    ("carer", "no", "no", True, "", "", "Step-free route was not signposted.", None),
    ("carer", "partly", "no", True, "", "Carers' voices, please.", "", None),
    ("peer-support-worker", "yes", "yes", False, "", "", "", None),
    ("peer-support-worker", "yes", "partly", True, "Ask for supervision that understands "
     "peer work.", "", "", None),
    (None, "", "", True, "", "", "A good day.", None),
]  # fmt: skip
# Registered, came, and did not answer.
SILENT = 3


def feedback_demo_ensure(seminar):
    # Made once: an organiser's own question, edited since, stays.
    FeedbackSettings.objects.get_or_create(seminar=seminar, defaults={"question": QUESTION})
    roles = {role.slug: role for role in Role.objects.all()}
    talks = {talk.slug: talk for talk in seminar.talks.all()}
    for number, answer in enumerate(ANSWERS, start=1):
        role_slug, accessible, heard, anonymous, differently, organiser_answer, comment, talk = (
            answer
        )
        registration = _attendee(seminar, number, roles.get(role_slug))
        if FeedbackRequest.objects.filter(registration=registration, responded=True).exists():
            continue
        response = feedback_response_create(
            registration=registration,
            anonymous=anonymous,
            accessible=accessible,
            heard=heard,
            differently=differently,
            organiser_answer=organiser_answer,
            comment=comment,
            talk=talks[talk[0]] if talk else None,
            talk_comment=talk[1] if talk else "",
        )
        if talk and talk[2]:
            TalkComment.objects.filter(response=response).update(status=TalkComment.Status.APPROVED)
    for number in range(len(ANSWERS) + 1, len(ANSWERS) + SILENT + 1):
        _attendee(seminar, number, None)


def _attendee(seminar, number, role):
    registration, _ = Registration.objects.get_or_create(
        seminar=seminar,
        email=f"attendee{number:02d}@example.org",
        defaults={"name": f"Attendee {number} (fictional)", "role": role},
    )
    # Asked already, as the scheduled job would have: it never emails the demo's attendees.
    FeedbackRequest.objects.get_or_create(
        registration=registration, defaults={"emailed_at": seminar.ends_at}
    )
    return registration
