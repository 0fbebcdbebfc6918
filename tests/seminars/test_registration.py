import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from mailer.models import Message

from people.models import Role
from seminars.models import Registration, Seminar
from seminars.services import registration_create
from tests.clients.mail_readers import attached_calendar
from tests.factories import SeminarFactory
from tests.html import page, page_with_status, text, texts

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


@pytest.fixture
def seminar():
    return SeminarFactory(
        title="Sharing power",
        slug="sharing-power",
        capacity=2,
        waitlist_enabled=True,
        registration_opens_at=timezone.now() - dt.timedelta(days=1),
    )


@pytest.fixture
def hybrid(seminar):
    seminar.online_url = "https://meet.example.org/private-room"
    seminar.save()
    return seminar


def register_url(seminar):
    return f"/seminars/{seminar.slug}/register/"


def form_data(**overrides):
    return {
        "name": "Ann Able",
        "email": "Ann.Able@Example.org",
        "pronouns": " she/her ",
        "organisation": "Leeds Mind",
        "role": "",
        "access_requirements": "Step-free access, please.",
        "dietary_requirements": "Vegetarian",
        "consent": "on",
        "homepage": "",
        **overrides,
    }


def registrant(seminar, number, **fields):
    return registration_create(
        seminar=seminar, name=f"Person {number}", email=f"p{number}@example.org", **fields
    )


def test_registration_form_shows_labelled_fields_and_roles_from_the_table(client, seminar):
    Role.objects.filter(slug="carer").update(name="Family carer")

    soup = page(client.get(register_url(seminar)))

    assert text(soup, "h1") == "Register for Sharing power"
    labels = [label.get_text(" ", strip=True) for label in soup.select("main form label")]
    assert labels[:4] == [
        "Your name",
        "Email address",
        "Pronouns (optional)",
        "Organisation (optional)",
    ]
    assert text(soup, "#id_pronouns_helptext") == (
        "For your name badge, for example she/her or they/them."
    )
    assert texts(soup, "#id_role option") == [
        "Choose…",
        "Academic",
        "Expert by experience",
        "Peer support worker",
        "Family carer",
        "Practitioner",
        "Student",
        "Policy maker",
        "Prefer not to say",
    ]
    assert [option["value"] for option in soup.select("#id_role option[selected]")] == [""]
    assert soup.select("input[name=attendance]") == []
    assert soup.select_one("a[href='/privacy/']") is not None
    assert "d-none" in soup.select_one("#id_homepage").find_parent("div", class_="d-none")["class"]


def test_registration_form_asks_attendance_only_for_hybrid_seminars(client, hybrid):
    soup = page(client.get(register_url(hybrid)))

    assert [radio["value"] for radio in soup.select("input[name=attendance]")] == [
        "in_person",
        "online",
    ]


def test_register_happy_path_stores_details_and_queues_confirmation(client, seminar, mail_queue):
    response = client.post(register_url(seminar), form_data())

    assert response.status_code == 302
    assert response["Location"] == "/seminars/sharing-power/register/sent/"
    registration = Registration.objects.get()
    assert (
        registration.seminar,
        registration.name,
        registration.email,
        registration.pronouns,
        registration.organisation,
        registration.access_requirements,
        registration.dietary_requirements,
        registration.attendance,
        registration.status,
    ) == (
        seminar,
        "Ann Able",
        "ann.able@example.org",
        "she/her",
        "Leeds Mind",
        "Step-free access, please.",
        "Vegetarian",
        "in_person",
        "confirmed",
    )
    assert len(registration.token) >= 40
    assert Message.objects.count() == 1

    call_command("send_mail", verbosity=0)

    (email,) = mail.outbox
    assert email.to == ["ann.able@example.org"]
    assert email.subject == "Your place at Sharing power"
    assert f"{SITE}/registrations/{registration.token}/" in email.body
    filename, ics = attached_calendar(email)
    assert filename == "sharing-power.ics"
    assert "BEGIN:VEVENT" in ics
    assert Message.objects.count() == 0

    sent = page(client.get(response["Location"]))
    assert text(sent, "h1") == "Check your email"


def test_register_online_only_seminar_records_online_attendance(client):
    online = SeminarFactory(slug="online", venue=None, online_url="https://meet.example.org/x")

    client.post(register_url(online), form_data())

    assert Registration.objects.get().attendance == "online"


def test_register_again_with_same_email_looks_the_same_and_resends_the_link(client, seminar):
    first = client.post(register_url(seminar), form_data())
    second = client.post(register_url(seminar), form_data(email="ann.able@EXAMPLE.org", name="X"))

    assert (second.status_code, second["Location"]) == (first.status_code, first["Location"])
    registration = Registration.objects.get()
    assert registration.name == "Ann Able"
    assert [message.subject for message in mail.outbox] == [
        "Your place at Sharing power",
        "Your registration for Sharing power",
    ]
    assert f"/registrations/{registration.token}/" in mail.outbox[1].body


def test_full_seminar_puts_people_on_the_waiting_list(client, seminar):
    registrant(seminar, 1)
    registrant(seminar, 2)

    seminar_page = page(client.get("/seminars/sharing-power/"))
    assert text(seminar_page, "#availability") == (
        "This seminar is full. You can join the waiting list."
    )
    assert text(seminar_page, "#register-title ~ p a") == "Join the waiting list"
    response = client.post(register_url(seminar), form_data())

    assert response.status_code == 302
    assert Registration.objects.get(email="ann.able@example.org").status == "waitlisted"
    assert mail.outbox[-1].subject == "You are on the waiting list for Sharing power"
    assert Registration.objects.filter(status="confirmed").count() == 2


def test_full_seminar_without_waiting_list_refuses_clearly(client, seminar):
    seminar.waitlist_enabled = False
    seminar.save()
    registrant(seminar, 1)
    registrant(seminar, 2)

    get_page = page(client.get(register_url(seminar)))
    response = client.post(register_url(seminar), form_data())

    assert text(get_page, "#availability") == "This seminar is full."
    assert get_page.select("main form") == []
    assert response.status_code == 409
    assert "This seminar is full." in response.content.decode()
    assert Registration.objects.count() == 2


def test_cancelling_a_place_promotes_the_first_waiting_and_tells_them(client, seminar):
    leaving = registrant(seminar, 1)
    registrant(seminar, 2)
    first_waiting = registrant(seminar, 3)
    registrant(seminar, 4)
    mail.outbox.clear()

    confirm_page = page(client.get(f"/registrations/{leaving.token}/cancel/"))
    response = client.post(f"/registrations/{leaving.token}/cancel/")

    assert text(confirm_page, "h1") == "Cancel your registration for Sharing power?"
    assert response.status_code == 302
    assert dict(Registration.objects.values_list("email", "status")) == {
        "p1@example.org": "cancelled",
        "p2@example.org": "confirmed",
        "p3@example.org": "confirmed",
        "p4@example.org": "waitlisted",
    }
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["p1@example.org"], "Your registration for Sharing power is cancelled"),
        (["p3@example.org"], "A place has come up for you at Sharing power"),
    ]
    assert f"/registrations/{first_waiting.token}/" in mail.outbox[1].body
    manage = page(client.get(response["Location"]))
    assert text(manage, "#registration-status") == "This registration is cancelled."
    assert text(manage, "p.notice") == "Your registration is cancelled. We have emailed you."


def test_cancelling_twice_changes_nothing_more(client, seminar):
    registration = registrant(seminar, 1)
    client.post(f"/registrations/{registration.token}/cancel/")
    cancelled_at = Registration.objects.get().cancelled_at
    mail.outbox.clear()

    client.post(f"/registrations/{registration.token}/cancel/")

    assert Registration.objects.get().cancelled_at == cancelled_at
    assert mail.outbox == []


def test_cancelled_email_can_register_again(client, seminar):
    registration = registrant(seminar, 1)
    client.post(f"/registrations/{registration.token}/cancel/")

    client.post(register_url(seminar), form_data(email="p1@example.org"))

    assert sorted(Registration.objects.values_list("status", flat=True)) == [
        "cancelled",
        "confirmed",
    ]


@pytest.mark.parametrize(
    ("answer", "stored", "shown", "exported"),
    [
        ("", (None, False), "Not given", ""),
        ("declined", (None, True), "Prefer not to say", "Prefer not to say"),
        ("academic", ("academic", False), "Academic", "Academic"),
    ],
)
def test_skipping_the_involvement_question_is_not_declining_it(
    client, seminar, answer, stored, shown, exported
):
    if answer == "academic":
        answer = Role.objects.get(slug="academic").pk

    response = client.post(register_url(seminar), form_data(role=answer))

    assert response.status_code == 302
    registration = Registration.objects.select_related("role").get()
    assert (registration.role and registration.role.slug, registration.role_declined) == stored
    soup = page(client.get(registration.get_absolute_url()))
    details = dict(zip(texts(soup, "dt"), texts(soup, "dd"), strict=True))
    assert details["Involvement"] == shown
    data = client.get(registration.get_absolute_url() + "data/").json()
    assert data["involvement"] == exported


def test_an_unknown_involvement_is_refused_with_a_message(client, seminar):
    response = client.post(register_url(seminar), form_data(role="nobody"))

    soup = page_with_status(response, 400)
    assert texts(soup, "#error-summary li") == ["Choose one of the answers listed, or none."]
    assert Registration.objects.count() == 0


def test_manage_page_shows_private_details_only_through_the_link(client, hybrid):
    role = Role.objects.get(slug="expert-by-experience")
    registration = registration_create(
        seminar=hybrid,
        name="Ann Able",
        email="ann@example.org",
        role=role,
        access_requirements="A BSL interpreter, please",
        attendance="online",
    )

    response = client.get(f"/registrations/{registration.token}/")
    soup = page(response)

    assert text(soup, "h1") == "Your registration for Sharing power"
    # A warning (GOV.UK's warning text) straight after the heading, named as one to a screen
    # reader, the "!" left out.
    warning = soup.select_one("h1").find_next_sibling()
    assert warning["id"] == "private-link-warning"
    assert warning.select_one(".warning-text-icon")["aria-hidden"] == "true"
    assert text(warning, "strong") == (
        "Warning: This is your private registration page. Do not share its link: anyone with "
        "it can see, change and cancel your registration."
    )
    assert text(soup, "#registration-status") == "You have a place."
    details = dict(zip(texts(soup, "dt"), texts(soup, "dd"), strict=True))
    assert details["Involvement"] == "Expert by experience"
    assert details["Access requirements"] == "A BSL interpreter, please"
    assert details["Attending"] == "Online"
    assert "https://meet.example.org/private-room" in texts(soup, "a")
    assert soup.select_one("a[href='/seminars/sharing-power/calendar.ics']") is not None
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    public = client.get("/seminars/sharing-power/").content.decode()
    assert "private-room" not in public
    assert "BSL interpreter" not in public


def test_online_link_is_not_shown_to_in_person_or_waiting_registrants(client, hybrid):
    hybrid.online_capacity = 1
    hybrid.save()
    in_person = registrant(hybrid, 1, attendance="in_person")
    registrant(hybrid, 2, attendance="online")
    waiting = registrant(hybrid, 3, attendance="online")
    assert waiting.status == "waitlisted"

    for registration in [in_person, waiting]:
        content = client.get(f"/registrations/{registration.token}/").content.decode()
        assert "private-room" not in content


def test_bad_or_stale_token_answers_404(client, seminar):
    assert client.get("/registrations/not-a-real-token/").status_code == 404
    assert client.post("/registrations/not-a-real-token/cancel/").status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"registration_opens_at": timezone.make_aware(dt.datetime(2099, 3, 1, 9, 0))},
            "Registration opens on 1 March 2099, 09:00 (UK time).",
        ),
        (
            {"registration_closes_at": timezone.now() - dt.timedelta(hours=1)},
            "Registration for this seminar has closed.",
        ),
        (
            {"status": Seminar.Status.CANCELLED},
            "This seminar has been cancelled, so you cannot register.",
        ),
        (
            {
                "starts_at": timezone.now() - dt.timedelta(days=3),
                "ends_at": timezone.now() - dt.timedelta(days=3) + dt.timedelta(hours=6),
                "registration_opens_at": None,
            },
            "This seminar has already taken place.",
        ),
    ],
)
def test_register_outside_the_window_explains_and_saves_nothing(client, seminar, change, message):
    Seminar.objects.filter(pk=seminar.pk).update(**change)

    get_page = page(client.get(register_url(seminar)))
    response = client.post(register_url(seminar), form_data())

    assert text(get_page, "#availability") == message
    assert get_page.select("main form") == []
    assert response.status_code == 409
    assert Registration.objects.count() == 0


def test_seminar_page_says_why_registration_is_not_open(client, seminar):
    Seminar.objects.filter(pk=seminar.pk).update(
        registration_opens_at=timezone.make_aware(dt.datetime(2099, 3, 1, 9, 0))
    )

    soup = page(client.get("/seminars/sharing-power/"))

    assert text(soup, "#availability") == "Registration opens on 1 March 2099, 09:00 (UK time)."
    assert soup.select("#register-title ~ p a") == []


def test_seminar_page_counts_places_left(client, seminar):
    registrant(seminar, 1)

    soup = page(client.get("/seminars/sharing-power/"))

    assert text(soup, "#availability") == "Registration is open: 1 place left."
    assert text(soup, "#register-title ~ p a") == "Register for Sharing power"


def test_draft_seminar_registration_answers_404(client):
    draft = SeminarFactory(slug="draft", status=Seminar.Status.DRAFT)

    assert client.get(register_url(draft)).status_code == 404
    assert client.post(register_url(draft), form_data()).status_code == 404


def test_empty_form_gets_clear_messages_and_a_400(client, seminar):
    response = client.post(register_url(seminar), {})
    soup = page_with_status(response, 400)

    assert texts(soup, "#error-summary li") == [
        "Enter your name.",
        "Enter your email address.",
        "Tick the box to agree to how your details are used.",
    ]
    assert [a["href"] for a in soup.select("#error-summary a")] == [
        "#id_name",
        "#id_email",
        "#id_consent",
    ]
    # Each message also sits by its field (GOV.UK): after the label and the hint, before the
    # control, starting with a hidden "Error:", and named by the control's aria-describedby.
    email = soup.select_one("#div_id_email")
    assert [child.get("id") or child.name for child in email.find_all(recursive=False)] == [
        "label",
        "id_email_helptext",
        "id_email_error",
        "id_email",
    ]
    assert text(email, "#id_email_error") == "Error: Enter your email address."
    assert text(email, "#id_email_error .visually-hidden") == "Error:"
    assert email.select_one("#id_email")["aria-describedby"] == "id_email_helptext id_email_error"
    assert soup.select_one("#id_consent")["aria-describedby"] == (
        "id_consent_helptext id_consent_error"
    )
    assert text(soup, "title").startswith("Error: ")
    assert Registration.objects.count() == 0


def test_huge_fields_are_refused_with_a_message(client, seminar):
    response = client.post(
        register_url(seminar),
        form_data(name="N" * 5000, access_requirements="A" * 100_000),
    )

    soup = page_with_status(response, 400)
    assert len(texts(soup, "#error-summary li")) == 2
    assert Registration.objects.count() == 0


def test_honeypot_filled_is_refused_and_saves_nothing(client, seminar):
    response = client.post(register_url(seminar), form_data(homepage="http://spam.example"))

    soup = page_with_status(response, 400)
    assert texts(soup, "#error-summary li") == ["Leave this field empty."]
    assert Registration.objects.count() == 0
    assert mail.outbox == []


def test_registration_post_without_csrf_token_is_refused(seminar):
    client = Client(enforce_csrf_checks=True)

    response = client.post(register_url(seminar), form_data())

    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_registration_posts_are_rate_limited_per_client(client, seminar, settings):
    settings.REGISTRATION_RATE_LIMIT = 2
    for number in range(2):
        client.post(register_url(seminar), form_data(email=f"r{number}@example.org"))

    response = client.post(register_url(seminar), form_data(email="third@example.org"))
    other_client = client.post(
        register_url(seminar), form_data(email="other@example.org"), REMOTE_ADDR="10.0.0.9"
    )

    assert response.status_code == 429
    soup = page_with_status(response, 429)
    assert text(soup, "h1") == "Too many attempts"
    assert other_client.status_code == 302
    assert sorted(Registration.objects.values_list("email", flat=True)) == [
        "other@example.org",
        "r0@example.org",
        "r1@example.org",
    ]


def test_privacy_page_says_who_sees_what_and_when_it_is_deleted(client, settings):
    settings.REGISTRATION_PURGE_DAYS = 90

    soup = page(client.get("/privacy/"))

    assert text(soup, "h1") == "Privacy notice"
    assert text(soup, "#retention") == (
        "How long we keep them: Your details are deleted 90 days after the seminar ends. "
        "After that we keep only a count of how many people came, with no names."
    )


def test_seminar_calendar_file_has_one_event_in_london_time(client, seminar):
    response = client.get("/seminars/sharing-power/calendar.ics")

    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:Sharing power" in body
    assert "DTSTART;TZID=Europe/London:" in body


@pytest.mark.parametrize("count", [1, 10])
def test_registration_form_query_count_is_constant(
    client, seminar, django_assert_num_queries, count
):
    seminar.capacity = 100
    seminar.save()
    for number in range(count):
        registrant(seminar, number)
    # The seminar with its counts, the workshops to choose from, the roles, the access
    # provisions to tick as needs.
    with django_assert_num_queries(4):
        client.get(register_url(seminar))


def test_confirmation_calendar_follows_an_edited_seminar(seminar):
    registrant(seminar, 1)
    seminar.starts_at = timezone.make_aware(dt.datetime(2031, 6, 3, 9, 30))
    seminar.ends_at = timezone.make_aware(dt.datetime(2031, 6, 3, 17, 0))
    seminar.save()

    registrant(seminar, 2)

    first, second = (attached_calendar(message)[1] for message in mail.outbox)
    assert "DTSTART;TZID=Europe/London:20310603T093000" not in first
    assert "DTSTART;TZID=Europe/London:20310603T093000" in second


def test_the_consent_box_is_required_in_words_not_by_a_browser_check(client, seminar):
    soup = page(client.get(register_url(seminar)))

    consent = soup.select_one("#id_consent")
    assert consent.get("required") is None
    assert consent["aria-describedby"] == "id_consent_helptext"
    assert text(soup, "#id_consent_helptext") == "You need to agree to register."
