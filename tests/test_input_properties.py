"""Arbitrary input at every public form: a clear 4xx or a success, never a 500, never half-saved.

Property-based (hypothesis, profile in tests/conftest.py). The examples of one test share its
database transaction, so each example runs inside a savepoint that is rolled back at its end:
every example starts from the same data.
"""

import contextlib
import datetime as dt
import unicodedata
import zoneinfo

import pytest
from django import forms
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st
from mailer.models import Message

from people.models import Person, Role
from seminars.models import SEMINAR_YEARS, Registration, Seminar
from tests.factories import (
    PersonFactory,
    RegistrationFactory,
    SeminarFactory,
    SeriesFactory,
    UserFactory,
)
from tests.html import texts

LONDON = zoneinfo.ZoneInfo("Europe/London")
PASSWORD = "a-long-test-password"

# Text that has broken web forms before: direction marks, combining characters, emoji with
# modifiers and joiners, zero-width characters, a byte-order mark, NUL and other controls,
# characters whose lower case is longer, markup and template syntax.
ODD_PIECES = [
    "\u200f",
    "\u202e",
    "e\u0301",
    "\u0301",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\x00",
    "\x07",
    "\x1b",
    "\x1f",
    "\x7f",
    "\r\n",
    "\t",
    "😀",
    "👩🏽‍🔬",
    "İ",
    "ß",
    "K",
    "\ufffd",
    "\uffff",
    "مرحبا",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "<script>alert(1)</script>",
    "{{ request }}",
    "{% debug %}",
    "%s%n",
    "' OR 1=1 --",
    " ",
]
odd_text = st.lists(
    st.one_of(st.sampled_from(ODD_PIECES), st.text(max_size=12)), min_size=1, max_size=12
).map("".join)
huge_text = st.builds(
    lambda piece, count: piece * count,
    st.sampled_from(["a", "é", "😀", " ", "\u200b", "x\n", "İ"]),
    st.sampled_from([51, 101, 201, 255, 501, 1001, 2001, 5001, 10_001, 100_000]),
)
any_text = st.one_of(st.text(), odd_text, huge_text)

# Local parts Django's email validator accepts, including the few non-ASCII letters its
# case-insensitive pattern lets through (İ lower-cases to two characters).
local_part = st.text(alphabet="abcXYZ019.+_-İıſK", min_size=1, max_size=70)
crafted_email = st.builds(
    lambda local, domain: f"{local}@{domain}",
    local_part,
    st.sampled_from(["example.org", "EXAMPLE.ORG", "exämple.org", "例え.jp", "x.co"]),
)
long_email = st.builds(
    lambda letter, domain: letter * (254 - len(domain) - 1) + "@" + domain,
    st.sampled_from(["a", "A", "İ", "K"]),
    st.sampled_from(["example.org", "x.co"]),
)
any_email = st.one_of(st.emails(), crafted_email, long_email, any_text)


def _canonical(email):
    """One address, however spelt: NFKC, then casefold (the rule of people.email_identity)."""
    return unicodedata.normalize("NFKC", email).casefold().strip()


@contextlib.contextmanager
def rolled_back():
    """Run one example in a savepoint and undo everything it stored."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _error_summary(response):
    return texts(_soup(response), ".error-summary li")


def _soup(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content, "html.parser")


def _row(instance):
    """Every stored column of a row (many-to-many as sorted ids), to compare before and after."""
    instance.refresh_from_db()
    row = model_to_dict(instance, exclude=["photo"])
    for field in instance._meta.many_to_many:
        row[field.name] = sorted(related.pk for related in row[field.name])
    if hasattr(instance, "photo"):
        row["photo"] = instance.photo.name
    return row


def _within_max_lengths(instance):
    """No stored value longer than its column allows (PostgreSQL would refuse it)."""
    return {
        field.name: len(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.max_length and isinstance(getattr(instance, field.attname), str)
        if len(getattr(instance, field.attname)) > field.max_length
    }


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Registration


def _role_value(choice, roles):
    """Resolve the strategy's role choice: a seeded role, or anything else as posted."""
    kind, value = choice
    return str(roles[value % len(roles)].pk) if kind == "seeded" else value


registration_role = st.one_of(
    st.tuples(st.just("seeded"), st.integers(0, 6)),
    st.tuples(st.just("raw"), st.one_of(st.just(""), st.integers().map(str), any_text)),
)
registration_data = st.fixed_dictionaries(
    {
        "name": st.one_of(st.sampled_from(["Ann Example", "  Bea  "]), any_text),
        "email": any_email,
        "pronouns": any_text,
        "organisation": any_text,
        "access_requirements": any_text,
        "dietary_requirements": any_text,
        "attendance": st.one_of(st.sampled_from(["in_person", "online"]), any_text),
        "consent": st.sampled_from(["on", "on", "on", "", "false"]),
        "homepage": st.one_of(st.just(""), st.just(""), st.just(""), any_text),
        "role": registration_role,
    }
)

REGISTRATION_STATUSES = {302, 400, 409}


@pytest.fixture
def hybrid_seminar(db, settings, mail_queue):
    settings.REGISTRATION_RATE_LIMIT = 1_000_000
    seminar = SeminarFactory(capacity=3, online_url="https://meet.example.org/x")
    existing = RegistrationFactory(seminar=seminar, email="first@example.org", name="First")
    return seminar, existing


@given(
    submissions=st.lists(registration_data, min_size=1, max_size=4),
    waitlist=st.booleans(),
)
@example(
    submissions=[
        {
            "name": "Ann",
            "email": "İ" * 242 + "@example.org",
            "pronouns": "",
            "organisation": "",
            "access_requirements": "",
            "dietary_requirements": "",
            "attendance": "online",
            "consent": "on",
            "homepage": "",
            "role": ("raw", ""),
        }
    ],
    waitlist=True,
)
def test_registration_answers_4xx_or_stores_exactly_what_was_cleaned(
    client, hybrid_seminar, submissions, waitlist
):
    seminar, existing = hybrid_seminar
    roles = list(Role.objects.order_by("pk"))
    url = reverse("seminars:registration_create", kwargs={"slug": seminar.slug})
    sent_url = reverse("seminars:registration_sent", kwargs={"slug": seminar.slug})
    with rolled_back():
        Seminar.objects.filter(pk=seminar.pk).update(waitlist_enabled=waitlist)
        before_existing = _row(existing)
        expected_status = {}  # email -> the status its first registration must have
        for submission in submissions:
            data = {**submission, "role": _role_value(submission["role"], roles)}
            count_before = Registration.objects.count()
            # A hybrid seminar: `capacity` is the room's; online places have no limit.
            confirmed_before = Registration.objects.filter(
                status="confirmed", attendance="in_person"
            ).count()

            response = client.post(url, data)

            assert response.status_code in REGISTRATION_STATUSES
            if response.status_code == 302:
                assert response["Location"] == sent_url
                email = _canonical(data["email"])
                stored = Registration.objects.exclude(status="cancelled").get(email=email)
                if email in expected_status or email == existing.email:
                    # Registering again changes nothing: the first registration stands.
                    assert Registration.objects.count() == count_before
                    continue
                assert Registration.objects.count() == count_before + 1
                has_place = data["attendance"] == "online" or confirmed_before < seminar.capacity
                expected_status[email] = "confirmed" if has_place else "waitlisted"
                assert {
                    "name": stored.name,
                    "email": stored.email,
                    "pronouns": stored.pronouns,
                    "organisation": stored.organisation,
                    "access_requirements": stored.access_requirements,
                    "dietary_requirements": stored.dietary_requirements,
                    "attendance": stored.attendance,
                    "role": stored.role_id,
                    "status": stored.status,
                } == {
                    "name": data["name"].strip(),
                    "email": email,
                    "pronouns": data["pronouns"].strip(),
                    "organisation": data["organisation"].strip(),
                    "access_requirements": data["access_requirements"].strip(),
                    "dietary_requirements": data["dietary_requirements"].strip(),
                    "attendance": data["attendance"],
                    "role": _as_int(data["role"]) if str(data["role"]).strip() else None,
                    "status": expected_status[email],
                }
                assert _within_max_lengths(stored) == {}
            else:
                assert Registration.objects.count() == count_before
                if response.status_code == 400:
                    assert _error_summary(response) != []
                else:  # 409: full, without a waiting list
                    assert (waitlist, confirmed_before) == (False, seminar.capacity)
                    assert texts(_soup(response), "h1") == ["You cannot register for this seminar"]
        assert _row(existing) == before_existing
        confirmed = Registration.objects.filter(status="confirmed", attendance="in_person")
        assert confirmed.count() <= seminar.capacity
        assert Registration.objects.filter(status="waitlisted").count() == (
            list(expected_status.values()).count("waitlisted")
        )


# Login


def _fullwidth(text):
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def _case_variants(email):
    """Spellings of one address: case, spaces, the long s, fullwidth letters."""
    local, domain = email.split("@")
    return st.sampled_from(
        [
            email,
            email.upper(),
            email.title(),
            f"  {email} ",
            email.swapcase(),
            email.replace("s", "ſ"),
            f"{_fullwidth(local)}@{domain}",
        ]
    )


@pytest.fixture
def speaker_user(db, settings):
    settings.LOGIN_RATE_LIMIT = settings.LOGIN_ADDRESS_RATE_LIMIT = 1_000_000
    settings.LOGIN_EMAIL_RATE_LIMIT = 1_000_000
    return UserFactory(email="sam@example.org")


@given(
    username=st.one_of(_case_variants("sam@example.org"), any_email),
    password=st.one_of(st.just(PASSWORD), st.just(PASSWORD + " "), any_text),
)
def test_login_logs_in_only_with_the_real_credentials(speaker_user, username, password):
    password_hash = speaker_user.password
    real = _canonical(username) == speaker_user.email and password == PASSWORD
    with rolled_back():
        client = Client()

        response = client.post(
            reverse("people:login"), {"username": username, "password": password}
        )

        if real:
            assert response.status_code == 302
            assert client.session["_auth_user_id"] == str(speaker_user.pk)
        else:
            assert response.status_code == 400
            assert "_auth_user_id" not in client.session
            assert _error_summary(response) != []
    speaker_user.refresh_from_db()
    assert speaker_user.password == password_hash


# Password reset


@pytest.fixture
def reset_users(db, settings, mail_queue):
    settings.LOGIN_RATE_LIMIT = settings.PASSWORD_RESET_EMAIL_RATE_LIMIT = 1_000_000
    active = UserFactory(email="sam@example.org")
    UserFactory(email="gone@example.org", is_active=False)
    return active


@given(
    email=st.one_of(
        _case_variants("sam@example.org"), _case_variants("gone@example.org"), any_email
    )
)
def test_password_reset_queues_mail_only_for_an_active_user(reset_users, email):
    with rolled_back():
        response = Client().post(reverse("people:password_reset"), {"email": email})

        assert response.status_code in {302, 400}
        queued = [address for message in Message.objects.all() for address in message.to_addresses]
        if response.status_code == 302:
            assert response["Location"] == reverse("people:password_reset_done")
            wanted = _canonical(email) == reset_users.email
            assert queued == ([reset_users.email] if wanted else [])
        else:
            assert _error_summary(response) != []
            assert queued == []


# Subscribing to new-seminar emails


@pytest.fixture
def subscribed(db, settings, mail_queue):
    from seminars.subscriptions.models import Subscriber

    settings.REGISTRATION_RATE_LIMIT = 1_000_000
    return Subscriber.objects.create(email="sam@example.org", confirmed_at=timezone.now())


@given(email=st.one_of(_case_variants("sam@example.org"), any_email))
def test_subscribing_queues_one_email_or_shows_a_message_never_a_500(subscribed, email):
    from seminars.subscriptions.models import Subscriber

    with rolled_back():
        response = Client().post(reverse("seminars:subscribe"), {"email": email})

        assert response.status_code in {302, 400}
        queued = [address for message in Message.objects.all() for address in message.to_addresses]
        addresses = sorted(Subscriber.objects.values_list("email", flat=True))
        if response.status_code == 302:
            canonical = _canonical(email)
            assert queued == [canonical]
            assert addresses == sorted({"sam@example.org", canonical})
        else:
            assert _error_summary(response) != []
            assert (queued, addresses) == ([], ["sam@example.org"])


# Profile


@pytest.fixture
def speaker(db, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(email="sam@example.org")
    person = PersonFactory(
        name="Sam Speaker",
        slug="sam-speaker",
        user=user,
        email=user.email,
        bio="I work on **peer support**.",
        website="https://sam.example.org",
        roles=[Role.objects.order_by("pk").first()],
    )
    client.force_login(user)
    return person


seeded_role = st.tuples(st.just("seeded"), st.integers(0, 6))
VALID_PROFILE = {
    "name": "Sam Q. Speaker",
    "pronouns": "they/them",
    "affiliation": "Leeds Mind",
    "bio": "A **bold** [link](https://example.org).",
    "website": "https://example.org/me",
    "roles": [("seeded", 1)],
    "show_roles": "on",
    "is_listed": "on",
    "photo": None,
}
PROFILE_FIELDS = {
    "name": any_text,
    "pronouns": any_text,
    "affiliation": any_text,
    "bio": any_text,
    "website": st.one_of(
        st.sampled_from(["", "example.org/ünï", "http://[::1", "javascript:alert(1)"]),
        st.just("https://" + "a" * 250 + ".org"),
        any_text,
    ),
    "roles": st.lists(
        st.one_of(
            seeded_role, st.tuples(st.just("raw"), st.one_of(st.integers().map(str), any_text))
        ),
        max_size=3,
    ),
    "show_roles": st.sampled_from(["on", "", "off", "0"]),
    "is_listed": st.sampled_from(["on", "", "false"]),
    "photo": st.tuples(st.sampled_from(["me.jpg", "me.png", "me.svg", "me"]), st.binary()),
}
# A valid profile with one or two fields replaced by anything: most examples then test one
# field's limits, and enough of them are saved to check what is stored.
profile_data = st.lists(
    st.one_of(
        *[
            strategy.map(lambda value, key=key: {key: value})
            for key, strategy in PROFILE_FIELDS.items()
        ]
    ),
    min_size=1,
    max_size=2,
).map(lambda overrides: VALID_PROFILE | {k: v for change in overrides for k, v in change.items()})


def _profile_post(person_data, roles):
    data = {key: value for key, value in person_data.items() if key not in {"roles", "photo"}}
    data["roles"] = [_role_value(choice, roles) for choice in person_data["roles"]]
    if person_data["photo"] is not None:
        name, content = person_data["photo"]
        data["photo"] = SimpleUploadedFile(name, content)
    return data


@given(submitted=profile_data)
def test_profile_saves_the_cleaned_input_or_answers_400_with_nothing_changed(
    client, speaker, submitted
):
    roles = list(Role.objects.order_by("pk"))
    with rolled_back():
        before = _row(speaker)
        data = _profile_post(submitted, roles)

        preview = client.post(reverse("people:profile"), {**data, "preview": "1"})

        assert preview.status_code == 200
        assert _row(speaker) == before

        data = _profile_post(submitted, roles)  # a file is read once per request
        response = client.post(reverse("people:profile"), data)

        assert response.status_code in {302, 400}
        if response.status_code == 302:
            assert response["Location"] == reverse("people:profile")
            website = Person._meta.get_field("website").formfield().clean(data["website"])
            # As the checkbox reads them: only "false" and "" are no ("0" is a yes).
            show_roles = forms.CheckboxInput().value_from_datadict(data, {}, "show_roles")
            is_listed = forms.CheckboxInput().value_from_datadict(data, {}, "is_listed")
            # A yes keeps the consent already on record; a no withdraws it.
            consent = {
                key: before[key] if shown else empty
                for shown, fields in [(show_roles, "roles"), (is_listed, "listing")]
                for key, empty in [(f"{fields}_consent_at", None), (f"{fields}_consent_note", "")]
            }
            assert _row(speaker) == before | consent | {
                "name": data["name"].strip(),
                "pronouns": data["pronouns"].strip(),
                "affiliation": data["affiliation"].strip(),
                "bio": data["bio"].strip(),
                "website": website,
                "roles": sorted(role.pk for role in roles if str(role.pk) in data["roles"]),
                "show_roles": show_roles,
                "is_listed": is_listed,
            }
            assert _within_max_lengths(speaker) == {}
            assert submitted["photo"] is None  # arbitrary bytes are never a photo
        else:
            assert _error_summary(response) != []
            assert _row(speaker) == before


# Bad dates in the organisers' seminar form (no public form has a date)


def _management_form(prefix):
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _moments(first, last):
    return st.datetimes(
        min_value=dt.datetime(first, 1, 2), max_value=dt.datetime(last, 12, 30)
    ).map(lambda moment: moment.replace(second=0, microsecond=0))


real_moment = st.one_of(_moments(2000, 2040), _moments(2000, 2040), _moments(1, 9999))


def _as_posted(moment, date_format):
    """A moment as the admin's date and time boxes take it; None if London never had it."""
    date = (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        if date_format == "iso"
        else f"{moment.day:02d}/{moment.month:02d}/{moment.year:04d}"
    )
    imaginary = timezone._datetime_ambiguous_or_imaginary(moment, LONDON)
    return (date, f"{moment.hour:02d}:{moment.minute:02d}", None if imaginary else moment)


# (date, time, the moment they mean, or None for nonsense)
good_date_time = st.builds(_as_posted, real_moment, st.sampled_from(["iso", "uk"]))
bad_date = st.one_of(
    st.sampled_from(
        [
            "2030-02-31",
            "2031-02-29",
            "31/02/2030",
            "2030-13-01",
            "2030-00-10",
            "0000-01-01",
            "10000-01-01",
            "99999-01-01",
            "-2030-01-01",
            "2030-1-1-1",
            "",
            " ",
            "today",
            "01/05/2030\x00",
        ]
    ),
    st.text(max_size=30),
)
bad_time = st.one_of(
    st.sampled_from(["24:00", "25:61", "10:60", "23:59:60", "", "noon", "-1:00", "10:00\x00"]),
    st.text(max_size=12),
)
bad_date_time = st.builds(lambda date, time: (date, time, None), bad_date, bad_time)
date_time = st.one_of(good_date_time, good_date_time, bad_date_time)


@given(starts=date_time, ends=date_time, opens=st.one_of(st.just(("", "", None)), date_time))
@example(
    starts=("9999-12-31", "10:00", None),
    ends=("9999-12-31", "23:00", None),
    opens=("", "", None),
)
@example(
    starts=("0001-01-01", "00:00", None),
    ends=("0001-01-01", "10:00", None),
    opens=("", "", None),
)
def test_admin_seminar_add_saves_only_a_seminar_that_ends_after_it_starts(
    organiser_client, starts, ends, opens
):
    series = SeriesFactory()
    with rolled_back():
        count = Seminar.objects.count()

        response = organiser_client.post(
            reverse("admin:seminars_seminar_add"),
            {
                "series": series.pk,
                "number": "1",
                "title": "Doing research together",
                "slug": "doing-research-together",
                "status": "published",
                "starts_at_0": starts[0],
                "starts_at_1": starts[1],
                "ends_at_0": ends[0],
                "ends_at_1": ends[1],
                "venue": "",
                "online_url": "",
                "summary": "",
                "description": "",
                "capacity": "40",
                "waitlist_enabled": "on",
                "waitlist_cutoff_hours": "24",
                "registration_opens_at_0": opens[0],
                "registration_opens_at_1": opens[1],
                "registration_closes_at_0": "",
                "registration_closes_at_1": "",
                **_management_form("talks"),
                **_management_form("workshops"),
                **_management_form("breaks"),
            },
        )

        assert response.status_code in {200, 302}
        saved = list(Seminar.objects.all())
        if response.status_code == 302:
            assert len(saved) == count + 1
            seminar = saved[0]
            assert seminar.ends_at > seminar.starts_at
            for when, stored in [(starts, seminar.starts_at), (ends, seminar.ends_at)]:
                if when[2] is not None:
                    assert stored == when[2].replace(tzinfo=LONDON)
            # The saved seminar's pages must not fall over at the edges of the calendar.
            public = [
                seminar.get_absolute_url(),
                reverse("seminars:home"),
                reverse("seminars:calendar_feed"),
                reverse("seminars:seminar_feed"),
            ]
            assert [Client().get(url).status_code for url in public] == [200] * len(public)
            change = reverse("admin:seminars_seminar_change", args=[seminar.pk])
            assert organiser_client.get(change).status_code == 200
        else:
            assert len(saved) == count
            assert response.context["adminform"].form.errors or response.context["errors"]
        if None not in (starts[2], ends[2]) and (opens[2] is not None or opens[:2] == ("", "")):
            moments = [starts[2], ends[2]] + ([opens[2]] if opens[2] else [])
            plausible = all(moment.year in SEMINAR_YEARS for moment in moments)
            expected = 302 if plausible and ends[2] > starts[2] else 200
            assert response.status_code == expected
