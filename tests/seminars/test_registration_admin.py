"""Organisers look after registrations in the admin: lists, counts, actions and the CSV."""

import csv
import datetime as dt
import io

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from people.models import Role
from seminars import services
from seminars.exports import registrations_csv_write, spreadsheet_safe
from seminars.models import Registration
from tests.factories import RegistrationFactory, SeminarFactory, WorkshopFactory
from tests.html import links, page, text, texts

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:seminars_registration_changelist"
UTC = dt.UTC


def _listed(response):
    return [registration.name for registration in response.context["cl"].result_list]


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _statuses(seminar):
    return dict(seminar.registrations.values_list("name", "status"))


def _register(seminar, *names):
    return [
        services.registration_create(
            seminar=seminar, name=name, email=f"{name.lower()}@example.org"
        )
        for name in names
    ]


def _run_action(client, action, registrations):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [registration.pk for registration in registrations]},
    )


# The registration list


def test_registration_admin_filters_by_seminar_and_status_and_searches_by_email(
    organiser_client,
):
    leeds, york = SeminarFactory(title="Leeds"), SeminarFactory(title="York")
    RegistrationFactory(seminar=leeds, name="Ann", email="ann@example.org")
    RegistrationFactory(
        seminar=leeds, name="Bea", email="bea@mind.org.uk", status=Registration.Status.WAITLISTED
    )
    RegistrationFactory(
        seminar=york, name="Cal", email="cal@example.org", status=Registration.Status.CANCELLED
    )
    url = reverse(CHANGELIST)

    assert [
        _listed(organiser_client.get(url, query))
        for query in [
            {},
            {"seminar__id__exact": leeds.pk},
            {"status__exact": "waitlisted"},
            {"seminar__id__exact": leeds.pk, "status__exact": "confirmed"},
            {"q": "mind.org"},
            {"q": "nobody@"},
        ]
    ] == [["Ann", "Bea", "Cal"], ["Ann", "Bea"], ["Bea"], ["Ann"], ["Bea"], []]


def test_registration_admin_list_shows_the_columns(organiser_client):
    seminar = SeminarFactory(title="Doing research together")
    RegistrationFactory(
        seminar=seminar,
        name="Ann",
        email="ann@example.org",
        attendance=Registration.Attendance.ONLINE,
        role=Role.objects.get(name="Carer"),
        workshop=WorkshopFactory(seminar=seminar, title="Mutuality"),
        created_at=dt.datetime(2030, 6, 1, 9, tzinfo=UTC),
        details_updated_at=dt.datetime(2030, 6, 2, 9, tzinfo=UTC),
    )
    RegistrationFactory(
        seminar=seminar,
        name="Bea",
        email="bea@example.org",
        created_at=dt.datetime(2030, 5, 1, 9, tzinfo=UTC),
    )

    soup = page(organiser_client.get(reverse(CHANGELIST)))
    for break_opportunity in soup.select("wbr"):  # where a long address may wrap
        break_opportunity.decompose()
    soup.smooth()

    cells = "th, td:not(.action-checkbox)"
    assert texts(soup, "#result_list thead th:not(.action-checkbox-column)") == [
        "Name", "Email", "Seminar", "Status", "Workshop", "Date",
    ]  # fmt: skip
    assert [texts(row, cells) for row in soup.select("#result_list tbody tr")] == [
        ["Bea", "bea@example.org", "Doing research together", "Confirmed, in person", "-",
         "1 May 2030"],
        ["Ann", "ann@example.org", "Doing research together", "Confirmed, online", "Mutuality",
         "1 Jun 2030 updated 2 Jun 2030"],
    ]  # fmt: skip


@pytest.mark.parametrize("count", [1, 5])
def test_registration_admin_list_runs_the_same_queries_for_one_or_many(
    organiser_client, django_assert_num_queries, count
):
    seminar = SeminarFactory()
    RegistrationFactory.create_batch(count, seminar=seminar, role=Role.objects.get(name="Carer"))

    with django_assert_num_queries(11):
        response = organiser_client.get(reverse(CHANGELIST))

    assert len(response.context["cl"].result_list) == count


def test_registration_admin_offers_no_add_form(organiser_client):
    response = organiser_client.get(reverse("admin:seminars_registration_add"))

    assert response.status_code == 403


# Counts on the seminar admin


def test_seminar_admin_list_shows_confirmed_waiting_and_capacity(organiser_client):
    full = SeminarFactory(title="Full", capacity=2, days_from_now=10)
    RegistrationFactory.create_batch(2, seminar=full)
    RegistrationFactory(seminar=full, status=Registration.Status.WAITLISTED)
    open_ended = SeminarFactory(title="No limit", days_from_now=20)
    RegistrationFactory.create_batch(3, seminar=open_ended)
    RegistrationFactory(seminar=open_ended, status=Registration.Status.CANCELLED)
    SeminarFactory(title="Nobody yet", capacity=30, days_from_now=30)

    soup = page(organiser_client.get(reverse("admin:seminars_seminar_changelist")))

    assert list(
        zip(
            texts(soup, "#result_list .field-title"),
            texts(soup, "#result_list .field-places"),
            strict=True,
        )
    ) == [
        ("Nobody yet", "0 of 30"),
        ("No limit", "3 (no limit)"),
        ("Full", "2 of 2 · 1 waiting"),
    ]


def test_seminar_admin_list_sorts_by_confirmed_count(organiser_client):
    for title, confirmed in [("Two", 2), ("None", 0), ("Three", 3)]:
        RegistrationFactory.create_batch(confirmed, seminar=SeminarFactory(title=title))
    url = reverse("admin:seminars_seminar_changelist")
    column = organiser_client.get(url).context["cl"].list_display.index("places")

    response = organiser_client.get(url, {"o": str(column)})

    assert [seminar.title for seminar in response.context["cl"].result_list] == [
        "None",
        "Two",
        "Three",
    ]


@pytest.mark.parametrize("count", [1, 5])
def test_seminar_admin_list_runs_the_same_queries_for_one_or_many(
    organiser_client, django_assert_num_queries, count
):
    for seminar in SeminarFactory.create_batch(count, capacity=10):
        RegistrationFactory(seminar=seminar)

    with django_assert_num_queries(11):
        response = organiser_client.get(reverse("admin:seminars_seminar_changelist"))

    assert len(response.context["cl"].result_list) == count


@pytest.mark.parametrize(
    ("capacity", "expected"),
    [(2, "2 confirmed of 2 places, 1 waiting"), (None, "2 confirmed (no limit)")],
)
def test_seminar_admin_change_form_summarises_registrations(organiser_client, capacity, expected):
    seminar = SeminarFactory(capacity=capacity)
    RegistrationFactory.create_batch(2, seminar=seminar)
    RegistrationFactory(seminar=seminar, status=Registration.Status.WAITLISTED)
    RegistrationFactory(seminar=seminar, status=Registration.Status.CANCELLED)
    RegistrationFactory()  # at another seminar

    soup = page(organiser_client.get(reverse("admin:seminars_seminar_change", args=[seminar.pk])))

    assert text(soup, ".field-registration_summary .readonly") == (
        f"{expected}. Not to be photographed: 0. See the registrations"
    )
    assert links(soup, ".field-registration_summary .readonly") == [
        ("See the registrations", f"{reverse(CHANGELIST)}?seminar__id__exact={seminar.pk}")
    ]


def test_seminar_admin_add_form_still_opens_with_the_summary(organiser_client):
    soup = page(organiser_client.get(reverse("admin:seminars_seminar_add")))

    assert text(soup, ".field-registration_summary .readonly") == "None yet."


# Actions


def test_registration_admin_cancel_action_gives_the_place_to_the_first_person_waiting(
    organiser_client, mailoutbox
):
    seminar = SeminarFactory(title="Doing research together", capacity=2)
    ann, _bea, _cal, _dee = _register(seminar, "Ann", "Bea", "Cal", "Dee")
    mailoutbox.clear()

    response = _run_action(organiser_client, "cancel_selected", [ann])

    assert response.status_code == 302
    assert _statuses(seminar) == {
        "Ann": "cancelled",
        "Bea": "confirmed",
        "Cal": "confirmed",
        "Dee": "waitlisted",
    }
    assert [(message.to, message.subject) for message in mailoutbox] == [
        (["ann@example.org"], "Your registration for Doing research together is cancelled"),
        (["cal@example.org"], "A place has come up for you at Doing research together"),
    ]
    assert _messages(response) == [
        "Cancelled 1 registration. 1 person moved up from the waiting list and emailed."
    ]


def test_registration_admin_cancel_action_cancels_waiting_people_before_freeing_places(
    organiser_client, mailoutbox
):
    seminar = SeminarFactory(capacity=1)
    ann, bea, _cal = _register(seminar, "Ann", "Bea", "Cal")
    already = RegistrationFactory(seminar=seminar, name="Eve", status=Registration.Status.CANCELLED)
    mailoutbox.clear()

    response = _run_action(organiser_client, "cancel_selected", [ann, bea, already])

    assert _statuses(seminar) == {
        "Ann": "cancelled",
        "Bea": "cancelled",
        "Cal": "confirmed",
        "Eve": "cancelled",
    }
    assert [message.to for message in mailoutbox] == [
        ["bea@example.org"],
        ["ann@example.org"],
        ["cal@example.org"],
    ]
    assert _messages(response) == [
        "Cancelled 2 registrations. 1 person moved up from the waiting list and emailed."
    ]


def test_registration_admin_confirm_action_confirms_beyond_capacity(organiser_client, mailoutbox):
    seminar = SeminarFactory(title="Doing research together", capacity=1)
    ann, bea, _cal = _register(seminar, "Ann", "Bea", "Cal")
    mailoutbox.clear()

    response = _run_action(organiser_client, "confirm_selected", [ann, bea])

    assert _statuses(seminar) == {"Ann": "confirmed", "Bea": "confirmed", "Cal": "waitlisted"}
    assert [(message.to, message.subject) for message in mailoutbox] == [
        (["bea@example.org"], "A place has come up for you at Doing research together"),
    ]
    assert _messages(response) == ["Confirmed 1 registration."]


def test_registration_admin_confirm_action_skips_someone_registered_again(
    organiser_client, mailoutbox
):
    seminar = SeminarFactory()
    (old,) = _register(seminar, "Ann")
    services.registration_cancel(registration=old)
    services.registration_create(seminar=seminar, name="Ann Again", email="ann@example.org")
    mailoutbox.clear()

    response = _run_action(organiser_client, "confirm_selected", [old])

    assert _statuses(seminar) == {"Ann": "cancelled", "Ann Again": "confirmed"}
    assert mailoutbox == []
    assert _messages(response) == [
        "Confirmed 0 registrations.",
        "Not confirmed, as already registered again: ann@example.org.",
    ]


# The CSV download


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


HEADER = [
    "seminar",
    "name",
    "email",
    "pronouns",
    "organisation",
    "involvement",
    "attendance",
    "companion or personal assistant",
    "workshop",
    "status",
    "access needs",
    "access requirements",
    "access request",
    "dietary requirements",
    "not to be photographed",
    "registered at",
    "details updated at",
    "cancelled at",
]


def test_registration_admin_downloads_selected_as_csv(organiser_client):
    seminar = SeminarFactory(title="Doing research together")
    plain = RegistrationFactory(
        seminar=seminar,
        name="Siân Ó Súilleabháin",
        email="sian@example.org",
        pronouns="hi/fe",
        organisation="Prifysgol Caerdydd",
        role=Role.objects.get(name="Expert by experience"),
        attendance=Registration.Attendance.ONLINE,
        access_requirements="Step-free access, please.",
        dietary_requirements="Vegan; no nuts",
        do_not_photograph=True,
        workshop=WorkshopFactory(seminar=seminar, title="Mutuality and reciprocity"),
        created_at=dt.datetime(2030, 1, 15, 9, 30, tzinfo=UTC),
        details_updated_at=dt.datetime(2030, 1, 20, 12, tzinfo=UTC),
    )
    hostile = RegistrationFactory(
        seminar=seminar,
        name='=HYPERLINK("http://x")',
        email="x@example.org",
        pronouns="=1+1",
        organisation="+44 113",
        role_declined=True,
        access_requirements="@cmd",
        dietary_requirements="-1",
        status=Registration.Status.CANCELLED,
        created_at=dt.datetime(2030, 6, 1, 9, tzinfo=UTC),
        cancelled_at=dt.datetime(2030, 6, 2, 23, 30, tzinfo=UTC),
    )
    RegistrationFactory(seminar=seminar, name="Not selected")

    response = _run_action(organiser_client, "download_csv", [hostile, plain])

    assert (response.status_code, response["Content-Type"], response["Content-Disposition"]) == (
        200,
        "text/csv; charset=utf-8",
        f'attachment; filename="registrations-{timezone.localdate().isoformat()}.csv"',
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert _csv_rows(response) == [
        HEADER,
        [
            "Doing research together",
            "Siân Ó Súilleabháin",
            "sian@example.org",
            "hi/fe",
            "Prifysgol Caerdydd",
            "Expert by experience",
            "Online",
            "",
            "Mutuality and reciprocity",
            "Confirmed",
            "",
            "Step-free access, please.",
            "",
            "Vegan; no nuts",
            "yes",
            "2030-01-15T09:30:00+00:00",
            "2030-01-20T12:00:00+00:00",
            "",
        ],
        [
            "Doing research together",
            '\'=HYPERLINK("http://x")',
            "x@example.org",
            "'=1+1",
            "'+44 113",
            "Prefer not to say",
            "In person",
            "",
            "",
            "Cancelled",
            "",
            "'@cmd",
            "",
            "'-1",
            "",
            "2030-06-01T10:00:00+01:00",
            "",
            "2030-06-03T00:30:00+01:00",
        ],
    ]


def test_registrations_csv_write_lists_seminars_in_the_given_order():
    first = RegistrationFactory(name="Ann", seminar=SeminarFactory(title="First"))
    second = RegistrationFactory(name="Bea", seminar=SeminarFactory(title="Second"))
    stream = io.StringIO()

    registrations_csv_write(registrations=[second, first], stream=stream)

    assert stream.getvalue().startswith("\ufeff")
    assert [row[:2] for row in csv.reader(io.StringIO(stream.getvalue()[1:]))] == [
        ["seminar", "name"],
        ["Second", "Bea"],
        ["First", "Ann"],
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 113 496 0000", "'+44 113 496 0000"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a = b", "a = b"),
        ("0113 496 0000", "0113 496 0000"),
        ("", ""),
        (None, ""),
    ],
)
def test_spreadsheet_safe_quotes_what_a_spreadsheet_would_run(value, expected):
    assert spreadsheet_safe(value) == expected


# The change form


def test_registration_admin_change_form_keeps_token_status_and_seminar(organiser_client):
    seminar = SeminarFactory()
    registration = RegistrationFactory(
        seminar=seminar, name="Ann", email="ann@example.org", status="waitlisted"
    )
    token = registration.token
    url = reverse("admin:seminars_registration_change", args=[registration.pk])
    soup = page(organiser_client.get(url))

    response = organiser_client.post(
        url,
        {
            "name": "Ann Example",
            "email": " Ann@Example.ORG ",
            "pronouns": "she/her",
            "organisation": "Mind",
            "role": "",
            "attendance": "online",
            "access_requirements": "",
            "dietary_requirements": "",
            "token": "chosen-by-the-organiser",
            "status": "confirmed",
            "seminar": SeminarFactory().pk,
            "cancelled_at_0": "01/01/2030",
            "cancelled_at_1": "10:00",
        },
    )

    assert response.status_code == 302
    registration.refresh_from_db()
    assert (
        registration.name,
        registration.email,
        registration.pronouns,
        registration.attendance,
        registration.token,
        registration.status,
        registration.seminar,
        registration.cancelled_at,
    ) == ("Ann Example", "ann@example.org", "she/her", "online", token, "waitlisted", seminar, None)
    manage_url = f"{settings.SITE_URL}/registrations/{token}/"
    assert links(soup, ".field-manage_page") == [(manage_url, manage_url)]
    assert set(organiser_client.get(url).context["adminform"].form.fields) == {
        "name", "email", "pronouns", "organisation", "role", "role_declined", "attendance",
        "workshop", "with_companion", "access_needs", "access_requirements",
        "dietary_requirements", "access_request_status", "access_note", "do_not_photograph",
    }  # fmt: skip


def test_registration_admin_erased_registration_is_view_only(organiser_client):
    registration = RegistrationFactory(name="", email="", purged_at=timezone.now())
    url = reverse("admin:seminars_registration_change", args=[registration.pk])

    shown = page(organiser_client.get(url))
    posted = organiser_client.post(url, {"name": "Someone"})

    assert text(shown, ".field-manage_page .readonly") == (
        "None: the personal details have been erased."
    )
    assert posted.status_code == 403


def test_registration_admin_refuses_deleting_an_active_registration(organiser_client):
    seminar = SeminarFactory(capacity=1)
    active, waiting = _register(seminar, "Ann", "Bo")
    services.registration_cancel(registration=waiting)

    changelist = organiser_client.get(reverse(CHANGELIST))
    refused = organiser_client.post(
        reverse("admin:seminars_registration_delete", args=[active.pk]), {"post": "yes"}
    )
    allowed = organiser_client.post(
        reverse("admin:seminars_registration_delete", args=[waiting.pk]), {"post": "yes"}
    )

    assert "delete_selected" not in dict(changelist.context["action_form"].fields["action"].choices)
    assert refused.status_code == 403
    assert allowed.status_code == 302
    assert list(Registration.objects.values_list("name", flat=True)) == ["Ann"]
