"""What a seminar provides for access, from the organisers' vocabulary: on its page near the
top, compactly on the seminar cards, and in JSON-LD as its place's amenity features."""

import json

import pytest
from django.urls import reverse

from seminars.access.models import AccessProvision
from tests.factories import (
    PersonFactory,
    RecapFactory,
    SeminarFactory,
    TalkFactory,
    WorkshopFactory,
)
from tests.html import page, text, texts

pytestmark = pytest.mark.django_db

SEEDED = [
    ("Step-free access", "level or ramped access, or a lift, to every room used"),
    ("Hearing loop", "for hearing aids with a T setting"),
    ("BSL interpretation", "British Sign Language interpreters"),
    ("Live captions", "what is said, as text on a screen in the room"),
    ("Quiet room", "a calm space to take a break in"),
    ("Accessible toilets", ""),
    ("Regular breaks", "a break at least every hour"),
    ("Relaxed format", "move around, come and go, and take part as you wish"),
    ("Captions online", "captions for people joining online"),
]


def provisions(*slugs):
    return [AccessProvision.objects.get(slug=slug) for slug in slugs]


def json_ld(response):
    [script] = page(response).select('script[type="application/ld+json"]')
    return json.loads(script.string)


def test_the_vocabulary_is_seeded_in_order_by_the_migration():
    assert [
        (provision.name, provision.description) for provision in AccessProvision.objects.all()
    ] == SEEDED


def test_seminar_page_lists_its_provisions_after_when_and_where(client):
    seminar = SeminarFactory(slug="sharing-power", capacity=20)
    seminar.access_provisions.set(provisions("quiet-room", "hearing-loop", "accessible-toilets"))

    soup = page(client.get("/seminars/sharing-power/"))

    assert texts(soup, "#access-provisions li") == [
        "Hearing loop (for hearing aids with a T setting)",
        "Quiet room (a calm space to take a break in)",
        "Accessible toilets",
    ]
    assert texts(soup, "article > section > h2")[:3] == [
        "When and where",
        "Access provided",
        "Registration",
    ]
    assert "You can tell the organisers what you need when you register." in text(
        soup, "section[aria-labelledby=provisions-title]"
    )


def test_seminar_page_without_provisions_has_no_empty_list(client):
    SeminarFactory(slug="sharing-power")

    soup = page(client.get("/seminars/sharing-power/"))

    assert soup.select("#access-provisions") == []
    assert "Access provided" not in texts(soup, "h2")


def test_organisers_own_the_vocabulary_and_pages_follow(client):
    seminar = SeminarFactory(slug="sharing-power")
    seminar.access_provisions.set(provisions("live-captions", "regular-breaks"))
    AccessProvision.objects.filter(slug="live-captions").update(
        name="Live subtitles", description="", position=99
    )
    AccessProvision.objects.filter(slug="regular-breaks").delete()

    soup = page(client.get("/seminars/sharing-power/"))

    assert texts(soup, "#access-provisions li") == ["Live subtitles"]


def test_seminar_cards_show_provisions_compactly_in_words(client):
    first = SeminarFactory(title="Sharing power", days_from_now=10)
    first.access_provisions.set(provisions("step-free-access", "bsl-interpretation"))
    SeminarFactory(title="Nothing ticked", days_from_now=20)
    later = SeminarFactory(title="Later", days_from_now=30)
    later.access_provisions.set(provisions("captions-online"))

    seminar_list = page(client.get("/seminars/"))
    home = page(client.get("/"))

    assert [
        (text(card, "h3"), texts(card, ".access-provisions"))
        for card in seminar_list.select("section[aria-labelledby=upcoming-title] li")
    ] == [
        ("Sharing power", ["Access: Step-free access, BSL interpretation"]),
        ("Nothing ticked", []),
        ("Later", ["Access: Captions online"]),
    ]
    assert texts(home, "section[aria-labelledby=next-title] .access-provisions") == [
        "Access: Step-free access, BSL interpretation"
    ]
    assert texts(home, "section[aria-labelledby=upcoming-title] .access-provisions") == [
        "Access: Captions online"
    ]


def test_json_ld_gives_the_place_its_amenity_features(client):
    seminar = SeminarFactory(slug="sharing-power")
    seminar.access_provisions.set(provisions("step-free-access", "hearing-loop"))

    place = json_ld(client.get("/seminars/sharing-power/"))["location"]

    assert place["amenityFeature"] == [
        {"@type": "LocationFeatureSpecification", "name": "Step-free access", "value": True},
        {"@type": "LocationFeatureSpecification", "name": "Hearing loop", "value": True},
    ]


def test_json_ld_of_a_hybrid_seminar_lists_them_on_the_venue(client):
    seminar = SeminarFactory(slug="hybrid", online_url="https://meet.example.org/private")
    seminar.access_provisions.set(provisions("captions-online"))

    place, virtual = json_ld(client.get("/seminars/hybrid/"))["location"]

    assert place["amenityFeature"] == [
        {"@type": "LocationFeatureSpecification", "name": "Captions online", "value": True}
    ]
    assert "amenityFeature" not in virtual


def test_json_ld_without_provisions_has_no_amenity_features(client):
    SeminarFactory(slug="sharing-power")

    assert "amenityFeature" not in json_ld(client.get("/seminars/sharing-power/"))["location"]


def test_admin_lists_the_vocabulary_with_how_many_seminars_provide_each(organiser_client):
    for seminar in SeminarFactory.create_batch(2):
        seminar.access_provisions.set(provisions("quiet-room"))

    soup = page(organiser_client.get(reverse("admin:seminars_accessprovision_changelist")))

    rows = {
        text(row, ".field-name"): text(row, ".field-seminar_count")
        for row in soup.select("#result_list tbody tr")
    }
    assert (rows["Quiet room"], rows["Hearing loop"]) == ("2", "0")


def test_organiser_ticks_a_seminars_provisions_as_checkboxes(organiser_client):
    seminar = SeminarFactory()
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])

    soup = page(organiser_client.get(url))

    boxes = soup.select("input[type=checkbox][name=access_provisions]")
    assert len(boxes) == len(SEEDED)
    assert texts(soup, "#id_access_provisions label")[:2] == ["Step-free access", "Hearing loop"]


@pytest.mark.parametrize("count", [1, 10])
def test_seminar_list_and_home_query_counts_stay_constant_with_provisions(
    client, django_assert_num_queries, count
):
    ticked = provisions("step-free-access", "hearing-loop", "quiet-room")
    for index in range(count):
        SeminarFactory(days_from_now=10 + index).access_provisions.set(ticked)
        SeminarFactory(days_from_now=-10 - index).access_provisions.set(ticked)

    # The provisions come annotated on the seminars: no query of their own.
    with django_assert_num_queries(3):
        client.get("/seminars/")
    with django_assert_num_queries(3):
        client.get("/")


@pytest.mark.parametrize("count", [1, 10])
def test_seminar_detail_query_count_stays_constant_with_provisions(
    client, django_assert_num_queries, count
):
    seminar = SeminarFactory(slug="big")
    seminar.access_provisions.set(AccessProvision.objects.all()[: count % 9 + 1])
    for _ in range(count):
        people = [PersonFactory(), PersonFactory()]
        TalkFactory(seminar=seminar, speakers=people)
        WorkshopFactory(seminar=seminar, facilitators=people)
        RecapFactory(seminar=seminar, authors=people)

    with django_assert_num_queries(8):
        client.get("/seminars/big/")
