"""A speaker asks, on /profile/, not to be recorded or photographed at each of their own
upcoming talks and workshops; nobody can change anyone else's wishes this way."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from seminars.models import TalkSpeaker
from tests.factories import PersonFactory, SeminarFactory, TalkFactory, UserFactory, WorkshopFactory
from tests.html import form_data, page, page_with_status, texts

pytestmark = pytest.mark.django_db

WISHES_URL = "/profile/recording/"


@pytest.fixture
def speaker(client):
    user = UserFactory(email="sam@example.org")
    person = PersonFactory(name="Sam Speaker", user=user, email=user.email)
    client.force_login(user)
    return person


@pytest.fixture
def items(speaker):
    """Sam's upcoming talk (shared with Ann) and workshop, and a past talk."""
    seminar = SeminarFactory(title="Power", days_from_now=10)
    ann = PersonFactory(name="Ann Able")
    talk = TalkFactory(seminar=seminar, title="Sharing power", speakers=[ann, speaker])
    workshop = WorkshopFactory(seminar=seminar, title="Circle", facilitators=[speaker])
    past = TalkFactory(
        seminar=SeminarFactory(title="Before", days_from_now=-30),
        title="Old talk",
        speakers=[speaker],
    )
    return {"talk": talk, "workshop": workshop, "past": past, "ann": ann}


def wishes(item, person):
    link = getattr(item, item.people_link_name).get(person=person)
    return (link.do_not_record, link.do_not_photograph)


def the_form(soup):
    return soup.select_one(f"form[action='{WISHES_URL}']")


def test_profile_offers_both_wishes_for_each_upcoming_item_only(client, items):
    items["workshop"].facilitator_links.update(do_not_photograph=True)

    soup = page(client.get("/profile/"))

    form = the_form(soup)
    assert texts(form, "legend") == [
        f"Sharing power (Power, {items['talk'].starts_at:%-d %B %Y})",
        f"Circle (Power, {items['workshop'].starts_at:%-d %B %Y})",
    ]
    assert texts(form, "fieldset label") == [
        "Please do not record this talk",
        "Please do not photograph me",
        "Please do not record this workshop",
        "Please do not photograph me",
    ]
    assert form_data(form) == {
        "csrfmiddlewaretoken": form_data(form)["csrfmiddlewaretoken"],
        f"workshop-{items['workshop'].pk}-do_not_photograph": ["on"],
    }


def test_speaker_saves_wishes_for_their_own_items(client, speaker, items):
    talk, workshop = items["talk"], items["workshop"]

    response = client.post(
        WISHES_URL,
        {f"talk-{talk.pk}-do_not_record": "on", f"workshop-{workshop.pk}-do_not_photograph": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/profile/#wishes-title"
    assert (wishes(talk, speaker), wishes(workshop, speaker)) == ((True, False), (False, True))
    # Ann, on the same talk, asked nothing: her row is hers alone.
    assert wishes(talk, items["ann"]) == (False, False)
    soup = page(client.get(response["Location"]))
    assert texts(soup, "p.notice") == [
        "Your recording and photography wishes are saved. The organisers see them now."
    ]
    assert form_data(the_form(soup)).keys() - {"csrfmiddlewaretoken"} == {
        f"talk-{talk.pk}-do_not_record",
        f"workshop-{workshop.pk}-do_not_photograph",
    }
    public = page(client.get(talk.seminar.get_absolute_url()))
    assert texts(public, ".not-recorded") == ["Not recorded"]


def test_unticking_withdraws_a_wish(client, speaker, items):
    items["talk"].speaker_links.filter(person=speaker).update(do_not_record=True)

    client.post(WISHES_URL, {})

    assert wishes(items["talk"], speaker) == (False, False)


def test_speaker_cannot_change_anyone_elses_wishes(client, speaker, items):
    talk, past = items["talk"], items["past"]
    elsewhere = TalkFactory(title="Not mine", speakers=[PersonFactory(name="Bo Other")])
    items["talk"].speaker_links.filter(person=items["ann"]).update(do_not_photograph=True)

    client.post(
        WISHES_URL,
        {
            f"talk-{elsewhere.pk}-do_not_record": "on",
            f"talk-{past.pk}-do_not_record": "on",
            # Names a row id, as if guessing at another's row on a shared talk.
            f"talkspeaker-{talk.speaker_links.get(person=items['ann']).pk}-do_not_record": "on",
        },
    )

    assert TalkSpeaker.objects.filter(do_not_record=True).count() == 0
    assert wishes(talk, items["ann"]) == (False, True)
    assert wishes(past, speaker) == (False, False)


def test_each_change_is_logged_on_its_item_for_organisers(client, speaker, items):
    talk = items["talk"]

    client.post(WISHES_URL, {f"talk-{talk.pk}-do_not_record": "on"})
    client.post(WISHES_URL, {f"talk-{talk.pk}-do_not_record": "on"})  # nothing new

    (entry,) = LogEntry.objects.all()
    assert (entry.user, entry.get_edited_object(), entry.get_change_message()) == (
        speaker.user,
        talk,
        f"Changed please do not record for speaker “{speaker.name} at {talk.title}”.",
    )


def test_a_login_without_a_person_is_refused(client):
    client.force_login(UserFactory())

    response = client.post(WISHES_URL, {})

    page_with_status(response, 403)


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.post(WISHES_URL, {})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:login"))


def test_get_goes_back_to_the_profile(client, speaker):
    response = client.get(WISHES_URL)

    assert (response.status_code, response["Location"]) == (302, "/profile/")


def test_profile_without_upcoming_items_has_no_wishes_form(client, speaker):
    TalkFactory(seminar=SeminarFactory(days_from_now=-30), speakers=[speaker])

    soup = page(client.get("/profile/"))

    assert the_form(soup) is None
    assert soup.select("#wishes-title") == []
