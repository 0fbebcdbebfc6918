import pytest

from seminars.models import TalkSpeaker, WorkshopFacilitator
from seminars.services import programme_item_set_people
from tests.factories import PersonFactory, SeminarFactory, TalkFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def test_programme_item_set_people_stores_talk_speakers_in_the_given_order():
    talk = TalkFactory()
    ann, bea = PersonFactory(name="Ann"), PersonFactory(name="Bea")

    programme_item_set_people(item=talk, people=[bea, ann])

    assert list(TalkSpeaker.objects.values_list("talk", "person__name", "position")) == [
        (talk.pk, "Bea", 0),
        (talk.pk, "Ann", 1),
    ]
    assert [link.person for link in talk.speaker_links.all()] == [bea, ann]


def test_programme_item_set_people_replaces_previous_talk_speakers():
    ann, bea, cal = (PersonFactory(name=name) for name in ["Ann", "Bea", "Cal"])
    talk = TalkFactory(speakers=[cal, ann])

    programme_item_set_people(item=talk, people=[bea, ann])

    assert list(TalkSpeaker.objects.values_list("person__name", "position")) == [
        ("Bea", 0),
        ("Ann", 1),
    ]


def test_programme_item_set_people_with_no_people_clears_talk_speakers():
    talk = TalkFactory(speakers=[PersonFactory()])

    programme_item_set_people(item=talk, people=[])

    assert TalkSpeaker.objects.count() == 0


def test_programme_item_set_people_leaves_other_talks_alone():
    ann, bea = PersonFactory(name="Ann"), PersonFactory(name="Bea")
    other = TalkFactory(title="Other", speakers=[ann])
    talk = TalkFactory(title="This", speakers=[ann])

    programme_item_set_people(item=talk, people=[bea])

    assert list(
        TalkSpeaker.objects.order_by("talk__title").values_list("talk__title", "person__name")
    ) == [("Other", "Ann"), ("This", "Bea")]
    assert other.speakers.get() == ann


def test_programme_item_set_people_stores_workshop_facilitators_in_the_given_order():
    ann, bea, cal = (PersonFactory(name=name) for name in ["Ann", "Bea", "Cal"])
    workshop = WorkshopFactory(facilitators=[cal])

    programme_item_set_people(item=workshop, people=[bea, ann])

    assert list(
        WorkshopFacilitator.objects.values_list("workshop", "person__name", "position")
    ) == [(workshop.pk, "Bea", 0), (workshop.pk, "Ann", 1)]


def test_programme_item_set_people_refuses_anything_but_a_talk_or_workshop():
    seminar = SeminarFactory()

    with pytest.raises(TypeError, match="Expected a Talk or a Workshop, not Seminar."):
        programme_item_set_people(item=seminar, people=[PersonFactory()])

    assert (TalkSpeaker.objects.count(), WorkshopFacilitator.objects.count()) == (0, 0)
