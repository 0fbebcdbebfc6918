"""Organisers see, before saving, what changed and who will be emailed, may add a note, and
choose to email (the default) or not; the emails are queued with the save."""

import pytest
from django.urls import reverse
from mailer.models import Message

from seminars.models import SeminarChange
from tests.factories import london
from tests.html import form_data, page, page_with_status, text, texts
from tests.seminars.notices import SITE, make_registrants, make_seminar, queued

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


def admin_change(client, seminar, **changes):
    """Open the seminar's admin page, change fields as an organiser would, press Save."""
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    data = form_data(page(client.get(url)).select_one("#seminar_form"))
    for name, value in changes.items():
        data[name] = [value]
    return client.post(url, {**data, "_save": "Save"})


def choose(client, response, button, note=""):
    """On the confirmation page, write the note and press a button."""
    soup = page_with_status(response, response.status_code)
    form = soup.select_one("main form, #content-main form")
    data = form_data(form)
    data["_notice-note"] = [note]
    [pressed] = [b for b in form.select("button[name]") if b.get_text(strip=True) == button]
    return client.post(form["action"], {**data, pressed["name"]: pressed["value"]})


def test_cancelling_in_the_admin_asks_first_and_saves_nothing_yet(
    organiser_client, seminar, registrants
):
    response = admin_change(organiser_client, seminar, status="cancelled")

    soup = page(response)
    assert text(soup, "h1") == "Email registrants about this change to Sharing power?"
    assert texts(soup, "#notice-changes li") == ["Status: was going ahead, now cancelled"]
    assert text(soup, "#notice-count").startswith("This change will email 3 people:")
    assert texts(soup, ".submit-row button") == ["Save and email 3 people", "Save without emailing"]
    assert soup.select_one(".submit-row button")["class"] == ["default"]
    assert text(soup, "label[for=id__notice-note]") == "A note to include in the email (optional)"
    seminar.refresh_from_db()
    assert (seminar.status, Message.objects.count(), SeminarChange.objects.count()) == (
        "published", 0, 0,
    )  # fmt: skip


def test_admin_save_and_email_sends_as_many_emails_as_it_said(
    organiser_client, seminar, registrants
):
    confirm = admin_change(organiser_client, seminar, status="cancelled")
    shown = text(page(confirm), ".submit-row button.default")

    response = choose(organiser_client, confirm, shown, note="We could not find a room.")

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:seminars_seminar_changelist")
    seminar.refresh_from_db()
    assert (seminar.status, seminar.sequence) == ("cancelled", 1)
    emails = queued()
    assert shown == f"Save and email {len(emails)} people"
    assert sorted(emails) == ["ann@example.org", "cal@example.org", "dee@example.org"]
    assert all(
        "A note from the organisers:\nWe could not find a room.\n" in e.body
        for e in emails.values()
    )
    record = SeminarChange.objects.get()
    assert (record.notified_count, record.note, record.emailed) == (
        3,
        "We could not find a room.",
        True,
    )
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "Emailed 3 people about the change." in messages


def test_admin_save_without_emailing_records_the_change_only(
    organiser_client, seminar, registrants
):
    confirm = admin_change(organiser_client, seminar, starts_at_1="11:00")

    response = choose(organiser_client, confirm, "Save without emailing")

    assert response.status_code == 302
    seminar.refresh_from_db()
    assert seminar.starts_at == london(2030, 3, 14, 11)
    assert Message.objects.count() == 0
    assert SeminarChange.objects.values_list("emailed", "notified_count", "summary").get() == (
        False, 0, "Start time: was 10:00 (UK time), now 11:00 (UK time)",
    )  # fmt: skip


def test_admin_confirmation_keeps_every_other_edit_of_the_form(
    organiser_client, seminar, registrants
):
    confirm = admin_change(
        organiser_client, seminar, status="cancelled", summary="Called off, sadly.", capacity="5"
    )

    choose(organiser_client, confirm, "Save and email 3 people")

    seminar.refresh_from_db()
    assert (seminar.status, seminar.summary, seminar.capacity) == (
        "cancelled",
        "Called off, sadly.",
        5,
    )


def test_admin_refuses_a_note_too_long_and_keeps_asking(organiser_client, seminar, registrants):
    confirm = admin_change(organiser_client, seminar, status="cancelled")

    response = choose(organiser_client, confirm, "Save and email 3 people", note="x" * 1001)

    soup = page_with_status(response, 400)
    assert texts(soup, ".errorlist li") == [
        "Ensure this value has at most 1000 characters (it has 1001)."
    ]
    assert soup.select_one("#id__notice-note")["aria-invalid"] == "true"
    seminar.refresh_from_db()
    assert (seminar.status, Message.objects.count()) == ("published", 0)
    # Fixed, it saves.
    assert (
        choose(organiser_client, response, "Save and email 3 people", note="Sorry.").status_code
        == 302
    )


def test_admin_change_nobody_registered_for_saves_at_once_and_is_recorded(
    organiser_client, seminar
):
    response = admin_change(organiser_client, seminar, status="cancelled")

    assert response.status_code == 302
    assert SeminarChange.objects.values_list("notified_count", "emailed").get() == (0, True)


def test_admin_edits_registrants_do_not_hear_of_save_at_once(
    organiser_client, seminar, registrants
):
    response = admin_change(organiser_client, seminar, summary="Better words.")

    assert response.status_code == 302
    assert (Message.objects.count(), SeminarChange.objects.count()) == (0, 0)


def test_admin_seminar_page_lists_the_changes_told(organiser_client, seminar, registrants):
    choose(
        organiser_client,
        admin_change(organiser_client, seminar, status="cancelled"),
        "Save and email 3 people",
    )

    soup = page(organiser_client.get(reverse("admin:seminars_seminar_change", args=[seminar.pk])))

    [row] = soup.select("#notices tbody tr")
    cells = [cell.get_text(" ", strip=True) for cell in row.select("td")]
    assert cells[1:] == [
        "Status: was going ahead, now cancelled", "—", "3", "organiser@example.org",
    ]  # fmt: skip


def test_admin_add_page_has_no_changes_to_list(organiser_client):
    soup = page(organiser_client.get(reverse("admin:seminars_seminar_add")))

    assert soup.select("#notices") == []
