"""Speakers' and facilitators' wishes, per talk or workshop: "please do not record" and
"please do not photograph". Organisers see who asked; the public sees only "Not recorded"."""

import pytest
from django.urls import reverse
from django.utils import timezone

from seminars.models import TalkSpeaker, WorkshopFacilitator
from seminars.services import programme_item_set_people, programme_item_wishes_set
from tests.factories import PersonFactory, SeminarFactory, TalkFactory, WorkshopFactory
from tests.html import form_data, page, text, texts

pytestmark = pytest.mark.django_db


def wishes(item):
    """{person's name: (do not record, do not photograph)} for an item's people."""
    links = getattr(item, item.people_link_name).select_related("person")
    return {link.person.name: (link.do_not_record, link.do_not_photograph) for link in links}


@pytest.fixture
def panel():
    seminar = SeminarFactory(slug="power")
    ann, bea = PersonFactory(name="Ann Able"), PersonFactory(name="Bea Bold")
    talk = TalkFactory(seminar=seminar, title="A panel", slug="panel", speakers=[ann, bea])
    TalkFactory(seminar=seminar, title="Open floor", slug="open-floor", speakers=[ann])
    return talk


# The public programme


def test_programme_says_not_recorded_and_never_who_asked(client, panel):
    panel.speaker_links.filter(person__name="Bea Bold").update(
        do_not_record=True, do_not_photograph=True
    )

    response = client.get("/seminars/power/")
    soup = page(response)

    assert text(soup, "#talk-panel .not-recorded") == "Not recorded"
    assert soup.select("#talk-open-floor .not-recorded") == []
    assert texts(soup, ".not-recorded") == ["Not recorded"]
    assert "photograph" not in response.content.decode().lower()


def test_programme_says_nothing_when_only_a_photograph_was_declined(client, panel):
    panel.speaker_links.update(do_not_photograph=True)

    soup = page(client.get("/seminars/power/"))

    assert soup.select(".not-recorded") == []


def test_a_workshop_can_be_not_recorded(client):
    facilitator = PersonFactory()
    workshop = WorkshopFactory(
        seminar=SeminarFactory(slug="w"), slug="circle", facilitators=[facilitator]
    )
    workshop.facilitator_links.update(do_not_record=True)

    soup = page(client.get("/seminars/w/"))

    assert text(soup, "#workshop-circle .not-recorded") == "Not recorded"


@pytest.mark.parametrize("count", [1, 10])
def test_seminar_page_with_items_not_recorded_runs_the_same_queries(
    client, django_assert_num_queries, count
):
    seminar = SeminarFactory(slug="big", content_notes="Detention.", easy_read="Easy.")
    for _ in range(count):
        people = [PersonFactory(), PersonFactory()]
        TalkFactory(seminar=seminar, speakers=people).speaker_links.update(do_not_record=True)
        WorkshopFactory(seminar=seminar, facilitators=people)
    # The seminar, its themes' and items' links, talks, workshops and their people, recaps.
    with django_assert_num_queries(7):
        response = client.get("/seminars/big/")
    assert len(page(response).select(".not-recorded")) == count


# Keeping wishes while the programme changes


def test_setting_people_again_keeps_the_wishes_of_those_who_stay(panel):
    ann, bea = (link.person for link in panel.speaker_links.order_by("position"))
    cal = PersonFactory(name="Cal Calm")
    panel.speaker_links.filter(person=bea).update(do_not_record=True)
    panel.speaker_links.filter(person=ann).update(do_not_photograph=True)

    programme_item_set_people(item=panel, people=[cal, bea])

    assert list(panel.speaker_links.values_list("person__name", "position")) == [
        ("Cal Calm", 0),
        ("Bea Bold", 1),
    ]
    assert wishes(panel) == {"Cal Calm": (False, False), "Bea Bold": (True, False)}


def test_organisers_record_wishes_per_person(panel):
    ann, bea = (link.person for link in panel.speaker_links.order_by("position"))

    programme_item_wishes_set(item=panel, do_not_record={bea.pk}, do_not_photograph={ann.pk})

    assert wishes(panel) == {"Ann Able": (False, True), "Bea Bold": (True, False)}

    programme_item_wishes_set(item=panel, do_not_record=set(), do_not_photograph={bea.pk})

    assert wishes(panel) == {"Ann Able": (False, False), "Bea Bold": (False, True)}


def test_wishes_in_words():
    assert TalkSpeaker(do_not_record=True, do_not_photograph=True).wishes_in_words == (
        "Please do not record; please do not photograph"
    )
    assert WorkshopFacilitator(do_not_photograph=True).wishes_in_words == (
        "Please do not photograph"
    )
    assert TalkSpeaker().wishes_in_words == ""


# The admin


def _seminar_change(client, seminar):
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    return url, page(client.get(url))


def _checked(soup, name):
    """The labels of the ticked boxes named `name`."""
    return [
        soup.select_one(f"label[for={box['id']}]").get_text(strip=True)
        for box in soup.select(f"input[type=checkbox][name={name}][checked]")
    ]


def _boxes(soup, name):
    return [
        soup.select_one(f"label[for={box['id']}]").get_text(strip=True)
        for box in soup.select(f"input[type=checkbox][name={name}]")
    ]


def test_seminar_admin_shows_each_items_wishes_by_person(organiser_client, panel):
    panel.speaker_links.filter(person__name="Bea Bold").update(do_not_record=True)
    panel.speaker_links.filter(person__name="Ann Able").update(do_not_photograph=True)

    _url, soup = _seminar_change(organiser_client, panel.seminar)

    assert _boxes(soup, "talks-0-do_not_record") == ["Ann Able", "Bea Bold"]
    assert _checked(soup, "talks-0-do_not_record") == ["Bea Bold"]
    assert _checked(soup, "talks-0-do_not_photograph") == ["Ann Able"]
    assert _boxes(soup, "talks-1-do_not_record") == ["Ann Able"]
    assert _checked(soup, "talks-1-do_not_record") == []


def test_seminar_admin_saves_wishes_ticked_on_a_talk_row(organiser_client, panel):
    ann, bea = (link.person for link in panel.speaker_links.order_by("position"))
    url, soup = _seminar_change(organiser_client, panel.seminar)
    data = form_data(soup.select_one("form#seminar_form"))
    data["talks-0-do_not_record"] = [str(bea.pk)]
    data["talks-0-do_not_photograph"] = [str(ann.pk), str(bea.pk)]

    response = organiser_client.post(url, data)

    assert response.status_code == 302
    assert wishes(panel) == {"Ann Able": (False, True), "Bea Bold": (True, True)}
    assert text(page(organiser_client.get("/seminars/power/")), ".not-recorded") == "Not recorded"


def test_seminar_admin_refuses_a_wish_for_someone_not_on_the_item(organiser_client, panel):
    stranger = PersonFactory(name="Stranger")
    url, soup = _seminar_change(organiser_client, panel.seminar)
    data = form_data(soup.select_one("form#seminar_form"))
    data["talks-0-do_not_record"] = [str(stranger.pk)]

    response = organiser_client.post(url, data)

    assert response.status_code == 200
    assert "talks-0-do_not_record" in response.text
    assert wishes(panel) == {"Ann Able": (False, False), "Bea Bold": (False, False)}


def test_talk_and_workshop_admin_pages_edit_wishes_beside_each_person(organiser_client, panel):
    url = reverse("admin:seminars_talk_change", args=[panel.pk])
    soup = page(organiser_client.get(url))
    data = form_data(soup.select_one("form#talk_form"))
    data["speaker_links-1-do_not_record"] = ["on"]

    response = organiser_client.post(url, data)

    assert response.status_code == 302
    assert wishes(panel) == {"Ann Able": (False, False), "Bea Bold": (True, False)}
    workshop = WorkshopFactory(facilitators=[PersonFactory()])
    soup = page(organiser_client.get(reverse("admin:seminars_workshop_change", args=[workshop.pk])))
    assert {box["name"] for box in soup.select("input[type=checkbox]")} >= {
        "facilitator_links-0-do_not_record",
        "facilitator_links-0-do_not_photograph",
    }


def test_person_admin_lists_their_items_with_their_wishes(organiser_client, panel):
    ann = panel.speaker_links.get(person__name="Ann Able").person
    panel.speaker_links.filter(person=ann).update(do_not_photograph=True)
    workshop = WorkshopFactory(title="Circle", facilitators=[ann])
    workshop.facilitator_links.update(do_not_record=True, do_not_photograph=True)
    open_floor = panel.seminar.talks.get(slug="open-floor")

    soup = page(organiser_client.get(reverse("admin:people_person_change", args=[ann.pk])))

    day = f"{timezone.localtime(panel.starts_at):%d %b %Y}"
    workshop_day = f"{timezone.localtime(workshop.starts_at):%d %b %Y}"
    assert texts(soup, ".field-recording_wishes li") == [
        f"Circle ({workshop.seminar.title}, {workshop_day}): Please do not record; please do "
        "not photograph",
        f"A panel ({panel.seminar.title}, {day}): Please do not photograph",
        f"Open floor ({panel.seminar.title}, {day}): nothing asked",
    ]
    assert [a["href"] for a in soup.select(".field-recording_wishes a")] == [
        reverse("admin:seminars_workshop_change", args=[workshop.pk]),
        reverse("admin:seminars_talk_change", args=[panel.pk]),
        reverse("admin:seminars_talk_change", args=[open_floor.pk]),
    ]
