"""The one email about feedback: after the seminar, the link to the form."""

from django.conf import settings
from django.urls import reverse

from seminars.emails import email_send


def feedback_url(registration):
    return reverse("seminars:feedback", kwargs={"token": registration.token})


def feedback_request_email_send(*, registration):
    seminar = registration.seminar
    email_send(
        to=[registration.email],
        subject=f"How was {seminar.title}? Tell the organisers",
        template="seminars/feedback/email_request.txt",
        context={
            "registration": registration,
            "seminar": seminar,
            "feedback_url": f"{settings.SITE_URL}{feedback_url(registration)}",
            "manage_url": f"{settings.SITE_URL}{registration.get_absolute_url()}",
            "seminar_url": f"{settings.SITE_URL}{seminar.get_absolute_url()}",
        },
        series=seminar.series,
    )
