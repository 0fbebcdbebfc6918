"""Emails to registrants and subscribers, queued in the database by django-mailer through
Django's mail API.

Every message to a registrant carries their private manage link; every message to a
subscriber carries a one-click unsubscribe link. Message bodies never go to logs.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from seminars import selectors
from seminars.calendar import seminar_attachment_ics

SUBJECTS = {
    "confirmation": "Your place at {seminar}",
    "waitlisted": "You are on the waiting list for {seminar}",
    "promoted": "A place has come up for you at {seminar}",
    "cancelled": "Your registration for {seminar} is cancelled",
    "already_registered": "Your registration for {seminar}",
    "reminder": "Reminder: {seminar} is coming up",
    # Written by an organiser (seminars/registrant_messages): their subject, as they wrote it.
    "organiser_message": "{subject}",
}

# Messages that confirm a place carry the seminar as an .ics attachment.
WITH_CALENDAR = {"confirmation", "promoted", "reminder"}


def registration_email_render(*, registration, kind, context=None, manage_url=None):
    """The subject and body a registrant receives. `context` adds to the template's (an
    organiser's `subject` and `body`); `manage_url` stands in for the private link in a
    preview."""
    seminar = registration.seminar
    context = {
        "registration": registration,
        "seminar": seminar,
        "manage_url": manage_url or f"{settings.SITE_URL}{registration.get_absolute_url()}",
        "seminar_url": f"{settings.SITE_URL}{seminar.get_absolute_url()}",
        "show_online_link": selectors.registration_shows_online_link(registration),
        **(context or {}),
    }
    subject = SUBJECTS[kind].format(seminar=seminar.title, subject=context.get("subject", ""))
    return subject, render_to_string(f"seminars/email/{kind}.txt", context)


def registration_email_send(*, registration, kind, context=None):
    seminar = registration.seminar
    subject, body = registration_email_render(registration=registration, kind=kind, context=context)
    message = EmailMessage(subject=subject, body=body, to=[registration.email])
    if kind in WITH_CALENDAR:
        message.attach(f"{seminar.slug}.ics", seminar_attachment_ics(seminar), "text/calendar")
    message.send()


SUBSCRIBER_SUBJECTS = {
    "subscription_confirm": "Please confirm: emails about new seminars",
    "already_subscribed": "You already get emails about new seminars",
    "new_seminar": "New seminar: {seminar}",
    "registration_open": "Registration is open: {seminar}",
}


def subscriber_email_send(*, subscriber, kind, seminar=None, registration_open=False):
    """Email a subscriber. Every message but the confirmation request is list mail, with the
    `List-Unsubscribe` headers of RFC 8058 so that mail clients offer one-click unsubscribe."""
    unsubscribe_url = f"{settings.SITE_URL}{subscriber.get_unsubscribe_url()}"
    context = {
        "seminar": seminar,
        "seminar_url": seminar and f"{settings.SITE_URL}{seminar.get_absolute_url()}",
        "register_url": seminar
        and settings.SITE_URL
        + reverse("seminars:registration_create", kwargs={"slug": seminar.slug}),
        "registration_open": registration_open,
        "confirm_url": f"{settings.SITE_URL}{subscriber.get_confirm_url()}",
        "unsubscribe_url": unsubscribe_url,
        "confirm_days": settings.SUBSCRIPTION_CONFIRM_DAYS,
        "site_url": settings.SITE_URL,
    }
    headers = {}
    if kind != "subscription_confirm":
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    EmailMessage(
        subject=SUBSCRIBER_SUBJECTS[kind].format(seminar=seminar.title if seminar else ""),
        body=render_to_string(f"seminars/email/{kind}.txt", context),
        to=[subscriber.email],
        headers=headers,
    ).send()
