"""Feedback after a seminar: the form behind the private link (every answer optional,
anonymous if wished, once only), the organisers' results with small counts hidden, comments
about talks moderated before speakers see them, and erasure with the registration."""

import datetime as dt
import json
import logging

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from people.models import Role
from seminars.feedback.models import (
    FeedbackRequest,
    FeedbackResponse,
    FeedbackSettings,
    TalkComment,
)
from seminars.feedback.selectors import registration_feedback_state
from seminars.feedback.services import (
    FeedbackAlreadyGiven,
    feedback_request_send,
    feedback_requests_due,
    feedback_response_create,
)
from seminars.models import Registration, Seminar
from seminars.services import registration_erase, registrations_purge
from tests.factories import (
    PersonFactory,
    RegistrationFactory,
    SeminarFactory,
    TalkFactory,
    UserFactory,
)
from tests.html import page, page_with_status, text, texts
from tests.seminars.test_erasure import tables_holding

pytestmark = pytest.mark.django_db

Status = TalkComment.Status


def ended_seminar(**fields):
    """A published seminar that ended yesterday."""
    return SeminarFactory(days_from_now=-1, **fields)


def seminar_in_progress(**fields):
    now = timezone.now()
    return SeminarFactory(
        starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=1), **fields
    )


def role(slug):
    return Role.objects.get(slug=slug)


def feedback_url(registration):
    return f"/registrations/{registration.token}/feedback/"


@pytest.fixture
def seminar():
    seminar = ended_seminar(title="Sharing power", slug="sharing-power")
    TalkFactory(
        seminar=seminar,
        title="Whose knowledge?",
        speakers=[PersonFactory(name="Ada Example")],
    )
    return seminar


@pytest.fixture
def registration(seminar):
    return RegistrationFactory(
        seminar=seminar, name="Sam Visitor", email="sam@example.org", role=role("carer")
    )


# Who is asked, and the email


def test_feedback_requests_go_to_confirmed_attendees_of_ended_seminars_only():
    ended = ended_seminar()
    asked = RegistrationFactory(seminar=ended, email="came@example.org")
    RegistrationFactory(seminar=ended, status=Registration.Status.CANCELLED)
    RegistrationFactory(seminar=ended, status=Registration.Status.WAITLISTED)
    RegistrationFactory(seminar=ended, purged_at=timezone.now(), email="")
    RegistrationFactory(seminar=ended, is_walk_in=True, email="")  # no address to write to
    walked_in = RegistrationFactory(seminar=ended, is_walk_in=True, email="door@example.org")
    RegistrationFactory(seminar=seminar_in_progress())
    RegistrationFactory(seminar=SeminarFactory(days_from_now=3))
    RegistrationFactory(seminar=ended_seminar(status=Seminar.Status.CANCELLED))
    RegistrationFactory(seminar=ended_seminar(status=Seminar.Status.DRAFT))
    RegistrationFactory(seminar=SeminarFactory(days_from_now=-30))  # too long ago to ask

    assert list(feedback_requests_due()) == [asked, walked_in]


def test_once_check_in_was_used_only_those_who_came_are_asked():
    ended = ended_seminar()
    arrived_at = ended.starts_at + dt.timedelta(minutes=5)
    came = RegistrationFactory(seminar=ended, email="came@example.org", attended_at=arrived_at)
    RegistrationFactory(seminar=ended, email="stayed.away@example.org")
    online = RegistrationFactory(
        seminar=ended, email="online@example.org", attendance=Registration.Attendance.ONLINE
    )
    walked_in = RegistrationFactory(
        seminar=ended, is_walk_in=True, email="door@example.org", attended_at=arrived_at
    )
    without_check_in = RegistrationFactory(seminar=ended_seminar(), email="other@example.org")

    assert sorted(feedback_requests_due(), key=lambda r: r.pk) == [
        came,
        online,
        walked_in,
        without_check_in,
    ]
    stayed_away = Registration.objects.get(email="stayed.away@example.org")
    assert registration_feedback_state(stayed_away) == "closed"


def test_the_email_carries_the_feedback_link_and_goes_once(registration):
    assert feedback_request_send(registration=registration) is True
    assert feedback_request_send(registration=registration) is False

    [message] = mail.outbox
    assert (message.to, message.subject) == (
        ["sam@example.org"],
        "How was Sharing power? Tell the organisers",
    )
    assert f"{settings.SITE_URL}/registrations/{registration.token}/feedback/\n" in message.body
    assert message.body.startswith("Dear Sam Visitor,\n\nThank you for coming to Sharing power")
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert list(feedback_requests_due()) == []


def test_someone_who_answered_before_the_email_is_not_emailed(registration):
    feedback_response_create(registration=registration, heard="yes")

    assert feedback_request_send(registration=registration) is False
    assert mail.outbox == []


# The form


def test_the_form_asks_every_question_as_optional(client, seminar, registration):
    FeedbackSettings.objects.create(seminar=seminar, question="What should we talk about next?")

    soup = page(client.get(feedback_url(registration)))

    assert text(soup, "h1") == "Your feedback on Sharing power"
    assert texts(soup, "main form legend, main form label[for]:not(.form-check-label)") == [
        "Was the seminar accessible to you? (optional)",
        "Did you feel heard? (optional)",
        "What will you do differently after this seminar? (optional)",
        "What should we talk about next? (optional)",
        "Anything else you would like to tell the organisers? (optional)",
        "A comment about a talk (optional)",
        "Which talk? (optional)",
        "Your comment for its speakers (optional)",
    ]
    assert texts(soup, "#div_id_accessible label") == ["Yes", "Partly", "No"]
    assert texts(soup, "#id_talk option") == ["No talk chosen", "Whose knowledge? (Ada Example)"]
    assert text(soup, "label[for=id_anonymous]") == "Send anonymously"
    assert "(“Carer”)" in text(soup, "#id_anonymous_helptext")
    assert soup.select("[required]") == []
    assert client.get(feedback_url(registration))["Cache-Control"].startswith("max-age=0")


def test_an_answer_is_stored_with_the_registration_and_thanked(client, seminar, registration):
    talk = seminar.talks.get()
    response = client.post(
        feedback_url(registration),
        {
            "accessible": "partly",
            "comment": "  The quiet room was a help.\r\nThank you.  ",
            "talk": str(talk.pk),
            "talk_comment": "It made me think again.",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/registrations/{registration.token}/feedback/sent/"
    stored = FeedbackResponse.objects.get()
    assert (
        stored.registration,
        stored.role.slug,
        stored.accessible,
        stored.heard,
        stored.differently,
        stored.comment,
    ) == (registration, "carer", "partly", "", "", "The quiet room was a help.\nThank you.")
    assert list(TalkComment.objects.values_list("talk", "body", "status")) == [
        (talk.pk, "It made me think again.", Status.PENDING)
    ]
    thanks = page(client.get(response["Location"]))
    assert text(thanks, "h1") == "Thank you for your feedback"
    manage = page(client.get(registration.get_absolute_url()))
    assert text(manage, "#feedback") == "You have sent your feedback on this seminar. Thank you."


def test_an_anonymous_answer_keeps_the_involvement_and_nothing_that_leads_back(
    client, registration
):
    response = client.post(feedback_url(registration), {"heard": "no", "anonymous": "on"})

    assert response.status_code == 302
    assert list(FeedbackResponse.objects.values_list("registration", "role__slug", "heard")) == [
        (None, "carer", "no")
    ]
    assert list(FeedbackRequest.objects.values_list("registration", "responded")) == [
        (registration.pk, True)
    ]
    assert registration_feedback_state(registration) == "answered"


def test_sending_again_shows_a_clear_page_and_stores_nothing_more(client, registration):
    client.post(feedback_url(registration), {"heard": "yes"})

    again = client.post(feedback_url(registration), {"heard": "no"})
    later = client.get(feedback_url(registration))

    assert text(page_with_status(again, 409), "h1") == "You have sent your feedback"
    assert text(page(later), "#feedback-state") == (
        "You have already sent your feedback on Sharing power, so nothing more was sent. Thank you."
    )
    assert list(FeedbackResponse.objects.values_list("heard", flat=True)) == ["yes"]


def test_an_empty_form_is_refused_with_a_message_and_can_be_sent_later(client, registration):
    response = client.post(feedback_url(registration), {"talk": "", "anonymous": "on"})

    assert texts(page_with_status(response, 400), "#error-summary li") == [
        "Answer at least one question before you send the form. Every question is optional, "
        "but an empty form tells the organisers nothing."
    ]
    assert FeedbackResponse.objects.count() == FeedbackRequest.objects.count() == 0
    assert registration_feedback_state(registration) == "open"


def test_bad_input_gets_clear_messages_and_a_400(client, seminar, registration):
    other_talk = TalkFactory(seminar=ended_seminar())
    response = client.post(
        feedback_url(registration),
        {
            "accessible": "maybe",
            "differently": "x" * 2001,
            "talk": str(other_talk.pk),
            "talk_comment": "Good",
        },
    )

    assert texts(page_with_status(response, 400), "#error-summary li") == [
        "Choose yes, partly or no, or none.",
        "Shorten this to 2000 characters or fewer: it has 2001. Nothing has been sent yet.",
        "Choose one of the talks listed.",
    ]
    no_talk = client.post(feedback_url(registration), {"talk_comment": "Good"})
    assert texts(page_with_status(no_talk, 400), "#error-summary li") == [
        "Choose the talk your comment is about."
    ]
    assert FeedbackResponse.objects.count() == 0


def test_a_stale_link_gets_the_expired_link_page(client, registration):
    registration_erase(registration=registration)

    for response in [
        client.get(feedback_url(registration)),
        client.post(feedback_url(registration), {"heard": "yes"}),
        client.get("/registrations/not-a-real-token/feedback/"),
    ]:
        soup = page_with_status(response, 404)
        assert "it may have expired or been used already" in soup.get_text()
    assert FeedbackResponse.objects.count() == 0


def test_feedback_waits_for_the_end_and_is_only_for_confirmed_places(client):
    early = RegistrationFactory(seminar=seminar_in_progress(title="Going on now"))
    cancelled = RegistrationFactory(seminar=ended_seminar(), status=Registration.Status.CANCELLED)
    called_off = RegistrationFactory(seminar=ended_seminar(status=Seminar.Status.CANCELLED))

    assert text(page_with_status(client.get(feedback_url(early)), 403), "#feedback-state") == (
        "The feedback form opens when the seminar ends, on "
        f"{timezone.localtime(early.seminar.ends_at):%A %-d %B %Y at %H:%M} (UK time). "
        "We will email you the link."
    )
    assert text(page_with_status(client.get(feedback_url(cancelled)), 403), "#feedback-state") == (
        "The feedback form is for people who had a confirmed place at the seminar, and this "
        "registration was cancelled."
    )
    assert text(
        page_with_status(client.post(feedback_url(called_off), {"heard": "yes"}), 403),
        "#feedback-state",
    ) == ("This seminar was cancelled, so there is no feedback to give.")
    assert page(client.get(early.get_absolute_url())).select("#feedback") == []
    assert FeedbackResponse.objects.count() == 0


def test_the_private_page_offers_the_form_after_the_seminar(client, registration):
    soup = page(client.get(registration.get_absolute_url()))

    assert text(soup, "#feedback h2") == "How was it?"
    assert soup.select_one("#feedback a")["href"] == feedback_url(registration)


def test_the_form_runs_the_same_queries_with_one_talk_or_many(
    client, seminar, registration, django_assert_num_queries
):
    with django_assert_num_queries(5):
        client.get(feedback_url(registration))
    for _ in range(6):
        TalkFactory(seminar=seminar, speakers=[PersonFactory(), PersonFactory()])
    with django_assert_num_queries(5):
        client.get(feedback_url(registration))


def test_feedback_never_reaches_the_logs(client, registration, caplog):
    caplog.set_level(logging.DEBUG)
    client.post(feedback_url(registration), {"comment": "My panic attacks eased", "heard": "yes"})
    client.post(feedback_url(registration), {"comment": "x" * 3000})

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "panic attacks" not in logged
    assert registration.token not in logged


# The organisers' results


def _respond(seminar, role_slug, count, **answers):
    for _ in range(count):
        registration = RegistrationFactory(
            seminar=seminar, role=role(role_slug) if role_slug else None
        )
        feedback_response_create(registration=registration, **answers)


def _table(soup, number):
    return [texts(row, "th, td") for row in soup.select(f"#counts-{number} tr")]


F = "fewer than 5"
ROLES = [
    "Academic",
    "Expert by experience",
    "Peer support worker",
    "Carer",
    "Practitioner",
    "Student",
    "Policy maker",
]


def test_results_count_answers_by_involvement_and_hide_small_counts(organiser_client, seminar):
    _respond(seminar, "academic", 5, accessible="yes", heard="yes")
    _respond(seminar, "expert-by-experience", 5, accessible="yes", heard="partly")
    _respond(seminar, "expert-by-experience", 1, accessible="partly", heard="no", anonymous=True)
    _respond(seminar, "carer", 2, accessible="no", heard="no", comment="Too fast for me.")
    _respond(seminar, None, 1, heard="no", differently="Ask before I speak.")
    _respond(seminar, "practitioner", 5, accessible="yes", comment="More breaks, please.")

    soup = page(organiser_client.get(f"/admin/seminars/seminar/{seminar.pk}/feedback/"))

    assert text(soup, "#response-count") == "19 responses."
    assert texts(soup, "section h2")[:2] == [
        "Was the seminar accessible to you?",
        "Did you feel heard?",
    ]
    assert _table(soup, 1) == [
        ["Answer", *ROLES, "Not given", "All"],
        ["Yes", "5", "5", F, F, "5", F, F, F, "15"],
        ["Partly", F, F, F, F, F, F, F, F, F],
        ["No", F, F, F, F, F, F, F, F, F],
        ["No answer", F, F, F, F, F, F, F, F, F],
        ["All who responded", "5", "6", F, F, "5", F, F, F, "19"],
    ]
    # Only "No" is under 5 among the answers' totals (4), so it could be worked out from the
    # others and the 19: the smallest other total is hidden too.
    assert _table(soup, 2) == [
        ["Answer", *ROLES, "Not given", "All"],
        ["Yes", "5", F, F, F, F, F, F, F, "hidden"],
        ["Partly", F, "5", F, F, F, F, F, F, "5"],
        ["No", F, F, F, F, F, F, F, F, F],
        ["No answer", F, F, F, F, "5", F, F, F, "5"],
        ["All who responded", "5", "6", F, F, "5", F, F, F, "19"],
    ]
    assert texts(soup, "#differently li") == ["Ask before I speak."]
    assert (
        sorted(texts(soup, "#comments li"))
        == ["More breaks, please."] * 5 + ["Too fast for me."] * 2
    )
    assert "Test Registrant" not in soup.get_text()


def test_results_with_few_responses_hide_every_count(organiser_client, seminar):
    _respond(seminar, "carer", 3, accessible="yes", heard="yes")

    soup = page(organiser_client.get(f"/admin/seminars/seminar/{seminar.pk}/feedback/"))

    for number in [1, 2]:
        rows = _table(soup, number)
        assert [cell for row in rows[1:] for cell in row[1:-1]] == [F] * 8 * 5
        assert rows[-1][-1] == "3"


def test_results_are_linked_from_the_seminar_and_need_the_view_permission(
    client, organiser_client, seminar
):
    change = page(organiser_client.get(f"/admin/seminars/seminar/{seminar.pk}/change/"))
    url = f"/admin/seminars/seminar/{seminar.pk}/feedback/"
    assert ("Feedback results", url) in [
        (a.get_text(strip=True), a["href"]) for a in change.select(".object-tools a")
    ]
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_seminar"))
    client.force_login(staff)
    assert client.get(url).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_feedbackresponse"))
    assert client.get(url).status_code == 200


def test_results_run_the_same_queries_for_few_or_many_responses(
    organiser_client, seminar, django_assert_num_queries
):
    _respond(seminar, "carer", 1, heard="yes", comment="One")
    url = f"/admin/seminars/seminar/{seminar.pk}/feedback/"
    organiser_client.get(url)  # the session and permissions, cached as in any admin page

    with django_assert_num_queries(9):
        organiser_client.get(url)
    _respond(seminar, "academic", 12, heard="no", comment="More")
    with django_assert_num_queries(9):
        organiser_client.get(url)


def test_the_organisers_question_is_set_on_the_seminar_page(organiser_client, seminar):
    soup = page(organiser_client.get(f"/admin/seminars/seminar/{seminar.pk}/change/"))

    assert text(soup, "label[for=id_feedback_settings-0-question]") == (
        "Your question to attendees (optional):"
    )


def test_a_named_response_shows_on_its_registration_only(organiser_client, registration):
    feedback_response_create(registration=registration, comment="Loved the workshop.")

    soup = page(
        organiser_client.get(reverse("admin:seminars_registration_change", args=[registration.pk]))
    )

    assert "Loved the workshop." in text(soup, "#feedback_response-group")


# Comments about talks: moderated, then on the speaker's profile


def test_speakers_see_only_approved_comments_and_never_a_name(organiser_client, seminar):
    client = Client()
    talk = seminar.talks.get()
    speaker = talk.speaker_links.get().person
    speaker.user = UserFactory(email="ada@example.org")
    speaker.save()
    for name, body in [("Rhian Ward", "Clear and kind."), ("Tom Pike", "Not for me.")]:
        feedback_response_create(
            registration=RegistrationFactory(seminar=seminar, name=name),
            talk=talk,
            talk_comment=body,
        )
    client.force_login(speaker.user)
    assert page(client.get("/profile/")).select("#talk-comments") == []

    changelist = reverse("admin:seminars_talkcomment_changelist")
    listed = page(organiser_client.get(changelist))
    assert sorted(texts(listed, ".field-excerpt")) == ["Clear and kind.", "Not for me."]
    assert "Rhian Ward" not in listed.get_text()
    kind = TalkComment.objects.get(body="Clear and kind.")
    unkind = TalkComment.objects.get(body="Not for me.")
    response = organiser_client.post(
        changelist, {"action": "approve_selected", "_selected_action": [kind.pk]}
    )
    assert response.status_code == 302
    organiser_client.post(
        changelist, {"action": "reject_selected", "_selected_action": [unkind.pk]}
    )

    profile = page(client.get("/profile/"))
    assert text(profile, "#talk-comments h2") == "Feedback on your talks"
    assert texts(profile, "#talk-comments h3") == [
        f"Whose knowledge? ({seminar.title}, {timezone.localtime(seminar.starts_at):%-d %B %Y})"
    ]
    assert texts(profile, "#talk-comments blockquote") == ["Clear and kind."]
    assert "Rhian Ward" not in profile.get_text()
    kind.refresh_from_db()
    assert (kind.status, kind.moderated_by.email) == (Status.APPROVED, "organiser@example.org")
    assert TalkComment.objects.get(pk=unkind.pk).status == Status.REJECTED


def test_the_profile_runs_the_same_queries_with_one_comment_or_many(
    client, seminar, django_assert_num_queries
):
    talk = seminar.talks.get()
    speaker = talk.speaker_links.get().person
    speaker.user = UserFactory(email="ada@example.org")
    speaker.save()
    client.force_login(speaker.user)

    def comment_on(talk):
        response = feedback_response_create(
            registration=RegistrationFactory(seminar=talk.seminar), talk=talk, talk_comment="Yes"
        )
        TalkComment.objects.filter(response=response).update(status=Status.APPROVED)

    comment_on(talk)
    with django_assert_num_queries(9):
        client.get("/profile/")
    for _ in range(3):
        other = TalkFactory(seminar=ended_seminar(), speakers=[speaker])
        comment_on(other)
        comment_on(other)
    with django_assert_num_queries(9):
        soup = page(client.get("/profile/"))
    assert len(soup.select("#talk-comments blockquote")) == 7


# Privacy: erasure, the purge, the registrant's download


def test_erasing_a_registration_erases_its_named_response_only(client, seminar):
    named = RegistrationFactory(seminar=seminar)
    anonymous = RegistrationFactory(seminar=seminar)
    feedback_response_create(
        registration=named,
        comment="I was anxious all day",
        talk=seminar.talks.get(),
        talk_comment="Great",
    )
    feedback_response_create(registration=anonymous, comment="Fine", anonymous=True)

    client.post(f"/registrations/{named.token}/delete/")
    client.post(f"/registrations/{anonymous.token}/delete/")

    assert list(FeedbackResponse.objects.values_list("comment", flat=True)) == ["Fine"]
    assert TalkComment.objects.count() == 0
    assert tables_holding("I was anxious all day") == set()


def test_the_purge_erases_what_attendees_wrote_and_keeps_the_counts(seminar):
    seminar.starts_at -= dt.timedelta(days=200)
    seminar.ends_at -= dt.timedelta(days=200)
    seminar.save()
    recent = ended_seminar()
    talk = seminar.talks.get()
    feedback_response_create(
        registration=RegistrationFactory(seminar=seminar, role=role("carer")),
        heard="yes",
        differently="Rest more; my depression",
        comment="Thanks",
        talk=talk,
        talk_comment="Good",
    )
    feedback_response_create(
        registration=RegistrationFactory(seminar=seminar),
        accessible="no",
        organiser_answer="Housing",
        anonymous=True,
    )
    feedback_response_create(registration=RegistrationFactory(seminar=recent), comment="Kept")

    registrations_purge(ended_before=timezone.now() - dt.timedelta(days=90))

    assert sorted(
        FeedbackResponse.objects.values_list(
            "seminar__slug",
            "registration",
            "role__slug",
            "accessible",
            "heard",
            "differently",
            "organiser_answer",
            "comment",
        ),
        key=str,
    ) == sorted(
        [
            ("sharing-power", None, "carer", "", "yes", "", "", ""),
            ("sharing-power", None, None, "no", "", "", "", ""),
            (
                recent.slug,
                Registration.objects.get(seminar=recent).pk,
                None,
                "",
                "",
                "",
                "",
                "Kept",
            ),
        ],
        key=str,
    )
    assert TalkComment.objects.count() == 0
    assert tables_holding("my depression", "Housing") == set()


def test_the_registrants_download_includes_their_named_feedback(client, registration):
    talk = registration.seminar.talks.get()
    feedback_response_create(
        registration=registration, accessible="yes", talk=talk, talk_comment="Brave and clear."
    )

    data = json.loads(client.get(f"/registrations/{registration.token}/data/").content)

    assert data["feedback"] == {
        "accessible": "Yes",
        "heard": "",
        "what_you_will_do_differently": "",
        "answer_to_the_organisers_question": "",
        "comment": "",
        "comment_on_a_talk": {"talk": "Whose knowledge?", "comment": "Brave and clear."},
        "submitted_on": timezone.localdate().isoformat(),
    }


def test_a_second_answer_is_refused_by_the_service(registration):
    feedback_response_create(registration=registration, heard="yes")

    with pytest.raises(FeedbackAlreadyGiven):
        feedback_response_create(registration=registration, heard="no", anonymous=True)
    assert FeedbackResponse.objects.count() == 1


def test_an_organiser_approves_one_comment_on_its_own_page(organiser_client, seminar):
    feedback_response_create(
        registration=RegistrationFactory(seminar=seminar, name="Rhian Ward"),
        talk=seminar.talks.get(),
        talk_comment="Clear and kind.",
    )
    comment = TalkComment.objects.get()
    url = reverse("admin:seminars_talkcomment_change", args=[comment.pk])
    soup = page(organiser_client.get(url))
    assert text(soup, ".field-body .readonly") == "Clear and kind."
    assert "Rhian Ward" not in soup.get_text()

    response = organiser_client.post(url, {"status": "approved"})

    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.body, comment.moderated_by.email) == (
        Status.APPROVED,
        "Clear and kind.",
        "organiser@example.org",
    )


@pytest.mark.parametrize("count", [1, 6])
def test_the_comments_list_runs_the_same_queries_for_one_or_many(
    organiser_client, seminar, django_assert_num_queries, count
):
    for _ in range(count):
        feedback_response_create(
            registration=RegistrationFactory(seminar=seminar),
            talk=TalkFactory(seminar=seminar),
            talk_comment="Thank you.",
        )
    url = reverse("admin:seminars_talkcomment_changelist")
    organiser_client.get(url)

    with django_assert_num_queries(8):
        response = organiser_client.get(url)

    assert len(response.context["cl"].result_list) == count
