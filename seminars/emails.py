"""Emails to registrants, queued in the database by django-mailer through Django's mail API.

Every message carries the registrant's private manage link. Message bodies never go to logs.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from coproseries.text import one_line
from seminars import selectors
from seminars.calendar import seminar_attachment_ics

SUBJECTS = {
    "confirmation": "Your place at {seminar}",
    "waitlisted": "You are on the waiting list for {seminar}",
    "promoted": "A place has come up for you at {seminar}",
    "cancelled": "Your registration for {seminar} is cancelled",
    "already_registered": "Your registration for {seminar}",
    "reminder": "Reminder: {seminar} is coming up",
}

# Messages that confirm a place carry the seminar as an .ics attachment.
WITH_CALENDAR = {"confirmation", "promoted", "reminder"}


def registration_email_send(*, registration, kind):
    seminar = registration.seminar
    context = {
        "registration": registration,
        "seminar": seminar,
        "manage_url": f"{settings.SITE_URL}{registration.get_absolute_url()}",
        "seminar_url": f"{settings.SITE_URL}{seminar.get_absolute_url()}",
        "show_online_link": selectors.registration_shows_online_link(registration),
    }
    message = EmailMessage(
        # A header holds one line, whatever the stored title holds.
        subject=SUBJECTS[kind].format(seminar=one_line(seminar.title)),
        body=render_to_string(f"seminars/email/{kind}.txt", context),
        to=[registration.email],
    )
    if kind in WITH_CALENDAR:
        message.attach(f"{seminar.slug}.ics", seminar_attachment_ics(seminar), "text/calendar")
    message.send()
