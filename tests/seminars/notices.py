"""What the tests of change notices share: a seminar with registrants, the mail queue read
as registrants receive it, and a change saved as the admin saves it."""

import icalendar
from mailer.models import Message

from seminars.models import Registration, Seminar
from seminars.notices.services import SeminarState
from seminars.services import registration_cancel, registration_create
from tests.clients.mail_readers import attached_calendar
from tests.factories import SeminarFactory, VenueFactory, london

SITE = "http://127.0.0.1:8000"


def make_seminar():
    return SeminarFactory(
        title="Sharing power",
        slug="sharing-power",
        starts_at=london(2030, 3, 14, 10),
        ends_at=london(2030, 3, 14, 16),
        venue=VenueFactory(name="Leeds Hall", city="Leeds", postcode="LS2 9JT"),
        capacity=2,
    )


def make_registrants(seminar):
    """Two with a place, one waiting, one who cancelled and one whose details are erased."""
    people = {
        name: registration_create(seminar=seminar, name=name, email=f"{name.lower()}@example.org")
        for name in ["Ann", "Bea", "Cal", "Dee"]
    }
    registration_cancel(registration=people.pop("Bea"))  # Cal moves up, Dee stays waiting
    gone = registration_create(seminar=seminar, name="Eve", email="eve@example.org")
    Registration.objects.filter(pk=gone.pk).update(
        name="", email="", purged_at=london(2030, 1, 1, 0)
    )
    first_emails = {}
    for message in Message.objects.order_by("id"):
        first_emails.setdefault(message.email.to[0], message.email)
    Message.objects.all().delete()
    for registration in people.values():
        registration.refresh_from_db()
        registration.first_email = first_emails[registration.email]
    return people


def queued():
    """{address: the queued EmailMessage}, one message each."""
    found = {}
    for message in Message.objects.order_by("id"):
        email = message.email
        [address] = email.to
        assert address not in found, f"two messages to {address}"
        found[address] = email
    return found


def calendar_of(email):
    return icalendar.Calendar.from_ical(attached_calendar(email)[1])


def event_of(email):
    [event] = calendar_of(email).walk("VEVENT")
    return event


def change(seminar, **fields):
    """Change and save a seminar as the admin does (loaded afresh, every field saved),
    returning what it was before."""
    seminar.refresh_from_db()
    previous = SeminarState.of(Seminar.objects.select_related("venue").get(pk=seminar.pk))
    for name, value in fields.items():
        setattr(seminar, name, value)
    seminar.save()
    return previous
