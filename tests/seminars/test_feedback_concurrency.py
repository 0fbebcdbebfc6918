"""The same feedback sent twice at the same moment (a double click, two tabs), and the same
request claimed by two runs at once: each stored or emailed once.

Each call runs in its own thread on its own database connection, as separate web workers
would (see test_registration_concurrency.py for why `available_apps` is limited)."""

from collections import Counter

import pytest
from django.core import mail
from django.urls import get_resolver

from seminars.feedback.models import FeedbackRequest, FeedbackResponse
from seminars.feedback.services import (
    FeedbackAlreadyGiven,
    feedback_request_send,
    feedback_response_create,
)
from tests.factories import RegistrationFactory, SeminarFactory
from tests.seminars.test_registration_concurrency import _run_at_once

pytestmark = pytest.mark.django_db(transaction=True, available_apps=["seminars", "mailer"])


@pytest.fixture(autouse=True, scope="module")
def _urls_loaded():
    get_resolver().url_patterns  # noqa: B018 (loading them is the point)


def test_the_same_feedback_sent_eight_times_at_once_is_stored_once():
    registration = RegistrationFactory(seminar=SeminarFactory(days_from_now=-1))

    outcomes = _run_at_once(
        8,
        lambda i: feedback_response_create(
            registration=registration, heard="yes", anonymous=i % 2 == 0
        ),
    )

    assert Counter(type(outcome).__name__ for outcome in outcomes) == {
        "FeedbackResponse": 1,
        FeedbackAlreadyGiven.__name__: 7,
    }
    assert FeedbackResponse.objects.count() == 1
    assert list(FeedbackRequest.objects.values_list("responded", flat=True)) == [True]


def test_one_registration_claimed_by_eight_runs_at_once_is_emailed_once():
    registration = RegistrationFactory(seminar=SeminarFactory(days_from_now=-1))

    outcomes = _run_at_once(8, lambda i: feedback_request_send(registration=registration))

    assert sorted(outcomes) == [False] * 7 + [True]
    assert len(mail.outbox) == 1
