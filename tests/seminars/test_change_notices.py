"""A seminar cancelled, moved or sent to another venue: registrants are told, with a calendar
file their calendar app reads as an update; programme changes show on the pages."""

import datetime as dt

import pytest
import vobject
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from mailer.models import Message

from seminars.models import Registration, Seminar, SeminarChange
from seminars.notices.services import SeminarState, seminar_change_describe, seminar_change_notify
from seminars.services import registration_create
from tests.clients.calendar_readers import ical_js_instants, read_with_ical_js, vobject_instants
from tests.clients.mail_readers import attached_calendar, calendar_parts
from tests.factories import SeminarFactory, TalkFactory, VenueFactory, london
from tests.html import form_data, page, text, texts
from tests.seminars.notices import (
    SITE,
    calendar_of,
    change,
    event_of,
    make_registrants,
    make_seminar,
    queued,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings, mail_queue):
    settings.SITE_URL = SITE


@pytest.fixture
def seminar():
    return make_seminar()


@pytest.fixture
def registrants(seminar):
    """Ann and Cal with a place, Dee waiting; Bea cancelled and Eve's details erased."""
    return make_registrants(seminar)


# The service


def test_cancelling_emails_everyone_with_a_place_or_waiting_with_their_own_link(
    seminar, registrants, organiser
):
    ann, cal, dee = registrants["Ann"], registrants["Cal"], registrants["Dee"]
    assert ann.first_email.subject == "Your place at Sharing power"
    before = event_of(ann.first_email)

    record = seminar_change_notify(
        seminar=seminar,
        previous=change(seminar, status=Seminar.Status.CANCELLED),
        changed_by=organiser,
    )

    emails = queued()
    assert sorted(emails) == ["ann@example.org", "cal@example.org", "dee@example.org"]
    assert {address: email.subject for address, email in emails.items()} == dict.fromkeys(
        emails, "Cancelled: Sharing power"
    )
    for registration in [ann, cal, dee]:
        body = emails[registration.email].body
        assert f"Dear {registration.name}," in body
        assert "Sharing power has been cancelled." in body
        assert f"{SITE}/registrations/{registration.token}/" in body
    assert [
        token for token in [ann.token, cal.token, dee.token] if token in emails[ann.email].body
    ] == [ann.token]

    for email in [emails["ann@example.org"], emails["cal@example.org"]]:
        calendar, event = calendar_of(email), event_of(email)
        assert (calendar["METHOD"], event["STATUS"]) == ("CANCEL", "CANCELLED")
        assert str(event["UID"]) == str(before["UID"])
        assert (before["SEQUENCE"], event["SEQUENCE"]) == (0, 1)
        [part] = calendar_parts(email)
        assert part.get_params()[1:] == [("charset", "utf-8"), ("method", "CANCEL")]
    # People waiting never had a calendar entry: nothing to remove.
    assert calendar_parts(emails["dee@example.org"]) == []
    assert "You were on the waiting list" not in emails["dee@example.org"].body

    seminar.refresh_from_db()
    assert seminar.sequence == 1
    assert SeminarChange.objects.values_list(
        "seminar", "kind", "summary", "emailed", "notified_count", "sequence", "changed_by"
    ).get() == (
        seminar.pk, "cancelled", "Status: was going ahead, now cancelled", True, 3, 1,
        organiser.pk,
    )  # fmt: skip
    assert record == SeminarChange.objects.get()


def test_moving_the_time_says_old_and_new_in_london_time_and_updates_calendars(
    seminar, registrants
):
    seminar_change_notify(
        seminar=seminar,
        previous=change(
            seminar, starts_at=london(2030, 4, 2, 11), ends_at=london(2030, 4, 2, 17, 30)
        ),
        note="The room was double-booked.\nSorry for the trouble.",
        changed_by=None,
    )

    emails = queued()
    ann = emails["ann@example.org"]
    assert ann.subject == "New date and time for Sharing power"
    assert (
        "What has changed:\n"
        "- Date: was Thursday 14 March 2030, now Tuesday 2 April 2030\n"
        "- Start time: was 10:00 (UK time), now 11:00 (UK time)\n"
        "- End time: was 16:00 (UK time), now 17:30 (UK time)\n"
    ) in ann.body
    assert (
        "A note from the organisers:\nThe room was double-booked.\nSorry for the trouble.\n"
        in ann.body
    )
    assert "When: Tuesday 2 April 2030, 11:00 to 17:30 (UK time)" in ann.body
    assert "Your place is kept." in ann.body
    assert "You are still on the waiting list." in emails["dee@example.org"].body

    calendar, event = calendar_of(ann), event_of(ann)
    assert (calendar["METHOD"], event["STATUS"], event["SEQUENCE"]) == ("REQUEST", "CONFIRMED", 1)
    # 2 April 2030 is in British Summer Time: 11:00 in London is 10:00 UTC.
    assert event.decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(2030, 4, 2, 10, tzinfo=dt.UTC)
    assert str(event["ATTENDEE"]) == "mailto:ann@example.org"
    assert calendar_parts(emails["dee@example.org"]) == []


def test_calendar_apps_read_the_update_and_the_cancel_as_meant(seminar, registrants):
    """Thunderbird's parser (ical.js) and Radicale's (vobject) read the attachments: the
    moved seminar at its new instant, then the same event cancelled, each a newer revision."""
    seminar_change_notify(
        seminar=seminar,
        previous=change(seminar, starts_at=london(2030, 4, 2, 11), ends_at=london(2030, 4, 2, 17)),
        changed_by=None,
    )
    moved = attached_calendar(queued()["ann@example.org"])[1].encode()
    Message.objects.all().delete()
    seminar_change_notify(
        seminar=seminar, previous=change(seminar, status=Seminar.Status.CANCELLED), changed_by=None
    )
    cancelled = attached_calendar(queued()["ann@example.org"])[1].encode()

    readings = [read_with_ical_js(moved), read_with_ical_js(cancelled)]
    assert [
        (r["method"], [(e["status"], e["sequence"]) for e in r["events"]]) for r in readings
    ] == [
        ("REQUEST", [("CONFIRMED", 1)]),
        ("CANCEL", [("CANCELLED", 2)]),
    ]
    uid = readings[0]["events"][0]["uid"]
    new_times = (
        dt.datetime(2030, 4, 2, 10, tzinfo=dt.UTC),
        dt.datetime(2030, 4, 2, 16, tzinfo=dt.UTC),
    )
    assert ical_js_instants(moved) == vobject_instants(moved) == {uid: new_times}
    event = vobject.readOne(cancelled.decode()).vevent
    assert (event.uid.value, event.status.value, event.sequence.value) == (uid, "CANCELLED", "2")


def test_a_new_start_makes_a_reminder_due_again_and_a_new_venue_does_not(seminar, registrants):
    Registration.objects.filter(seminar=seminar).update(reminder_sent_at=london(2030, 3, 12, 9))
    seminar_change_notify(
        seminar=seminar, previous=change(seminar, venue=VenueFactory()), changed_by=None
    )
    assert seminar.registrations.filter(reminder_sent_at__isnull=True).count() == 0

    seminar_change_notify(
        seminar=seminar,
        previous=change(
            seminar, starts_at=london(2030, 3, 21, 10), ends_at=london(2030, 3, 21, 16)
        ),
        changed_by=None,
    )

    assert seminar.registrations.filter(reminder_sent_at__isnull=False).count() == 0


def test_a_new_venue_is_named_old_and_new(seminar, registrants):
    seminar_change_notify(
        seminar=seminar,
        previous=change(seminar, venue=VenueFactory(name="York Rooms", city="York", postcode="")),
        changed_by=None,
    )

    ann = queued()["ann@example.org"]
    assert ann.subject == "New venue for Sharing power"
    assert "- Venue: was Leeds Hall, Leeds, LS2 9JT, now York Rooms, York\n" in ann.body
    assert "Where: York Rooms, York" in ann.body
    assert event_of(ann)["LOCATION"].startswith("York Rooms")


def test_going_online_and_going_ahead_again(seminar, registrants):
    seminar_change_notify(seminar=seminar, previous=change(seminar, venue=None), changed_by=None)
    assert (
        "- Venue: was Leeds Hall, Leeds, LS2 9JT, now online only\n"
        in queued()["ann@example.org"].body
    )
    seminar_change_notify(
        seminar=seminar, previous=change(seminar, status=Seminar.Status.CANCELLED), changed_by=None
    )
    Message.objects.all().delete()

    seminar_change_notify(
        seminar=seminar, previous=change(seminar, status=Seminar.Status.PUBLISHED), changed_by=None
    )

    ann = queued()["ann@example.org"]
    assert ann.subject == "Going ahead after all: Sharing power"
    assert (calendar_of(ann)["METHOD"], event_of(ann)["STATUS"], event_of(ann)["SEQUENCE"]) == (
        "REQUEST", "CONFIRMED", 3,
    )  # fmt: skip


def test_saving_without_emailing_records_the_change_and_sends_nothing(seminar, registrants):
    record = seminar_change_notify(
        seminar=seminar,
        previous=change(seminar, status=Seminar.Status.CANCELLED),
        notify=False,
        changed_by=None,
    )

    assert Message.objects.count() == 0
    assert (record.kind, record.emailed, record.notified_count, record.sequence) == (
        "cancelled", False, 0, 1,
    )  # fmt: skip


def test_nothing_registrants_see_changed_records_nothing(seminar, registrants):
    previous = change(seminar, title="Sharing power, again", summary="New words.")

    assert seminar_change_notify(seminar=seminar, previous=previous, changed_by=None) is None
    assert (Message.objects.count(), SeminarChange.objects.count()) == (0, 0)
    seminar.refresh_from_db()
    assert seminar.sequence == 0


def test_a_cancelled_seminar_is_news_again_only_when_it_goes_ahead(seminar, registrants):
    seminar_change_notify(
        seminar=seminar, previous=change(seminar, status=Seminar.Status.CANCELLED), changed_by=None
    )
    Message.objects.all().delete()
    previous = change(seminar, starts_at=london(2030, 5, 9, 10), ends_at=london(2030, 5, 9, 16))
    assert seminar_change_notify(seminar=seminar, previous=previous, changed_by=None) is None

    seminar_change_notify(
        seminar=seminar, previous=change(seminar, status=Seminar.Status.PUBLISHED), changed_by=None
    )

    assert "When: Thursday 9 May 2030, 10:00 to 16:00 (UK time)" in queued()["ann@example.org"].body


def test_a_draft_is_nobodys_news(seminar):
    seminar.status = Seminar.Status.DRAFT
    seminar.save()
    previous = change(seminar, status=Seminar.Status.PUBLISHED, starts_at=london(2030, 3, 14, 9))

    assert seminar_change_notify(seminar=seminar, previous=previous, changed_by=None) is None


@pytest.mark.django_db(transaction=True)
def test_emails_exist_only_once_the_change_is_committed_and_then_go_out(settings):
    settings.SITE_URL = SITE
    seminar = SeminarFactory(starts_at=london(2030, 3, 14, 10), ends_at=london(2030, 3, 14, 16))
    registration_create(seminar=seminar, name="Ann", email="ann@example.org")
    Message.objects.all().delete()

    with pytest.raises(RuntimeError), transaction.atomic():
        seminar_change_notify(
            seminar=seminar,
            previous=change(seminar, status=Seminar.Status.CANCELLED),
            changed_by=None,
        )
        raise RuntimeError("the save failed after the emails were queued")
    assert (Message.objects.count(), SeminarChange.objects.count()) == (0, 0)
    seminar.refresh_from_db()
    assert (seminar.status, seminar.sequence) == (Seminar.Status.PUBLISHED, 0)

    seminar_change_notify(
        seminar=seminar, previous=change(seminar, status=Seminar.Status.CANCELLED), changed_by=None
    )
    call_command("send_mail")

    [sent] = mail.outbox
    assert (sent.to, sent.subject) == (["ann@example.org"], f"Cancelled: {seminar.title}")
    assert calendar_of(sent)["METHOD"] == "CANCEL"


# The registrant's private page


def test_private_page_shows_the_current_state_and_the_last_change(client, seminar, registrants):
    seminar_change_notify(
        seminar=seminar,
        previous=change(seminar, starts_at=london(2030, 3, 14, 11)),
        changed_by=None,
    )
    seminar_change_notify(
        seminar=seminar,
        previous=change(seminar, status=Seminar.Status.CANCELLED),
        note="We could not find a room.",
        changed_by=None,
    )
    cancelled_on = SeminarChange.objects.first().changed_at

    soup = page(client.get(registrants["Ann"].get_absolute_url()))

    assert text(soup, ".status-banner") == "This seminar has been cancelled."
    assert text(soup, "#change-title") == f"Cancelled on {cancelled_on:%-d %B %Y}"
    assert texts(soup, "#last-change li") == ["Status: was going ahead, now cancelled"]
    assert text(soup, "#last-change blockquote") == "We could not find a room."
    assert "Thursday 14 March 2030, 11:00" in text(soup, "#when-title + p")


def test_private_page_without_changes_has_no_notice(client, seminar, registrants):
    soup = page(client.get(registrants["Ann"].get_absolute_url()))

    assert soup.select("#last-change, #programme-updated") == []


# Programme changes: shown, not sent


def test_a_talk_changed_in_the_admin_emails_nobody_and_shows_on_the_pages(
    organiser_client, client, seminar, registrants
):
    talk = TalkFactory(seminar=seminar, title="Whose knowledge?", starts_at=london(2030, 3, 14, 10))
    url = reverse("admin:seminars_talk_change", args=[talk.pk])
    data = form_data(page(organiser_client.get(url)).select_one("#talk_form"))
    data["starts_at_1"] = ["14:00"]
    data["ends_at_1"] = ["14:45"]

    response = organiser_client.post(url, {**data, "_save": "Save"})

    assert response.status_code == 302
    assert Message.objects.count() == 0
    seminar.refresh_from_db()
    updated = seminar.programme_updated_at
    assert updated is not None
    assert seminar.sequence == 0
    public = page(client.get(seminar.get_absolute_url()))
    assert text(public, "#programme-updated") == f"Programme updated on {updated:%-d %B %Y}."
    private = page(client.get(registrants["Ann"].get_absolute_url()))
    assert (
        text(private, "#programme-updated") == f"The programme was updated on {updated:%-d %B %Y}."
    )


def test_a_talk_dropped_from_the_seminar_page_shows_on_the_page(
    organiser_client, seminar, registrants
):
    TalkFactory(seminar=seminar, title="Whose knowledge?")
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    data = form_data(page(organiser_client.get(url)).select_one("#seminar_form"))
    data["talks-0-DELETE"] = ["on"]

    response = organiser_client.post(url, {**data, "_save": "Save"})

    assert response.status_code == 302
    assert (seminar.talks.count(), Message.objects.count()) == (0, 0)
    seminar.refresh_from_db()
    assert seminar.programme_updated_at is not None


def test_a_talk_deleted_on_its_own_page_shows_on_the_page(organiser_client, seminar):
    talk = TalkFactory(seminar=seminar)

    response = organiser_client.post(
        reverse("admin:seminars_talk_delete", args=[talk.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    seminar.refresh_from_db()
    assert (seminar.talks.count(), seminar.programme_updated_at is not None) == (0, True)


def test_planning_a_draft_programme_is_not_an_update(organiser_client):
    draft = SeminarFactory(status=Seminar.Status.DRAFT)
    talk = TalkFactory(seminar=draft)
    url = reverse("admin:seminars_talk_change", args=[talk.pk])
    data = form_data(page(organiser_client.get(url)).select_one("#talk_form"))
    data["title"] = ["A better title"]

    assert organiser_client.post(url, {**data, "_save": "Save"}).status_code == 302
    draft.refresh_from_db()
    assert draft.programme_updated_at is None


def test_an_overnight_seminar_saved_as_it_was_is_no_change():
    """The admin's form posts times to the second; the stored end may hold microseconds.
    An end past midnight, the same to the minute, is not news (it used to ask to email
    everyone "was 00:14, now 00:14")."""
    starts, ends = london(2030, 3, 14, 18), london(2030, 3, 15, 0, 14)
    before = SeminarState("published", starts, ends.replace(second=24, microsecond=5), None, "")
    after = SeminarState("published", starts, ends.replace(second=24), None, "")

    assert seminar_change_describe(previous=before, current=after) is None


def test_a_seminar_now_ending_on_another_day_gives_the_whole_end():
    before = SeminarState("published", london(2030, 3, 14, 10), london(2030, 3, 14, 16), None, "")
    after = SeminarState("published", london(2030, 3, 14, 10), london(2030, 3, 15, 13), None, "")

    described = seminar_change_describe(previous=before, current=after)

    assert (described.kind, described.summary) == (
        "changed",
        "Ends: was Thursday 14 March 2030 at 16:00 (UK time), "
        "now Friday 15 March 2030 at 13:00 (UK time)",
    )
