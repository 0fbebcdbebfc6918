"""Every public form labels its fields GOV.UK style: no asterisk anywhere (a screen reader
reads it as "star"), "(optional)" at the end of each optional field's label, nothing added
to a required one. A tick box is optional by nature and says so in its own words."""

import pytest
from django import forms
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from seminars.services import registration_create
from tests.factories import (
    PersonFactory,
    RegistrationFactory,
    SeminarFactory,
    TalkFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.html import page

pytestmark = pytest.mark.django_db

PASSWORD = "a sturdy passphrase 2026"


@pytest.fixture
def speaker(client):
    user = UserFactory(email="sam@example.org", password=PASSWORD)
    person = PersonFactory(name="Sam Speaker", user=user, email=user.email)
    return person


@pytest.fixture
def hybrid_with_workshops():
    seminar = SeminarFactory(
        title="Sharing power", capacity=20, online_capacity=20, online_url="https://meet.example"
    )
    starts = seminar.starts_at
    WorkshopFactory(seminar=seminar, title="Mutuality", starts_at=starts, capacity=10)
    WorkshopFactory(seminar=seminar, title="Recovery together", starts_at=starts, capacity=10)
    return seminar


def public_forms(client, seminar, speaker):
    """(what, response) for every page with a form that a visitor or a speaker fills in."""
    registration = registration_create(seminar=seminar, name="Ann Able", email="ann@example.org")
    user = speaker.user
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    talk = TalkFactory(seminar=seminar, speakers=[speaker])
    came = RegistrationFactory(seminar=SeminarFactory(days_from_now=-1))
    pages = [
        ("register", client.get(f"/seminars/{seminar.slug}/register/")),
        ("feedback", client.get(came.get_absolute_url() + "feedback/")),
        ("change details", client.get(registration.get_absolute_url() + "change/")),
        ("cancel", client.get(registration.get_absolute_url() + "cancel/")),
        ("subscribe", client.get("/subscribe/")),
        ("search", client.get("/search/")),
        ("login", client.get("/accounts/login/")),
        ("password reset", client.get("/accounts/password/reset/")),
        (
            "password reset: new password",
            client.get(f"/accounts/password/reset/{uid}/{token}/", follow=True),
        ),
    ]
    client.force_login(user)
    pages += [
        ("profile", client.get("/profile/")),
        ("talk", client.get(f"/profile/talks/{talk.pk}/")),
        ("password change", client.get("/accounts/password/change/")),
    ]
    return pages


def labels_of(soup, form):
    """{field name: the words a screen reader names it by} for a Django form on the page."""
    found = {}
    for name in form.fields:
        if name == "homepage":  # the honeypot, hidden from people
            continue
        control = soup.select_one(f"main [name={name}]")
        assert control is not None, name
        if control.get("type") in {"radio", "checkbox"} and control.find_parent("fieldset"):
            found[name] = control.find_parent("fieldset").legend.get_text(" ", strip=True)
        else:
            label = soup.select_one(f"label[for={control['id']}]")
            found[name] = label.get_text(" ", strip=True)
    return found


def test_every_public_form_marks_optional_fields_in_words_and_nothing_with_an_asterisk(
    client, hybrid_with_workshops, speaker
):
    checked = set()
    for what, response in public_forms(client, hybrid_with_workshops, speaker):
        assert response.status_code == 200, what
        soup = page(response)
        main = soup.select_one("main")
        words = [element.get_text() for element in main.select("label, legend")]
        assert [text for text in words if "*" in text] == [], what
        assert main.select(".asteriskField, .requiredField") == [], what
        assert "asterisk" not in main.get_text(), what
        form = response.context.get("form")
        if form is None:  # the search page and the cancel page have no Django form
            continue
        for name, label in labels_of(soup, form).items():
            field = form.fields[name]
            tick_box = isinstance(field.widget, forms.CheckboxInput)
            expected_optional = not field.required and not tick_box
            assert label.endswith("(optional)") == expected_optional, (what, name, label)
            checked.add(what)

    assert checked == {
        "register",
        "feedback",
        "change details",
        "subscribe",
        "login",
        "password reset",
        "password reset: new password",
        "profile",
        "talk",
        "password change",
    }


def test_no_public_form_takes_the_focus_on_arrival(client, hybrid_with_workshops, speaker):
    for what, response in public_forms(client, hybrid_with_workshops, speaker):
        assert page(response).select("[autofocus]") == [], what


def test_email_fields_are_not_spellchecked(client, hybrid_with_workshops, speaker):
    emails = {}
    for what, response in public_forms(client, hybrid_with_workshops, speaker):
        for field in page(response).select("main input[type=email]"):
            emails[(what, field["name"])] = field.get("spellcheck")

    assert emails == {
        ("register", "email"): "false",
        ("subscribe", "email"): "false",
        ("login", "username"): "false",
        ("password reset", "email"): "false",
    }
