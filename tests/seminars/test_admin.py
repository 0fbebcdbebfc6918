"""The admin as an organiser (staff, in the Organisers group, not a superuser) sees it."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from people.models import Person
from people.services import ORGANISERS_GROUP
from seminars.identity import series_identity
from seminars.models import (
    Break,
    Registration,
    Seminar,
    Talk,
    TalkSpeaker,
    WorkshopFacilitator,
)
from tests.factories import (
    PersonFactory,
    RecapFactory,
    RegistrationFactory,
    RoleFactory,
    SeminarFactory,
    SeriesFactory,
    TalkFactory,
    ThemeFactory,
    UserFactory,
    VenueFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")

SEEDED_ROLES = [
    "Academic",
    "Expert by experience",
    "Peer support worker",
    "Carer",
    "Practitioner",
    "Student",
    "Policy maker",
]


def _listed(response):
    return [str(obj) for obj in response.context["cl"].result_list]


# Permissions


def test_organisers_group_may_manage_the_programme_people_roles_and_payments_and_read_the_log():
    group = Group.objects.get(name=ORGANISERS_GROUP)
    organiser_models = [
        ("seminars", model._meta.model_name)
        for model in apps.get_app_config("seminars").get_models()
    ] + [
        ("people", model_name)
        for model_name in ["person", "role", "involvementoffer", "expenseclaim", "expenseitem"]
    ]

    assert set(group.permissions.values_list("content_type__app_label", "codename")) == {
        (app_label, f"{action}_{model_name}")
        for app_label, model_name in organiser_models
        for action in ["add", "change", "delete", "view"]
    } | {
        ("admin", "view_logentry"),
        ("seminars", "email_registrants"),
        ("seminars", "export_subscribers"),
    }


def test_organiser_may_not_manage_logins_or_groups(organiser):
    assert [
        organiser.has_perm(f"{app_label}.{action}_{model_name}")
        for app_label, model_name in [("people", "user"), ("auth", "group")]
        for action in ["add", "change", "delete", "view"]
    ] == [False] * 8
    assert organiser.is_superuser is False


# Changelists and add forms


def _one_series():
    SeriesFactory(title="Recovery in practice")
    return ["Recovery in practice"]


def _one_venue():
    VenueFactory(name="Town Hall", city="Leeds")
    return ["Town Hall, Leeds"]


def _one_seminar():
    SeminarFactory(title="Doing research together")
    return ["Doing research together"]


def _one_talk():
    TalkFactory(title="Whose knowledge?", speakers=[PersonFactory()])
    return ["Whose knowledge?"]


def _one_workshop():
    WorkshopFactory(title="Mapping services", facilitators=[PersonFactory()])
    return ["Mapping services"]


def _one_recap():
    RecapFactory(title="What we learned", authors=[PersonFactory()])
    return ["What we learned"]


def _one_theme():
    ThemeFactory(name="Regulation")
    return ["Regulation"]


def _one_person():
    PersonFactory(name="Ann Example")
    return ["Ann Example"]


def _one_role():
    RoleFactory(name="Volunteer")
    return [*SEEDED_ROLES, "Volunteer"]


CHANGELISTS = {
    "seminars_series": _one_series,
    "seminars_venue": _one_venue,
    "seminars_seminar": _one_seminar,
    "seminars_talk": _one_talk,
    "seminars_workshop": _one_workshop,
    "seminars_recap": _one_recap,
    "seminars_theme": _one_theme,
    "people_person": _one_person,
    "people_role": _one_role,
}


@pytest.mark.parametrize("name", CHANGELISTS)
def test_admin_changelist_lists_objects_for_an_organiser(organiser_client, name):
    expected = CHANGELISTS[name]()

    response = organiser_client.get(reverse(f"admin:{name}_changelist"))

    assert response.status_code == 200
    assert _listed(response) == expected


# Changelists at size: each row brings its own related objects, so a query per row would show.


def _series_with_seminars(count):
    for _ in range(count):
        SeminarFactory(series=SeriesFactory())


def _seminars_with_registrations(count):
    for seminar in SeminarFactory.create_batch(count, capacity=10):
        RegistrationFactory(seminar=seminar, status=Registration.Status.WAITLISTED)


def _talks_with_speakers(count):
    for _ in range(count):
        TalkFactory(speakers=[PersonFactory()])


def _workshops_with_facilitators(count):
    for _ in range(count):
        WorkshopFactory(facilitators=[PersonFactory()])


def _recaps_with_authors(count):
    for _ in range(count):
        RecapFactory(authors=[PersonFactory(), PersonFactory()])


def _themes_on_items(count):
    for _ in range(count):
        theme = ThemeFactory()
        RecapFactory(themes=[theme], seminar=SeminarFactory(themes=[theme]))


def _registrations_with_roles(count):
    for _ in range(count):
        RegistrationFactory(role=RoleFactory())


def _people_with_logins(count):
    for _ in range(count):
        PersonFactory(user=UserFactory(last_login=timezone.now()), roles=[RoleFactory()])


# name: (rows of that many, queries for the page as a superuser)
CHANGELIST_QUERIES = {
    "seminars_series": (_series_with_seminars, 6),
    "seminars_venue": (VenueFactory.create_batch, 6),
    "seminars_seminar": (_seminars_with_registrations, 9),
    "seminars_talk": (_talks_with_speakers, 8),
    "seminars_workshop": (_workshops_with_facilitators, 8),
    "seminars_recap": (_recaps_with_authors, 9),
    "seminars_theme": (_themes_on_items, 5),
    "seminars_registration": (_registrations_with_roles, 9),
    "people_person": (_people_with_logins, 6),
}


@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize("name", CHANGELIST_QUERIES)
def test_admin_changelist_runs_the_same_queries_for_one_row_or_many(
    admin_client, django_assert_num_queries, name, count
):
    make_rows, queries = CHANGELIST_QUERIES[name]
    make_rows(count)
    series_identity()  # the admin's header names the series, cached as on any running site

    with django_assert_num_queries(queries):
        response = admin_client.get(reverse(f"admin:{name}_changelist"))

    assert len(response.context["cl"].result_list) == count


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("seminars_series", "Add series"),
        ("seminars_venue", "Add venue"),
        ("seminars_seminar", "Add seminar"),
        ("seminars_talk", "Add talk"),
        ("seminars_workshop", "Add workshop"),
        ("seminars_recap", "Add recap"),
        ("seminars_theme", "Add theme"),
        ("people_person", "Add person"),
        ("people_role", "Add role"),
    ],
)
def test_admin_add_form_opens_for_an_organiser(organiser_client, name, title):
    response = organiser_client.get(reverse(f"admin:{name}_add"))

    assert (response.status_code, response.context["title"]) == (200, title)


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:people_user_changelist",
        "admin:people_user_add",
        "admin:auth_group_changelist",
    ],
)
def test_admin_logins_and_groups_are_forbidden_to_an_organiser(organiser_client, url_name):
    response = organiser_client.get(reverse(url_name))

    assert response.status_code == 403


def test_admin_person_login_is_read_only_for_an_organiser(organiser_client):
    person = PersonFactory(user=UserFactory(email="ann@example.org"))

    response = organiser_client.get(reverse("admin:people_person_change", args=[person.pk]))

    assert response.status_code == 200
    assert "user" not in response.context["adminform"].form.fields


# Search and filters


def test_admin_seminar_search_finds_by_title_and_venue(organiser_client):
    SeminarFactory(title="Recovery colleges", venue=VenueFactory(city="York"))
    SeminarFactory(title="Peer support", venue=VenueFactory(city="Leeds"))
    url = reverse("admin:seminars_seminar_changelist")

    assert [
        _listed(organiser_client.get(url, {"q": q})) for q in ["recovery", "Leeds", "nothing"]
    ] == [["Recovery colleges"], ["Peer support"], []]


def test_admin_talk_search_finds_by_speaker(organiser_client):
    TalkFactory(title="Whose knowledge?", speakers=[PersonFactory(name="Ann Example")])
    TalkFactory(title="Power and money", speakers=[PersonFactory(name="Bea Other")])

    response = organiser_client.get(reverse("admin:seminars_talk_changelist"), {"q": "ann"})

    assert _listed(response) == ["Whose knowledge?"]


def test_admin_workshop_search_finds_by_facilitator(organiser_client):
    WorkshopFactory(title="Mapping", facilitators=[PersonFactory(name="Ann Example")])
    WorkshopFactory(title="Drawing", facilitators=[PersonFactory(name="Bea Other")])

    response = organiser_client.get(reverse("admin:seminars_workshop_changelist"), {"q": "bea"})

    assert _listed(response) == ["Drawing"]


def test_admin_recap_search_finds_by_author(organiser_client):
    RecapFactory(title="What we learned", authors=[PersonFactory(name="Ann Example")])
    RecapFactory(title="What comes next", authors=[PersonFactory(name="Bea Other")])

    response = organiser_client.get(reverse("admin:seminars_recap_changelist"), {"q": "ann"})

    assert _listed(response) == ["What we learned"]


@pytest.mark.parametrize(
    ("name", "q", "expected"),
    [
        ("seminars_series", "wellcome", ["Recovery in practice"]),
        ("seminars_venue", "LS1", ["Town Hall, Leeds"]),
        ("people_person", "university", ["Ann Example"]),
        ("people_role", "mental health", ["Expert by experience", "Peer support worker", "Carer"]),
    ],
)
def test_admin_search_finds_by_text(organiser_client, name, q, expected):
    SeriesFactory(title="Recovery in practice", funder="Wellcome")
    SeriesFactory(title="Another series", funder="")
    VenueFactory(name="Town Hall", city="Leeds", postcode="LS1 1UR")
    VenueFactory(name="Library", city="York", postcode="YO1 7DS")
    PersonFactory(name="Ann Example", affiliation="University of Leeds")
    PersonFactory(name="Bea Other", affiliation="Mind")

    response = organiser_client.get(reverse(f"admin:{name}_changelist"), {"q": q})

    assert _listed(response) == expected


def test_admin_seminar_filters_by_status_series_and_date(organiser_client):
    series = SeriesFactory()
    SeminarFactory(title="Draft", status=Seminar.Status.DRAFT, series=series)
    SeminarFactory(
        title="In 2030",
        starts_at=dt.datetime(2030, 5, 1, 10, tzinfo=LONDON),
        ends_at=dt.datetime(2030, 5, 1, 16, tzinfo=LONDON),
    )
    url = reverse("admin:seminars_seminar_changelist")

    assert [
        _listed(organiser_client.get(url, query))
        for query in [
            {"status__exact": "draft"},
            {"series__id__exact": series.pk},
            {"starts_at__year": 2030},
        ]
    ] == [["Draft"], ["Draft"], ["In 2030"]]


def test_admin_talk_filters_by_kind_and_seminar_status(organiser_client):
    TalkFactory(title="Keynote", kind=Talk.Kind.KEYNOTE)
    TalkFactory(title="Draft talk", seminar=SeminarFactory(status=Seminar.Status.DRAFT))
    url = reverse("admin:seminars_talk_changelist")

    assert [
        _listed(organiser_client.get(url, query))
        for query in [{"kind__exact": "keynote"}, {"seminar__status__exact": "draft"}]
    ] == [["Keynote"], ["Draft talk"]]


def test_admin_recap_filters_by_status(organiser_client):
    RecapFactory(title="Draft recap", status="draft")
    RecapFactory(title="Published recap")

    response = organiser_client.get(
        reverse("admin:seminars_recap_changelist"), {"status__exact": "draft"}
    )

    assert _listed(response) == ["Draft recap"]


def test_admin_person_filters_by_login_and_role(organiser_client):
    carer = RoleFactory(name="Carer", slug="carer")
    PersonFactory(name="Ann Example", user=UserFactory(), roles=[carer])
    PersonFactory(name="Bea Other")
    url = reverse("admin:people_person_changelist")

    assert [
        _listed(organiser_client.get(url, query))
        for query in [
            {"user__isempty": "1"},
            {"user__isempty": "0"},
            {"roles__id__exact": carer.pk},
            {"is_listed__exact": "1"},
        ]
    ] == [["Bea Other"], ["Ann Example"], ["Ann Example"], ["Ann Example", "Bea Other"]]


def test_admin_role_filters_by_whether_anyone_holds_it(organiser_client):
    PersonFactory(roles=[RoleFactory(name="Carer", slug="carer")])

    response = organiser_client.get(
        reverse("admin:people_role_changelist"), {"people__isempty": "0"}
    )

    assert _listed(response) == ["Carer"]


# The seminar page with its programme inline


def _management_form(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _seminar_form_data(*, series, title, date, talk, workshop):
    """What the seminar page posts: the seminar, one talk and one workshop."""
    return {
        "series": series.pk,
        "number": "1",
        "title": title,
        "slug": "doing-research-together",
        "status": "published",
        "starts_at_0": date,
        "starts_at_1": "10:00",
        "ends_at_0": date,
        "ends_at_1": "16:00",
        "venue": "",
        "online_url": "",
        "summary": "",
        "description": "",
        "capacity": "40",
        "waitlist_enabled": "on",
        "waitlist_cutoff_hours": "24",
        "registration_opens_at_0": "",
        "registration_opens_at_1": "",
        "registration_closes_at_0": "",
        "registration_closes_at_1": "",
        **_management_form("talks", 1, initial=0 if talk["id"] == "" else 1),
        **{f"talks-0-{field}": value for field, value in talk.items()},
        **_management_form("workshops", 1, initial=0 if workshop["id"] == "" else 1),
        **{f"workshops-0-{field}": value for field, value in workshop.items()},
        **_management_form("breaks", 0),
    }


def _talk_form_data(*, people, talk_id="", seminar_id=""):
    return {
        "id": talk_id,
        "seminar": seminar_id,
        "title": "Whose knowledge?",
        "slug": "whose-knowledge",
        "kind": "keynote",
        "room": "Main hall",
        "starts_at": "10:30",
        "ends_at": "11:15",
        "people": [person.pk for person in people],
    }


def _workshop_form_data(*, people, workshop_id="", seminar_id=""):
    return {
        "id": workshop_id,
        "seminar": seminar_id,
        "title": "Mapping services",
        "slug": "mapping-services",
        "room": "Room 2",
        "capacity": "12",
        "starts_at": "13:00",
        "ends_at": "14:30",
        "people": [person.pk for person in people],
    }


def _form_errors(response):
    if response.context is None:
        return None
    return [response.context["adminform"].form.errors] + [
        formset.formset.errors for formset in response.context["inline_admin_formsets"]
    ]


def _input_names(response):
    return set(re.findall(r'<(?:input|select|textarea)[^>]* name="([^"]+)"', response.text))


def _selected_people(response, name):
    """The people a multiple select shows as chosen, in the order the browser would post them."""
    select = re.search(rf'<select name="{name}".*?</select>', response.text, re.DOTALL)
    return [int(pk) for pk in re.findall(r'<option value="(\d+)" selected>', select.group(0))]


def _programme(seminar):
    talk = seminar.talks.get()
    workshop = seminar.workshops.get()
    return {
        "talk": (talk.title, talk.kind, talk.room, talk.starts_at.astimezone(LONDON).time()),
        "speakers": list(talk.speaker_links.values_list("person__name", "position")),
        "workshop": (workshop.title, workshop.capacity, workshop.starts_at.astimezone(LONDON)),
        "facilitators": list(workshop.facilitator_links.values_list("person__name", "position")),
    }


def test_admin_seminar_add_form_has_programme_inlines_with_times_only(organiser_client):
    response = organiser_client.get(reverse("admin:seminars_seminar_add"))

    assert [formset.formset.prefix for formset in response.context["inline_admin_formsets"]] == [
        "talks",
        "workshops",
        "breaks",
    ]
    names = _input_names(response)
    assert {
        "starts_at_0",
        "starts_at_1",
        "ends_at_0",
        "ends_at_1",
        "talks-TOTAL_FORMS",
        "talks-INITIAL_FORMS",
        "talks-__prefix__-people",
        "talks-__prefix__-starts_at",
        "talks-__prefix__-ends_at",
        "workshops-TOTAL_FORMS",
        "workshops-__prefix__-people",
        "workshops-__prefix__-capacity",
        "workshops-__prefix__-starts_at",
        "breaks-__prefix__-title",
        "breaks-__prefix__-starts_at",
        "breaks-__prefix__-ends_at",
    } <= names
    # The date is the seminar's: typed once, not once more for every row.
    assert {name for name in names if re.match(r"(talks|workshops|breaks)-.*_at_[01]$", name)} == (
        set()
    )


def test_admin_seminar_change_page_lists_its_talks_and_workshops(organiser_client):
    seminar = SeminarFactory()
    TalkFactory(seminar=seminar, title="Opening")
    TalkFactory(
        seminar=seminar, title="Closing", starts_at=seminar.starts_at + dt.timedelta(hours=5)
    )
    WorkshopFactory(seminar=seminar, title="Mapping")
    Break.objects.create(
        seminar=seminar,
        title="Lunch",
        starts_at=seminar.starts_at + dt.timedelta(hours=3),
        ends_at=seminar.starts_at + dt.timedelta(hours=4),
    )
    TalkFactory(title="Elsewhere")

    response = organiser_client.get(reverse("admin:seminars_seminar_change", args=[seminar.pk]))

    assert {
        formset.formset.prefix: [str(form.instance) for form in formset.formset.forms]
        for formset in response.context["inline_admin_formsets"]
    } == {
        "talks": ["Opening", "Closing"],
        "workshops": ["Mapping"],
        "breaks": ["Lunch"],
        "registrant_messages": [],
        "feedback_settings": ["No question of your own"],  # the empty form for one
    }


def test_admin_seminar_change_page_shows_dates_and_speakers_in_programme_order(
    organiser_client,
):
    seminar = SeminarFactory(
        starts_at=dt.datetime(2030, 5, 1, 10, tzinfo=LONDON),
        ends_at=dt.datetime(2030, 5, 1, 16, tzinfo=LONDON),
    )
    ann, bea = PersonFactory(name="Ann"), PersonFactory(name="Bea")
    TalkFactory(seminar=seminar, speakers=[bea, ann])

    response = organiser_client.get(reverse("admin:seminars_seminar_change", args=[seminar.pk]))

    assert re.findall(r'name="starts_at_[01]" value="([^"]+)"', response.text) == [
        "01/05/2030",
        "10:00:00",
    ]
    assert _selected_people(response, "talks-0-people") == [bea.pk, ann.pk]


def test_admin_seminar_add_with_a_talk_and_a_workshop_stores_people_in_order(
    organiser_client,
):
    series = SeriesFactory()
    ann, bea, cal = (PersonFactory(name=name) for name in ["Ann", "Bea", "Cal"])

    response = organiser_client.post(
        reverse("admin:seminars_seminar_add"),
        _seminar_form_data(
            series=series,
            title="Doing research together",
            date="2030-05-01",
            talk=_talk_form_data(people=[bea, ann]),
            workshop=_workshop_form_data(people=[cal, bea]),
        ),
    )

    assert (response.status_code, _form_errors(response)) == (302, None)
    seminar = Seminar.objects.get()
    assert (seminar.title, seminar.starts_at, seminar.ends_at, seminar.capacity) == (
        "Doing research together",
        dt.datetime(2030, 5, 1, 10, tzinfo=LONDON),
        dt.datetime(2030, 5, 1, 16, tzinfo=LONDON),
        40,
    )
    assert _programme(seminar) == {
        "talk": ("Whose knowledge?", "keynote", "Main hall", dt.time(10, 30)),
        "speakers": [("Bea", 0), ("Ann", 1)],
        "workshop": ("Mapping services", 12, dt.datetime(2030, 5, 1, 13, tzinfo=LONDON)),
        "facilitators": [("Cal", 0), ("Bea", 1)],
    }


def _add_seminar(client, *, speakers, facilitators):
    client.post(
        reverse("admin:seminars_seminar_add"),
        _seminar_form_data(
            series=SeriesFactory(),
            title="Doing research together",
            date="2030-05-01",
            talk=_talk_form_data(people=speakers),
            workshop=_workshop_form_data(people=facilitators),
        ),
    )
    return Seminar.objects.get()


def _edit_form_data(seminar, *, title, speakers, facilitators):
    """The change form posted back as the browser would: dates in the format shown, the
    (read-only) list of messages sent to registrants and the (empty) feedback question."""
    inlines = _management_form("registrant_messages", 0) | _management_form("feedback_settings", 0)
    return inlines | _seminar_form_data(
        series=seminar.series,
        title=title,
        date="01/05/2030",
        talk=_talk_form_data(
            people=speakers,
            talk_id=seminar.talks.get().pk,
            seminar_id=seminar.pk,
        ),
        workshop=_workshop_form_data(
            people=facilitators,
            workshop_id=seminar.workshops.get().pk,
            seminar_id=seminar.pk,
        ),
    )


def test_admin_seminar_edit_keeps_the_speaker_order(organiser_client):
    ann, bea, cal = (PersonFactory(name=name) for name in ["Ann", "Bea", "Cal"])
    seminar = _add_seminar(organiser_client, speakers=[bea, ann], facilitators=[cal, bea])
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    shown = organiser_client.get(url)
    people = Person.objects.in_bulk()

    response = organiser_client.post(
        url,
        _edit_form_data(
            seminar,
            title="Doing research together, again",
            speakers=[people[pk] for pk in _selected_people(shown, "talks-0-people")],
            facilitators=[people[pk] for pk in _selected_people(shown, "workshops-0-people")],
        ),
    )

    assert (response.status_code, _form_errors(response)) == (302, None)
    seminar.refresh_from_db()
    assert seminar.title == "Doing research together, again"
    assert _programme(seminar)["speakers"] == [("Bea", 0), ("Ann", 1)]
    assert _programme(seminar)["facilitators"] == [("Cal", 0), ("Bea", 1)]


def test_admin_seminar_edit_stores_a_new_speaker_order(organiser_client):
    ann, bea, cal = (PersonFactory(name=name) for name in ["Ann", "Bea", "Cal"])
    seminar = _add_seminar(organiser_client, speakers=[bea, ann], facilitators=[cal, bea])

    response = organiser_client.post(
        reverse("admin:seminars_seminar_change", args=[seminar.pk]),
        _edit_form_data(
            seminar,
            title="Doing research together",
            speakers=[ann, bea],
            facilitators=[ann, bea, cal],
        ),
    )

    assert (response.status_code, _form_errors(response)) == (302, None)
    assert _programme(seminar)["speakers"] == [("Ann", 0), ("Bea", 1)]
    assert _programme(seminar)["facilitators"] == [("Ann", 0), ("Bea", 1), ("Cal", 2)]


def test_admin_seminar_add_refuses_a_talk_ending_before_it_starts(organiser_client):
    talk = _talk_form_data(people=[])
    talk["ends_at"] = "10:00"

    response = organiser_client.post(
        reverse("admin:seminars_seminar_add"),
        _seminar_form_data(
            series=SeriesFactory(),
            title="Doing research together",
            date="2030-05-01",
            talk=talk,
            workshop=_workshop_form_data(people=[]),
        ),
    )

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors == [
        {"__all__": ["An item must end after it starts."]}
    ]
    assert (Seminar.objects.count(), TalkSpeaker.objects.count()) == (0, 0)
    assert WorkshopFacilitator.objects.count() == 0


# Autocomplete and view on site


@pytest.mark.parametrize(
    ("model_name", "field_name"), [("talk", "speakers"), ("workshop", "facilitators")]
)
def test_admin_people_autocomplete_finds_matching_people(organiser_client, model_name, field_name):
    ann = PersonFactory(name="Ann Example")
    anna = PersonFactory(name="Anna Other")
    PersonFactory(name="Bea Example")

    response = organiser_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "seminars",
            "model_name": model_name,
            "field_name": field_name,
            "term": "ann",
        },
    )

    assert response.json() == {
        "results": [
            {"id": str(ann.pk), "text": "Ann Example"},
            {"id": str(anna.pk), "text": "Anna Other"},
        ],
        "pagination": {"more": False},
    }


def test_admin_seminar_change_page_links_to_the_public_page(organiser_client):
    seminar = SeminarFactory(slug="doing-research-together")
    view_on_site = reverse(
        "admin:view_on_site", args=[ContentType.objects.get_for_model(Seminar).pk, seminar.pk]
    )

    page = organiser_client.get(reverse("admin:seminars_seminar_change", args=[seminar.pk]))
    followed = organiser_client.get(view_on_site)

    assert f'<a href="{view_on_site}" class="viewsitelink">' in page.text
    assert (followed.status_code, followed["Location"]) == (
        302,
        "http://testserver/seminars/doing-research-together/",
    )


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "0203-05-01"])
def test_admin_seminar_add_refuses_a_year_that_can_only_be_a_typo(organiser_client, date):
    data = _seminar_form_data(
        series=SeriesFactory(),
        title="Doing research together",
        date=date,
        talk=_talk_form_data(people=[]),
        workshop=_workshop_form_data(people=[]),
    )
    data.update(_management_form("talks", 0) | _management_form("workshops", 0))

    response = organiser_client.post(reverse("admin:seminars_seminar_add"), data)

    assert response.status_code == 200
    message = "Please check the year: it must be between 1900 and 2200."
    assert response.context["adminform"].form.errors == {
        "starts_at": [message],
        "ends_at": [message],
    }
    assert Seminar.objects.count() == 0
    assert organiser_client.get("/calendar.ics").status_code == 200
