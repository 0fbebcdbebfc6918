"""Organisers invite a speaker by email; the speaker sets a password with a one-time link."""

import datetime as dt
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from mailer.models import Message as QueuedMessage

from people.models import Person, User
from people.services import INVITATION_LINK_PLACEHOLDER, invitation_email_render, person_invite
from people.tokens import invitation_token
from seminars.emails import signed
from seminars.models import Series
from tests.factories import (
    PersonFactory,
    SeminarFactory,
    SeriesFactory,
    TalkFactory,
    UserFactory,
)
from tests.html import page, page_with_status, text, texts

pytestmark = pytest.mark.django_db

SERIES_TITLE = "Re-imagining professionalism in mental health: towards co-production"
START = dt.datetime(2030, 3, 14, 10, tzinfo=ZoneInfo("Europe/London"))
END = START + dt.timedelta(hours=6)


@pytest.fixture(autouse=True)
def series(db):
    return SeriesFactory(title=SERIES_TITLE, short_name="Re-imagining professionalism")


CHANGELIST = "admin:people_person_changelist"
PASSWORD = "correct horse battery staple 42"
SUBJECT = "You are invited to edit your speaker profile for Re-imagining professionalism"
INVITATION_PATH = re.compile(r"^/accounts/invitation/[0-9A-Za-z_\-]+/[0-9a-z]+-[0-9a-f]+/$")


def _link_path(message):
    """The path of the one link to this site in an email."""
    [path] = re.findall(rf"{re.escape(settings.SITE_URL)}(/\S*)", message.body)
    return path


def _invite_action(client, *people, note=""):
    """Choose the action for `people`, then send from the page that shows the emails."""
    chosen = {"action": "invite_selected", "_selected_action": [person.pk for person in people]}
    shown = client.post(reverse(CHANGELIST), chosen)
    assert shown.status_code == 200
    return client.post(
        reverse(CHANGELIST), {**chosen, "note": note, "_invite": "send"}, follow=True
    )


def _admin_messages(response):
    return texts(page(response), "ul.messagelist li")


def _login_statuses(client):
    soup = page(client.get(reverse(CHANGELIST)))
    return [
        (text(row, "th.field-name"), text(row, "td.field-login_status"))
        for row in soup.select("#result_list tbody tr")
    ]


def _accept(client, path, password=PASSWORD):
    """Follow an invitation link and set a password; return the final POST response."""
    set_password_url = client.get(path).url
    return client.post(set_password_url, {"new_password1": password, "new_password2": password})


def _token_made(days_ago, user):
    made_at = invitation_token._now() - timedelta(days=days_ago)
    return invitation_token._make_token_with_timestamp(
        user, invitation_token._num_seconds(made_at), invitation_token.secret
    )


def _invitation_path(user, token):
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("people:invitation_accept", kwargs={"uidb64": uidb64, "token": token})


# The list action


def test_invite_action_creates_a_login_and_emails_a_one_time_link(organiser_client):
    person = PersonFactory(name="Ann Example", email="Ann@Example.org")
    before = timezone.now()

    response = _invite_action(organiser_client, person)

    person.refresh_from_db()
    user = User.objects.get(email="ann@example.org")
    assert person.user == user
    assert user.has_usable_password() is False
    assert before <= person.invited_at <= timezone.now()
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["ann@example.org"], SUBJECT)
    ]
    assert INVITATION_PATH.match(_link_path(mail.outbox[0]))
    assert mail.outbox[0].body.splitlines()[0] == "Dear Ann Example,"
    assert _admin_messages(response) == [
        "Invitation sent to Ann Example: a one-time link, valid for 7 days."
    ]


def test_invite_action_warns_about_a_person_without_email_and_creates_nothing(organiser_client):
    person = PersonFactory(name="Bo Example", email="")

    response = _invite_action(organiser_client, person)

    person.refresh_from_db()
    assert (person.user, person.invited_at) == (None, None)
    assert list(User.objects.values_list("email", flat=True)) == ["organiser@example.org"]
    assert mail.outbox == []
    assert _admin_messages(response) == ["Bo Example has no email address to invite."]


def test_invite_action_refuses_an_email_that_is_another_persons_login(organiser_client):
    PersonFactory(name="Cal Example", user=UserFactory(email="shared@example.org"))
    person = PersonFactory(name="Dee Example", email="Shared@example.org")

    response = _invite_action(organiser_client, person)

    person.refresh_from_db()
    assert (person.user, person.invited_at) == (None, None)
    assert mail.outbox == []
    # The admin capitalises the first letter of every message.
    assert _admin_messages(response) == ["Shared@example.org is already the login of someone else."]


def test_invite_action_invites_those_it_can_and_warns_about_the_rest(organiser_client):
    ann = PersonFactory(name="Ann Example", email="ann@example.org")
    bo = PersonFactory(name="Bo Example", email="")
    cal = PersonFactory(name="Cal Example", email="cal@example.org")

    response = _invite_action(organiser_client, ann, bo, cal)

    assert sorted(message.to[0] for message in mail.outbox) == [
        "ann@example.org",
        "cal@example.org",
    ]
    assert _admin_messages(response) == [
        "Bo Example has no email address to invite.",
        "Invitation sent to Ann Example, Cal Example: a one-time link, valid for 7 days.",
    ]


# The change-form link and the page that shows the email before it is sent


def test_invite_link_shows_the_email_and_sending_returns_to_the_change_page(organiser_client):
    person = PersonFactory(name="Ann Example", email="ann@example.org")
    invite_url = reverse("admin:people_person_invite", args=[person.pk])

    shown = page(organiser_client.get(invite_url))
    sent_nothing = (list(mail.outbox), Person.objects.get(pk=person.pk).user)
    response = organiser_client.post(invite_url, {"note": "", "_invite": "send"})

    assert texts(shown, ".invitation-subject") == [SUBJECT]
    assert sent_nothing == ([], None)
    assert response.status_code == 302
    assert response.url == reverse("admin:people_person_change", args=[person.pk])
    assert [message.to for message in mail.outbox] == [["ann@example.org"]]
    assert Person.objects.get(pk=person.pk).user == User.objects.get(email="ann@example.org")


def test_invite_url_sends_nothing_for_staff_who_may_not_change_people(client):
    client.force_login(UserFactory(email="helper@example.org", is_staff=True))
    person = PersonFactory(email="ann@example.org")

    response = client.post(
        reverse("admin:people_person_invite", args=[person.pk]), {"_invite": "send"}
    )

    assert (response.status_code, response.url) == (302, reverse("admin:index"))
    assert mail.outbox == []
    assert Person.objects.get(pk=person.pk).user is None


def test_change_page_shows_the_invite_link_then_invite_again(organiser_client):
    person = PersonFactory(email="ann@example.org")
    change_url = reverse("admin:people_person_change", args=[person.pk])

    before = texts(page(organiser_client.get(change_url)), ".object-tools a.invite-link")
    organiser_client.post(
        reverse("admin:people_person_invite", args=[person.pk]), {"_invite": "send"}
    )
    after = texts(page(organiser_client.get(change_url)), ".object-tools a.invite-link")

    assert (before, after) == (["Invite to edit their profile"], ["Invite again"])


def test_change_page_has_no_invite_link_without_an_email(organiser_client):
    person = PersonFactory(email="")

    soup = page(organiser_client.get(reverse("admin:people_person_change", args=[person.pk])))

    assert texts(soup, ".object-tools a.invite-link") == []


def test_invitation_page_shows_the_exact_email_and_queues_nothing_until_sent(
    organiser_client, mail_queue
):
    person = PersonFactory(name="Ann Example", email="ann@example.org")
    seminar = SeminarFactory(
        series=Series.objects.get(), title="Sharing power", starts_at=START, ends_at=END
    )
    TalkFactory(seminar=seminar, title="Whose knowledge?", speakers=[person])
    chosen = {"action": "invite_selected", "_selected_action": [person.pk]}
    note = "Hello Ann, it's Sam from the organising team: we met in Leeds."

    shown = page(organiser_client.post(reverse(CHANGELIST), chosen))
    previewed = page(
        organiser_client.post(reverse(CHANGELIST), {**chosen, "note": note, "_invite": "preview"})
    )
    queued_before_sending = QueuedMessage.objects.count()
    organiser_client.post(reverse(CHANGELIST), {**chosen, "note": note, "_invite": "send"})

    assert queued_before_sending == 0
    [queued] = [message.email for message in QueuedMessage.objects.all()]
    link = f"{settings.SITE_URL}{_link_path(queued)}"
    assert (queued.to, queued.subject) == (["ann@example.org"], SUBJECT)
    # What the organiser reads is the email, character for character, but the link.
    assert previewed.select_one(".invitation-body").get_text() == queued.body.replace(
        link, INVITATION_LINK_PLACEHOLDER
    )
    assert shown.select_one(".invitation-body").get_text() == signed(
        invitation_email_render(person=person, link=INVITATION_LINK_PLACEHOLDER)[1]
    )
    assert SERIES_TITLE in queued.body
    assert "- Talk: “Whose knowledge?”, at Sharing power (14 March 2030)" in queued.body
    assert f"Their note to you:\n\n    {note}\n" in queued.body
    assert texts(previewed, ".submit-row button.default") == ["Send the invitation"]


def test_invitation_note_must_be_one_line_and_is_shown_as_text(organiser_client):
    person = PersonFactory(name="Ann Example", email="ann@example.org")
    chosen = {"action": "invite_selected", "_selected_action": [person.pk]}

    refused = organiser_client.post(
        reverse(CHANGELIST), {**chosen, "note": "Hello\nAnn", "_invite": "send"}
    )
    previewed = organiser_client.post(
        reverse(CHANGELIST), {**chosen, "note": "<b>Hello</b> Ann", "_invite": "preview"}
    )

    assert texts(page_with_status(refused, 400), ".field-note .errorlist li") == [
        "Enter this on one line: line breaks and control characters cannot be used here."
    ]
    assert mail.outbox == []
    assert "    &lt;b&gt;Hello&lt;/b&gt; Ann\n" in previewed.text
    assert "<b>Hello</b>" not in previewed.text


def test_invitation_page_lists_who_cannot_be_invited(organiser_client):
    ann = PersonFactory(name="Ann Example", email="ann@example.org")
    bo = PersonFactory(name="Bo Example", email="")

    soup = page(
        organiser_client.post(
            reverse(CHANGELIST),
            {"action": "invite_selected", "_selected_action": [ann.pk, bo.pk]},
        )
    )

    assert texts(soup, "#invite-refused li") == ["Bo Example has no email address to invite."]
    assert texts(soup, ".invitation-preview h2") == ["The email to Ann Example"]
    assert texts(soup, ".submit-row button.default") == ["Send the invitation"]
    assert mail.outbox == []


# Accepting


def test_accepting_an_invitation_sets_a_password_and_logs_in(organiser_client):
    person = PersonFactory(name="Ann Example", email="ann@example.org")
    _invite_action(organiser_client, person)
    speaker = Client()
    path = _link_path(mail.outbox[0])

    to_form = speaker.get(path)
    set_password_url = path.rsplit("/", 2)[0] + "/set-password/"
    form_page = page(speaker.get(set_password_url))
    accepted = speaker.post(
        set_password_url, {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    profile = page(speaker.get(reverse("people:profile")))

    assert (to_form.status_code, to_form.url) == (302, set_password_url)
    assert text(form_page, "h1") == "Set your password"
    assert texts(form_page, "main form button[type=submit]") == ["Set my password and continue"]
    assert (accepted.status_code, accepted.url) == (302, "/profile/")
    assert text(profile, "h1") == "Your profile"
    assert texts(profile, "p.notice") == ["Your password is set and you are logged in."]
    user = User.objects.get(email="ann@example.org")
    assert user.has_usable_password() is True
    assert user.check_password(PASSWORD) is True
    assert _login_statuses(organiser_client) == [("Ann Example", "Accepted")]


def test_changelist_shows_each_login_status(organiser_client):
    PersonFactory(name="Ann Example", email="")
    PersonFactory(name="Bo Example", email="bo@example.org")
    invited = PersonFactory(name="Cal Example", email="cal@example.org")
    PersonFactory(name="Dee Example", user=UserFactory(email="dee@example.org"))
    person_invite(person=invited)
    invited_on = Person.objects.get(pk=invited.pk).invited_at.strftime("%d %b %Y")

    assert _login_statuses(organiser_client) == [
        ("Ann Example", "No email"),
        ("Bo Example", "Not invited"),
        ("Cal Example", f"Invited {invited_on}"),
        ("Dee Example", "Has a login"),
    ]


def test_accepting_with_mismatched_passwords_shows_the_error(organiser_client):
    person = PersonFactory(email="ann@example.org")
    _invite_action(organiser_client, person)
    speaker = Client()
    set_password_url = speaker.get(_link_path(mail.outbox[0])).url

    response = speaker.post(
        set_password_url, {"new_password1": PASSWORD, "new_password2": PASSWORD + "!"}
    )

    soup = page_with_status(response, 400)
    assert texts(soup, "#error-summary li") == ["The two password fields didn’t match."]
    assert User.objects.get(email="ann@example.org").has_usable_password() is False


def test_invitation_link_works_only_once(organiser_client):
    person = PersonFactory(email="ann@example.org")
    _invite_action(organiser_client, person)
    path = _link_path(mail.outbox[0])
    speaker = Client()
    _accept(speaker, path)

    soup = page(Client().get(path))

    assert text(soup, "#link-problem") == "This link has expired or has already been used."
    assert soup.select("form input[name=new_password1]") == []


def test_invitation_link_expires_after_a_week():
    user = UserFactory(email="ann@example.org", password=None)
    PersonFactory(email="ann@example.org", user=user)
    old_client, recent_client = Client(), Client()

    old = old_client.get(_invitation_path(user, _token_made(8, user)))
    recent = recent_client.get(_invitation_path(user, _token_made(6, user)))

    assert text(page(old), "#link-problem") == "This link has expired or has already been used."
    assert recent.status_code == 302
    recent_form = page(recent_client.get(recent.url))
    assert (text(recent_form, "h1"), len(recent_form.select("input[name=new_password1]"))) == (
        "Set your password",
        1,
    )


# Re-inviting and the separation from password resets


def test_reinviting_sends_a_fresh_link_that_works(organiser_client):
    person = PersonFactory(name="Ann Example", email="ann@example.org")
    _invite_action(organiser_client, person)
    first_user = Person.objects.get(pk=person.pk).user

    _invite_action(organiser_client, person)
    accepted = _accept(Client(), _link_path(mail.outbox[1]))

    assert [message.to for message in mail.outbox] == [["ann@example.org"]] * 2
    assert Person.objects.get(pk=person.pk).user == first_user
    assert User.objects.filter(email="ann@example.org").count() == 1
    assert (accepted.status_code, accepted.url) == (302, "/profile/")
    # Once a password is set, the earlier link is spent too.
    soup = page(Client().get(_link_path(mail.outbox[0])))
    assert text(soup, "#link-problem") == "This link has expired or has already been used."


def test_invitation_token_is_refused_by_password_reset_and_the_reverse_too():
    user = UserFactory(email="ann@example.org")
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    invitation_on_reset = reverse(
        "people:password_reset_confirm",
        kwargs={"uidb64": uidb64, "token": invitation_token.make_token(user)},
    )
    reset_on_invitation = _invitation_path(user, default_token_generator.make_token(user))

    on_reset = page(Client().get(invitation_on_reset))
    on_invitation = page(Client().get(reset_on_invitation))

    assert text(on_reset, "#link-problem") == "This link has expired or has already been used."
    assert text(on_invitation, "#link-problem") == (
        "This link has expired or has already been used."
    )
