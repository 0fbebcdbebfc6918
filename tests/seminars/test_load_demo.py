import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from people.models import Person, Role, User
from people.services import ORGANISERS_GROUP
from seminars.feedback.models import (
    FeedbackRequest,
    FeedbackResponse,
    FeedbackSettings,
    TalkComment,
)
from seminars.models import (
    Recap,
    Registration,
    Seminar,
    Series,
    Talk,
    TalkSpeaker,
    Theme,
    Venue,
    Workshop,
    WorkshopFacilitator,
)
from tests.html import page, text, texts

LONDON = ZoneInfo("Europe/London")
REAL_PEOPLE = ["Albert Dzur", "Michael Guthrie", "Annie Dransfield", "Scott Bell"]
COUNTED_MODELS = [
    Series,
    Venue,
    Seminar,
    Talk,
    Workshop,
    TalkSpeaker,
    WorkshopFacilitator,
    Recap,
    Recap.authors.through,
    Theme,
    Seminar.themes.through,
    Talk.themes.through,
    Workshop.themes.through,
    Recap.themes.through,
    Seminar.access_provisions.through,
    Registration,
    Registration.access_needs.through,
    Person,
    Person.roles.through,
    User,
    Role,
    Group,
    Registration,
    FeedbackSettings,
    FeedbackRequest,
    FeedbackResponse,
    TalkComment,
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """A local demo (DEBUG) draws slides into the media storage: a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def load_demo():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def row_counts():
    return {model._meta.label: model.objects.count() for model in COUNTED_MODELS}


@pytest.mark.django_db
def test_load_demo_twice_leaves_the_same_rows(settings):
    settings.DEBUG = True
    load_demo()
    first = row_counts()

    load_demo()

    assert row_counts() == first
    assert first["seminars.Seminar"] == 5
    assert first["seminars.Theme"] == 5
    assert first["people.User"] == 2


@pytest.mark.django_db
def test_load_demo_first_seminar_is_leeds_on_5_january_2016():
    load_demo()

    seminar = Seminar.objects.get(number=1)

    assert seminar.starts_at == dt.datetime(2016, 1, 5, 10, tzinfo=LONDON)
    assert seminar.starts_at.astimezone(LONDON).date() == dt.date(2016, 1, 5)
    assert seminar.status == Seminar.Status.PUBLISHED
    assert seminar.series.funder == "Economic and Social Research Council (ESRC)"
    assert (seminar.venue.name, seminar.venue.city) == ("University of Leeds", "Leeds")
    assert (seminar.venue.address, seminar.venue.postcode, seminar.venue.map_url) == ("", "", "")


@pytest.mark.django_db
def test_load_demo_first_seminar_programme_has_the_real_speakers_in_order():
    load_demo()
    seminar = Seminar.objects.get(number=1)

    talks = [
        (talk.title, [link.person.name for link in talk.speaker_links.all()])
        for talk in seminar.talks.order_by("starts_at")
    ]
    workshops = [
        (workshop.title, [link.person.name for link in workshop.facilitator_links.all()])
        for workshop in seminar.workshops.order_by("starts_at")
    ]

    assert talks == [
        ("Democratic professionalism", ["Albert Dzur"]),
        ("Talk by Michael Guthrie", ["Michael Guthrie"]),
        ("Talk by Annie Dransfield", ["Annie Dransfield"]),
    ]
    assert workshops == [
        ("Mutuality and reciprocity in co-productive relationships", ["Scott Bell"]),
    ]


@pytest.mark.django_db
def test_load_demo_recap_is_credited_to_the_demo_editors_not_to_a_real_person():
    load_demo()

    recap = Recap.objects.get(seminar__number=1)

    assert [author.name for author in recap.authors.all()] == ["Demo editors"]
    assert recap.authors.get().bio.startswith("A fictional speaker created for the demo site.")
    assert recap.body.rstrip().endswith(
        "The original recap was written by Pamela Fisher, and none of the\nwords here are hers.*"
    )
    assert not Person.objects.filter(name="Pamela Fisher").exists()
    assert recap.status == Recap.Status.PUBLISHED
    assert recap.published_at.astimezone(LONDON).date() == dt.date(2016, 1, 20)
    assert list(Recap.objects.public()) == [recap]


@pytest.mark.django_db
def test_load_demo_series_has_a_short_name_and_a_fictional_contact(client):
    load_demo()

    soup = page(client.get("/"))

    assert text(soup, ".site-name") == "Re-imagining professionalism"
    assert soup.select_one("footer a[href='mailto:organisers@example.org']")


@pytest.mark.django_db
def test_load_demo_real_people_have_a_name_and_nothing_else():
    load_demo()

    people = Person.objects.filter(name__in=REAL_PEOPLE)

    assert sorted(person.name for person in people) == sorted(REAL_PEOPLE)
    for person in people:
        assert (person.bio, person.affiliation, person.pronouns, person.email) == ("", "", "", "")
        assert not person.photo
        assert list(person.roles.all()) == []
        assert person.user is None
        # No consent from them is recorded, so nothing about them is public beyond
        # their names on the programmes they took part in.
        assert (person.is_listed, person.show_roles) == (False, False)
        assert (person.listing_consent_at, person.roles_consent_at) == (None, None)


@pytest.mark.django_db
def test_load_demo_upcoming_public_seminars_are_fictional_and_bookable():
    load_demo()

    upcoming = list(Seminar.objects.public().upcoming())

    assert [seminar.number for seminar in upcoming] == [2, 3]
    for seminar in upcoming:
        assert "(fictional venue)" in seminar.venue.name
        assert seminar.capacity is not None
        assert seminar.waitlist_enabled
        assert seminar.talks.count() >= 2
        assert seminar.workshops.count() >= 1
    assert [bool(seminar.online_url) for seminar in upcoming] == [False, True]


@pytest.mark.django_db
def test_load_demo_draft_seminar_is_hidden_from_the_public():
    load_demo()

    draft = Seminar.objects.get(number=4)

    assert draft.status == Seminar.Status.DRAFT
    assert not Seminar.objects.public().filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_load_demo_fictional_people_cover_every_role():
    load_demo()

    fictional = Person.objects.filter(bio__icontains="fictional")
    covered = set(Role.objects.filter(people__in=fictional).values_list("slug", flat=True))

    assert covered == set(Role.objects.values_list("slug", flat=True))
    assert fictional.filter(show_roles=False).count() == 1
    assert fictional.filter(is_listed=False).count() == 1


@pytest.mark.django_db
def test_load_demo_with_debug_creates_working_demo_logins(settings, client):
    settings.DEBUG = True

    output = load_demo()

    organiser = User.objects.get(email="organiser@example.org")
    assert organiser.is_staff
    assert not organiser.is_superuser
    assert list(organiser.groups.values_list("name", flat=True)) == [ORGANISERS_GROUP]
    speaker = User.objects.get(email="speaker@example.org")
    assert (speaker.is_staff, speaker.is_superuser) == (False, False)
    assert speaker.person.name == "Ada Example"
    assert "organiser@example.org / demo-organiser-password" in output
    assert "speaker@example.org / demo-speaker-password" in output
    assert client.login(email="organiser@example.org", password="demo-organiser-password")
    assert client.login(email="speaker@example.org", password="demo-speaker-password")


@pytest.mark.django_db
def test_load_demo_without_debug_creates_no_logins(settings):
    settings.DEBUG = False

    output = load_demo()

    assert User.objects.count() == 0
    assert "Demo logins are only created when DJANGO_DEBUG is on." in output
    assert "password" not in output


@pytest.mark.django_db
def test_load_demo_themes_are_the_five_from_the_design():
    load_demo()

    assert [theme.name for theme in Theme.objects.all()] == [
        "Democratic professionalism",
        "Language and labels",
        "Mutuality and reciprocity",
        "Regulation",
        "Role models",
    ]
    assert all(theme.description for theme in Theme.objects.all())


@pytest.mark.django_db
def test_load_demo_tags_the_first_seminar_from_its_facts():
    load_demo()
    seminar = Seminar.objects.get(number=1)

    def names(item):
        return [theme.name for theme in item.themes.all()]

    assert [(talk.title, names(talk)) for talk in seminar.talks.order_by("starts_at")] == [
        ("Democratic professionalism", ["Democratic professionalism"]),
        ("Talk by Michael Guthrie", ["Regulation"]),
        ("Talk by Annie Dransfield", ["Regulation"]),
    ]
    assert [names(workshop) for workshop in seminar.workshops.all()] == [
        ["Language and labels", "Mutuality and reciprocity"]
    ]
    assert names(seminar.recaps.get()) == [
        "Democratic professionalism",
        "Language and labels",
        "Mutuality and reciprocity",
        "Regulation",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "slug", ["regulation", "language-and-labels", "democratic-professionalism"]
)
def test_load_demo_theme_threads_span_the_first_seminar_and_an_upcoming_one(slug):
    load_demo()
    theme = Theme.objects.get(slug=slug)

    numbers = {
        *Seminar.objects.public().filter(talks__themes=theme).values_list("number", flat=True),
        *Seminar.objects.public().filter(workshops__themes=theme).values_list("number", flat=True),
    }

    assert 1 in numbers
    assert numbers & {2, 3}


@pytest.mark.django_db
def test_load_demo_upcoming_seminar_shows_wellbeing_easy_read_and_a_talk_not_recorded(client):
    load_demo()
    seminar = Seminar.objects.public().upcoming().first()

    soup = page(client.get(seminar.get_absolute_url()))

    assert (seminar.wellbeing_contact_name, seminar.wellbeing_contact_details) == (
        "Alex Morgan (demo)",
        "01632 960 000, or at the registration desk all day",  # Ofcom's drama range
    )
    assert text(soup, "#wellbeing-title") == "Wellbeing and what to expect"
    assert len(soup.select(".wellbeing h3")) == 4
    assert text(soup, "#easy-read-title") == "Easy read"
    assert text(soup, ".not-recorded") == "Not recorded"
    assert text(soup, "#talk-a-carers-response .not-recorded") == "Not recorded"
    # The demo speaker login's own talk asks nothing, so the speaker can try it.
    assert TalkSpeaker.objects.filter(person__slug="ada-example", do_not_record=True).count() == 0


@pytest.mark.django_db
def test_load_demo_again_keeps_what_a_demo_speaker_asked():
    load_demo()
    TalkSpeaker.objects.filter(person__slug="ada-example").update(do_not_photograph=True)

    load_demo()

    assert set(
        TalkSpeaker.objects.filter(person__slug="ada-example").values_list(
            "do_not_photograph", flat=True
        )
    ) == {True}


@pytest.mark.django_db
def test_load_demo_seminars_tick_access_provisions_from_the_vocabulary(client):
    load_demo()

    soup = page(client.get(Seminar.objects.get(number=3).get_absolute_url()))

    assert [item.split(" (")[0] for item in texts(soup, "#access-provisions li")] == [
        "Step-free access",
        "Hearing loop",
        "BSL interpretation",
        "Live captions",
        "Quiet room",
        "Accessible toilets",
        "Captions online",
    ]
    assert Seminar.objects.get(number=1).access_provisions.count() == 0  # not recorded in 2016


@pytest.mark.django_db
def test_load_demo_has_a_fictional_registration_with_an_access_request():
    load_demo()

    [registration] = Registration.objects.filter(seminar__number=2)
    assert (
        registration.seminar.number,
        registration.name,
        registration.email,
        registration.pronouns,
        [need.name for need in registration.access_needs.all()],
        registration.access_request_status,
        registration.with_companion,
        registration.status,
    ) == (
        2,
        "Rowan Example (fictional registrant)",
        "rowan.example@example.org",
        "they/them",
        ["Hearing loop", "Regular breaks"],
        "arranged",
        True,
        "confirmed",
    )


@pytest.mark.django_db
def test_load_demo_has_a_fictional_attendee_with_a_certificate_at_the_first_seminar(client):
    load_demo()
    load_demo()

    [attendee] = Registration.objects.filter(seminar__slug="seminar-1-leeds-2016")
    assert (attendee.name, attendee.email) == ("Zoë Example", "zoe.attendee@example.org")
    assert attendee.attended_at is not None
    assert attendee.seminar.certificates_enabled
    response = client.get(f"{attendee.get_absolute_url()}certificate/")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")


@pytest.mark.django_db
def test_local_demo_has_slides_for_the_demo_speakers_keynote(client, settings, media):
    settings.DEBUG = True
    load_demo()
    load_demo()

    talk = Talk.objects.get(slug="sharing-decisions")
    assert talk.slides_public_before
    assert len(list(media.rglob("*.pdf"))) == 1
    soup = page(client.get(talk.seminar.get_absolute_url()))
    [link] = soup.select(f"#{talk.anchor} ul.materials a")
    assert link.get_text(strip=True).startswith(
        "Slides for “Sharing decisions: what changes for the professional?” (PDF, "
    )


@pytest.mark.django_db
def test_load_demo_past_seminar_has_fictional_feedback_and_approved_comments(settings, client):
    settings.DEBUG = True
    load_demo()
    seminar = Seminar.objects.get(slug="seminar-5-lived-experience-in-training")

    assert list(Seminar.objects.public().past()[:1]) == [seminar]
    assert seminar.feedback_responses.count() == 21
    assert seminar.registrations.filter(name__endswith="(fictional)").count() == 24
    assert Registration.objects.exclude(email__endswith="@example.org").count() == 0
    client.login(email="speaker@example.org", password="demo-speaker-password")
    soup = page(client.get("/profile/"))
    # In no particular order: the order they were written in could tell who wrote them.
    assert sorted(texts(soup, "#talk-comments blockquote")) == [
        "Clear, and honest about what went wrong.",
        "I liked hearing how the students changed their minds.",
    ]
