"""Nothing about a person is public before they agree: roles and the directory listing.

An organiser adds people in the admin; their roles are shown, and they are listed, only once
their consent is recorded there (a date and how it was given) or given by the person on
/profile/. Every public surface reads the same two flags, which the database ties to consent.
"""

import datetime as dt
import json

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from people.models import CONSENT_NOTE_PROFILE, Person, Role
from tests.factories import PersonFactory, SeminarFactory, TalkFactory, UserFactory
from tests.html import page, page_with_status, text, texts

pytestmark = pytest.mark.django_db

ROLE = "Expert by experience"
ROLES_REFUSED = (
    "Roles can be shown publicly only once the person has agreed: enter the date and how "
    "they gave consent (for example “by email, 3 March”), or untick this."
)
LISTING_REFUSED = (
    "A person can be listed only once the person has agreed: enter the date and how "
    "they gave consent (for example “by email, 3 March”), or untick this."
)


def _person_form(**overrides):
    return {
        "name": "Nia Newcomer",
        "slug": "nia-newcomer",
        "pronouns": "",
        "affiliation": "",
        "website": "",
        "bio": "",
        "email": "",
        "roles": [Role.objects.get(name=ROLE).pk],
        "roles_consent_at": "",
        "roles_consent_note": "",
        "listing_consent_at": "",
        "listing_consent_note": "",
        **overrides,
    }


def _voices_row(soup, selector, label):
    for row in soup.select(f"{selector} tbody tr"):
        cells = [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
        if cells[0] == label:
            return cells
    raise AssertionError(f"no row {label}")


def test_a_new_person_starts_with_roles_hidden_and_unlisted(organiser_client):
    soup = page(organiser_client.get(reverse("admin:people_person_add")))

    assert (Person().show_roles, Person().is_listed) == (False, False)
    assert soup.select_one("input[name=show_roles]").get("checked") is None
    assert soup.select_one("input[name=is_listed]").get("checked") is None


def test_an_organiser_adding_someone_publishes_nothing_about_them_anywhere(
    organiser_client, client
):
    added = organiser_client.post(reverse("admin:people_person_add"), _person_form())
    person = Person.objects.get(slug="nia-newcomer")
    seminar = SeminarFactory(slug="open", title="An open seminar")
    TalkFactory(seminar=seminar, title="Lived experience", speakers=[person])

    seminar_page = page(client.get("/seminars/open/"))
    ld = [json.loads(s.string) for s in seminar_page.select("script[type='application/ld+json']")]
    search = page(client.get("/search/", {"q": "Nia Newcomer"}))
    feed = client.get("/seminars/feed/").content.decode()

    assert added.status_code == 302
    assert (person.show_roles, person.is_listed) == (False, False)
    assert client.get("/people/nia-newcomer/").status_code == 404
    assert "Nia Newcomer" not in text(page(client.get("/people/")), "main")
    assert _voices_row(seminar_page, "#voices", ROLE)[1] == "0"
    assert _voices_row(seminar_page, "#voices", "Not stated")[1] == "1"
    assert _voices_row(page(client.get("/voices/")), "main", ROLE)[1] == "0"
    assert ROLE not in json.dumps(ld)
    assert "/people/nia-newcomer/" not in json.dumps(ld)
    assert "/people/nia-newcomer/" not in str(search)
    assert ROLE not in feed
    assert "/people/nia-newcomer/" not in feed


def test_admin_refuses_to_show_roles_or_list_without_the_date_and_how(organiser_client):
    refused = page_with_status(
        organiser_client.post(
            reverse("admin:people_person_add"),
            _person_form(
                show_roles="on",
                roles_consent_at="2026-03-03",
                is_listed="on",
                listing_consent_note="by email, 3 March",
            ),
        ),
        200,
    )

    assert texts(refused, ".field-show_roles .errorlist li") == [ROLES_REFUSED]
    assert texts(refused, ".field-is_listed .errorlist li") == [LISTING_REFUSED]
    assert not Person.objects.filter(slug="nia-newcomer").exists()


def test_admin_records_consent_and_then_the_roles_and_page_are_public(organiser_client, client):
    organiser_client.post(
        reverse("admin:people_person_add"),
        _person_form(
            show_roles="on",
            roles_consent_at="2026-03-03",
            roles_consent_note="by email, 3 March",
            is_listed="on",
            listing_consent_at="2026-03-03",
            listing_consent_note="by email, 3 March",
        ),
    )
    person = Person.objects.get(slug="nia-newcomer")
    TalkFactory(seminar=SeminarFactory(slug="open"), speakers=[person])

    assert (person.show_roles, person.roles_consent_at, person.roles_consent_note) == (
        True,
        dt.date(2026, 3, 3),
        "by email, 3 March",
    )
    assert (person.is_listed, person.listing_consent_at, person.listing_consent_note) == (
        True,
        dt.date(2026, 3, 3),
        "by email, 3 March",
    )
    assert ROLE in text(page(client.get("/people/nia-newcomer/")), "main")
    assert _voices_row(page(client.get("/seminars/open/")), "#voices", ROLE)[1] == "1"


@pytest.mark.parametrize(
    "fields",
    [
        {"show_roles": True},
        {"show_roles": True, "roles_consent_at": dt.date(2026, 3, 3)},
        {"is_listed": True, "listing_consent_note": "by email"},
    ],
)
def test_the_database_refuses_a_public_choice_without_consent(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(name="Nia", slug="nia", **fields)


def test_a_person_says_yes_on_their_profile_and_it_is_recorded_then_withdraws(client):
    user = UserFactory(email="nia@example.org")
    person = PersonFactory(
        name="Nia Newcomer", slug="nia-newcomer", user=user, show_roles=False, is_listed=False
    )
    person.roles.set([Role.objects.get(name=ROLE)])
    client.force_login(user)
    form = {"name": "Nia Newcomer", "roles": [Role.objects.get(name=ROLE).pk]}

    profile = page(client.get("/profile/"))
    client.post("/profile/", {**form, "show_roles": "on", "is_listed": "on"})
    agreed = Person.objects.get(pk=person.pk)
    shown = text(page(client.get("/people/nia-newcomer/")), "main")
    client.post("/profile/", {**form, "is_listed": "on"})
    withdrawn = Person.objects.get(pk=person.pk)

    assert profile.select_one("input[name=show_roles]").get("checked") is None
    assert text(profile, "label[for=id_show_roles]") == "Yes, show my roles on the public site"
    assert (agreed.roles_consent_at, agreed.roles_consent_note) == (
        timezone.localdate(),
        CONSENT_NOTE_PROFILE,
    )
    assert (agreed.listing_consent_at, agreed.listing_consent_note) == (
        timezone.localdate(),
        CONSENT_NOTE_PROFILE,
    )
    assert ROLE in shown
    assert (withdrawn.show_roles, withdrawn.roles_consent_at, withdrawn.roles_consent_note) == (
        False,
        None,
        "",
    )
    assert withdrawn.listing_consent_note == CONSENT_NOTE_PROFILE
    assert ROLE not in text(page(client.get("/people/nia-newcomer/")), "main")


def test_a_yes_recorded_by_an_organiser_keeps_its_date_and_note_when_the_person_saves(client):
    user = UserFactory(email="nia@example.org")
    PersonFactory(name="Nia Newcomer", slug="nia-newcomer", user=user)
    client.force_login(user)

    client.post("/profile/", {"name": "Nia N", "show_roles": "on", "is_listed": "on"})

    person = Person.objects.get(slug="nia-newcomer")
    assert (person.name, person.roles_consent_at, person.roles_consent_note) == (
        "Nia N",
        dt.date(2026, 1, 5),
        "by email (test)",
    )
