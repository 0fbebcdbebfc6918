"""Who may see what: every URL for each kind of visitor, and private data never on a public
page. The kinds: an anonymous visitor, a registrant holding their private link, a speaker
(logged in, with a profile), an organiser (staff in the Organisers group) and a superuser."""

import hashlib
import re
import string
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from people.services import ORGANISERS_GROUP
from seminars.models import Recap, Registration, Seminar
from seminars.services import registration_create
from seminars.subscriptions.models import Subscriber
from tests.factories import (
    PersonFactory,
    RecapFactory,
    RoleFactory,
    SeminarFactory,
    TalkFactory,
    ThemeFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.people.payments.factories import (
    InvolvementOfferFactory,
    claim_make,
    image_bytes,
    item,
    upload,
)

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "registrant", "speaker", "organiser", "superuser"]

# What each registrant, seminar and person keeps private: none of it may reach a public page.
PRIVATE = {
    "online link": "https://meet.example.org/private-room-7f3a",
    "registrant name": "Quentin Registrant",
    "registrant email": "quentin.registrant@example.org",
    "organisation": "Registrant Organisation Ltd",
    "access needs": "Needs a BSL interpreter and step-free seating",
    "dietary needs": "Coeliac and nut allergy",
    "subscriber email": "subscriber.only@example.org",
    "speaker email": "ada.speaker@example.org",
    "unlisted person": "Una Unlisted",
    "hidden role": "Hidden Role Name",
    "draft seminar": "A draft seminar nobody may see",
    "draft recap": "A draft recap nobody may see",
    "draft theme": "A theme only drafts carry",
    "expense item": "Personal assistant for the whole day",
}


@pytest.fixture
def site(mail_queue, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    hidden_role = RoleFactory(name=PRIVATE["hidden role"])
    seminar = SeminarFactory(
        slug="open", title="Open seminar", online_url=PRIVATE["online link"], capacity=10
    )
    speaker = PersonFactory(
        slug="ada",
        name="Ada Speaker",
        email=PRIVATE["speaker email"],
        show_roles=False,
        roles=[hidden_role],
    )
    speaker.user = UserFactory(email="ada@example.org")
    speaker.save()
    unlisted = PersonFactory(name=PRIVATE["unlisted person"], slug="una", is_listed=False)
    talk = TalkFactory(seminar=seminar, speakers=[speaker, unlisted])
    other_talk = TalkFactory(seminar=seminar, speakers=[PersonFactory()])
    WorkshopFactory(seminar=seminar, facilitators=[speaker])
    draft = SeminarFactory(
        slug="draft",
        title=PRIVATE["draft seminar"],
        status="draft",
        themes=[ThemeFactory(slug="secret", name=PRIVATE["draft theme"])],
    )
    seminar.themes.add(ThemeFactory(slug="shared", name="A shared theme"))
    RecapFactory(slug="recap", seminar=seminar, authors=[speaker])
    RecapFactory(slug="draft-recap", title=PRIVATE["draft recap"], status=Recap.Status.DRAFT)
    registration = registration_create(
        seminar=seminar,
        name=PRIVATE["registrant name"],
        email=PRIVATE["registrant email"],
        organisation=PRIVATE["organisation"],
        access_requirements=PRIVATE["access needs"],
        dietary_requirements=PRIVATE["dietary needs"],
        attendance=Registration.Attendance.ONLINE,
    )
    subscriber = Subscriber.objects.create(
        email=PRIVATE["subscriber email"], confirmed_at=timezone.now()
    )
    organiser = UserFactory(email="org@example.org", is_staff=True)
    organiser.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    superuser = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    offer = InvolvementOfferFactory(seminar=seminar, person=speaker, accepted=True)
    claim = claim_make(
        offer,
        items=[item(category="care", description=PRIVATE["expense item"])],
        receipt=upload(image_bytes()),
    )
    return {
        "offer": offer.pk,
        "claim": claim.pk,
        "token": registration.token,
        "subscriber_token": subscriber.token,
        "registration": registration.pk,
        "talk": talk.pk,
        "other_talk": other_talk.pk,
        "draft": draft.pk,
        "users": {"speaker": speaker.user, "organiser": organiser, "superuser": superuser},
    }


def client_for(actor, site):
    client = Client()
    if actor in site["users"]:
        client.force_login(site["users"][actor])
    return client


# One row a URL: what each kind of visitor gets, in the order of ACTORS. "→login" is a
# redirect to the speakers' login, "→admin" to the admin's login, "→profile" to /profile/.
# `{token}` is the registrant's private link for the registrant and a wrong one for others.
OK, GONE = 200, 404
EVERYONE = (OK,) * 5
MATRIX = {
    "/": EVERYONE,
    "/seminars/": EVERYONE,
    "/seminars/open/": EVERYONE,
    "/seminars/open/register/": EVERYONE,
    "/seminars/open/register/sent/": EVERYONE,
    "/seminars/open/calendar.ics": EVERYONE,
    "/seminars/feed/": EVERYONE,
    "/calendar.ics": EVERYONE,
    "/people/": EVERYONE,
    "/people/ada/": EVERYONE,
    "/recaps/": EVERYONE,
    "/recaps/recap/": EVERYONE,
    "/recaps/feed/": EVERYONE,
    "/privacy/": EVERYONE,
    "/accessibility/": EVERYONE,
    "/glossary/": EVERYONE,
    "/sitemap.xml": EVERYONE,
    "/robots.txt": EVERYONE,
    "/healthz": EVERYONE,
    "/search/": EVERYONE,
    "/voices/": EVERYONE,
    "/themes/": EVERYONE,
    "/themes/shared/": EVERYONE,
    "/themes/secret/": (GONE,) * 5,
    "/search/?q=seminar": EVERYONE,
    # Drafts and unlisted people are not public, whoever asks: organisers use the admin.
    # Organisers preview drafts at their public address (marked, never cached).
    "/seminars/draft/": (GONE, GONE, GONE, OK, OK),
    "/seminars/draft/register/": (GONE,) * 5,
    "/seminars/draft/calendar.ics": (GONE,) * 5,
    "/recaps/draft-recap/": (GONE, GONE, GONE, OK, OK),
    "/people/una/": (GONE,) * 5,
    # The private link is the registrant's key; without it there is nothing to find.
    "/registrations/{token}/": (GONE, OK, GONE, GONE, GONE),
    "/registrations/{token}/cancel/": (GONE, OK, GONE, GONE, GONE),
    "/registrations/{token}/change/": (GONE, OK, GONE, GONE, GONE),
    "/registrations/{token}/data/": (GONE, OK, GONE, GONE, GONE),
    "/registrations/{token}/delete/": (GONE, OK, GONE, GONE, GONE),
    # A certificate only after the seminar, for someone who came: before, a page says why.
    "/registrations/{token}/certificate/": (GONE, 403, GONE, GONE, GONE),
    # Feedback opens once the seminar has ended; this one has not.
    "/registrations/{token}/feedback/": (GONE, 403, GONE, GONE, GONE),
    # Following the series: anyone may subscribe; a subscriber's link is their key.
    "/subscribe/": EVERYONE,
    "/subscribe/sent/": EVERYONE,
    "/subscriptions/{subscriber_token}/confirm/": (GONE, OK, GONE, GONE, GONE),
    "/subscriptions/{subscriber_token}/unsubscribe/": (GONE, OK, GONE, GONE, GONE),
    "/accounts/login/": (OK, OK, "→profile", "→profile", "→profile"),
    "/accounts/password/reset/": EVERYONE,
    "/accounts/password/change/": ("→login", "→login", OK, OK, OK),
    "/accounts/logout/": (405,) * 5,
    # Logins without a speaker profile get a page that explains it, not someone else's.
    "/profile/": ("→login", "→login", OK, OK, OK),
    # The recording and photography form lives on /profile/; a GET goes back there.
    "/profile/recording/": ("→login", "→login", "→profile", "→profile", "→profile"),
    "/profile/talks/{talk}/": ("→login", "→login", OK, GONE, GONE),
    "/profile/talks/{other_talk}/": ("→login", "→login", GONE, GONE, GONE),
    "/profile/talks/{talk}/slides/": ("→login", "→login", OK, GONE, GONE),
    "/profile/talks/{other_talk}/slides/": ("→login", "→login", GONE, GONE, GONE),
    # Payments: only the contributor's own; receipts also to organisers allowed to see claims.
    "/profile/offers/{offer}/": ("→login", "→login", OK, GONE, GONE),
    "/profile/offers/{offer}/claims/new/": ("→login", "→login", OK, GONE, GONE),
    "/profile/claims/{claim}/": ("→login", "→login", OK, GONE, GONE),
    "/profile/claims/{claim}/receipt/": ("→login", "→login", OK, OK, OK),
    "/admin/people/involvementoffer/": ("→admin", "→admin", "→admin", OK, OK),
    "/admin/people/expenseclaim/{claim}/change/": ("→admin", "→admin", "→admin", OK, OK),
    "/admin/": ("→admin", "→admin", "→admin", OK, OK),
    "/admin/seminars/seminar/{draft}/change/": ("→admin", "→admin", "→admin", OK, OK),
    "/admin/seminars/registration/": ("→admin", "→admin", "→admin", OK, OK),
    "/admin/seminars/registration/{registration}/change/": (
        "→admin",
        "→admin",
        "→admin",
        OK,
        OK,
    ),
    "/admin/people/person/": ("→admin", "→admin", "→admin", OK, OK),
    "/admin/seminars/seminar/{draft}/email/": ("→admin", "→admin", "→admin", OK, OK),
    "/admin/seminars/seminar/{draft}/feedback/": ("→admin", "→admin", "→admin", OK, OK),
    "/admin/seminars/talkcomment/": ("→admin", "→admin", "→admin", OK, OK),
    # Subscribers: a count for organisers; addresses leave only by the export's POST.
    "/admin/seminars/subscriber/": ("→admin", "→admin", "→admin", OK, OK),
    "/admin/seminars/subscriber/export/": ("→admin", "→admin", "→admin", 405, 405),
    "/admin/seminars/subscriber/remove/": ("→admin", "→admin", "→admin", 405, 405),
    # Logins and permissions stay with superusers.
    "/admin/people/user/": ("→admin", "→admin", "→admin", 403, OK),
    "/admin/auth/group/": ("→admin", "→admin", "→admin", 403, OK),
    "/admin/mailer/message/": ("→admin", "→admin", "→admin", 403, OK),
}


def outcome(response):
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    for prefix, name in [
        ("/accounts/login/", "→login"),
        ("/admin/login/", "→admin"),
        ("/profile/", "→profile"),
    ]:
        if location.startswith(prefix):
            return name
    return f"→{location}"


def test_every_url_pattern_is_in_the_matrix():
    """A new URL must say who may see it."""
    from django.urls import get_resolver

    def patterns(resolver, prefix=""):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if hasattr(entry, "url_patterns"):
                if not route.startswith("admin/"):
                    yield from patterns(entry, route)
            elif "media/" not in route:  # uploaded photos, served by Django only locally
                yield route

    routes = set(patterns(get_resolver()))
    named = {re.sub(r"<[^>]+>", "<>", route) for route in routes}
    slugs = r"\{[^}]+\}|(?<=/)(open|draft-recap|draft|recap|ada|una|shared|secret)(?=/)"
    covered = {re.sub(slugs, "<>", url)[1:] for url in MATRIX}
    # Pages reached only through a link in an email or after a form: tested with their forms.
    elsewhere = {
        "accounts/password/reset/sent/",
        "accounts/password/reset/<>/<>/",
        "accounts/password/reset/done/",
        "accounts/password/change/done/",
        "accounts/invitation/<>/<>/",
        "profile/workshops/<>/",
        "profile/workshops/<>/slides/",
        "registrations/<>/feedback/sent/",
        "admin/",
    }
    assert sorted(named - covered - elsewhere) == []


@pytest.mark.parametrize("actor", ACTORS)
def test_each_kind_of_visitor_gets_what_it_should(site, actor):
    tokens = {name: site[name] for name in ["token", "subscriber_token"]}
    if actor != "registrant":  # everyone else holds a wrong link
        tokens = {name: token[::-1] for name, token in tokens.items()}
    client = client_for(actor, site)

    got = {url: outcome(client.get(url.format(**{**site, **tokens}))) for url in MATRIX}

    column = ACTORS.index(actor)
    assert got == {url: row[column] for url, row in MATRIX.items()}


PUBLIC_URLS = [url for url, row in MATRIX.items() if row == EVERYONE and "{" not in url]


@pytest.mark.parametrize("actor", ["anonymous", "speaker"])
def test_private_data_never_appears_on_a_public_page(site, actor):
    client = client_for(actor, site)
    leaks = []
    for url in [*PUBLIC_URLS, "/profile/", "/seminars/?page=1"]:
        body = client.get(url).content.decode()
        leaks += [(url, what) for what, value in PRIVATE.items() if value in body]
        leaks += [(url, "token") for value in [site["token"]] if value in body]

    # An unlisted person is named (unlinked) on the programmes they took part in; role names
    # are the organisers' public vocabulary, offered on the registration form; a speaker's
    # own profile editor shows the roles they may choose to show.
    programmes = ["/seminars/open/", "/seminars/open/calendar.ics", "/calendar.ics", "/people/ada/"]
    # The balance of voices lists every role, the hidden one with nobody under it; the
    # glossary explains every role, naming nobody.
    voices = ["/seminars/open/", "/voices/"]
    allowed = {(url, "unlisted person") for url in programmes} | {
        ("/seminars/open/register/", "hidden role"),
        ("/profile/", "hidden role"),
        ("/glossary/", "hidden role"),
        *((url, "hidden role") for url in voices),
    }
    for url in voices:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        rows = {
            row.th.get_text(strip=True): row.td.get_text(strip=True)
            for row in soup.select("table.voices-table tbody tr")
        }
        assert (rows[PRIVATE["hidden role"]], rows["Not stated"]) == ("0", "3")
    assert sorted(set(leaks) - allowed) == []


@pytest.mark.parametrize("actor", ["anonymous", "organiser"])
def test_searching_for_private_data_finds_nothing(site, actor):
    client = client_for(actor, site)
    found = {}
    for what, value in PRIVATE.items():
        soup = BeautifulSoup(client.get(f"/search/?q={quote(value)}").content, "html.parser")
        found[what] = [hit.get_text(" ", strip=True) for hit in soup.select(".search-results li")]

    assert found == dict.fromkeys(PRIVATE, [])
    # The same search finds what is public: the check above looks in the right place.
    control = BeautifulSoup(client.get("/search/?q=Open+seminar").content, "html.parser")
    assert [hit.a.get_text() for hit in control.select(".search-results li")][:1] == [
        "Open seminar"
    ]


def test_the_registrant_sees_their_own_details_and_online_link(site):
    body = Client().get(f"/registrations/{site['token']}/").content.decode()

    shown = [what for what, value in PRIVATE.items() if value in body]
    assert shown == [
        "online link",
        "registrant name",
        "registrant email",
        "organisation",
        "access needs",
        "dietary needs",
    ]


# Private links: unguessable, and compared in constant time.


def test_private_link_tokens_carry_256_random_bits(mail_queue):
    seminar = SeminarFactory()
    tokens = [
        registration_create(seminar=seminar, name="N", email=f"n{i}@example.org").token
        for i in range(50)
    ]

    alphabet = set(string.ascii_letters + string.digits + "-_")
    assert len(set(tokens)) == 50
    assert {len(token) for token in tokens} == {43}  # 32 bytes, base64url without padding
    assert set("".join(tokens)) <= alphabet


def test_private_link_is_looked_up_by_its_digest_never_by_the_token(site):
    token = site["token"]

    with CaptureQueriesContext(connection) as queries:
        response = Client().get(f"/registrations/{token}/")

    sql = "\n".join(query["sql"] for query in queries.captured_queries)
    assert response.status_code == 200
    assert token not in sql
    assert hashlib.sha256(token.encode()).hexdigest() in sql


def test_private_link_answers_404_unless_the_stored_token_matches_exactly(site):
    """The digest finds the row; the token itself is then compared in constant time."""
    token = site["token"]
    assert Client().get(f"/registrations/{token}/").status_code == 200
    Registration.objects.filter(pk=site["registration"]).update(
        token=token[:-1] + ("B" if token.endswith("A") else "A")
    )

    response = Client().get(f"/registrations/{token}/")

    assert response.status_code == 404
    assert PRIVATE["registrant name"] not in response.content.decode()


def test_draft_seminars_never_reach_a_calendar_feed_or_sitemap(site):
    bodies = [
        Client().get(url).content.decode()
        for url in ["/calendar.ics", "/seminars/feed/", "/sitemap.xml"]
    ]

    assert Seminar.objects.get(pk=site["draft"]).title not in "".join(bodies)
