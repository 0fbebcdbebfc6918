"""Every public page, and every form in its empty, error and success states, in chromium:
zero axe-core violations (WCAG 2.2 A and AA) and zero Nu HTML Checker errors."""

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import get_resolver
from PIL import Image

from people.models import Person
from people.services import person_invite
from seminars.management.commands.load_demo import SPEAKER_PERSON_SLUG, demo_load
from seminars.models import Recap, Registration, Seminar
from seminars.services import registration_create
from tests.browser.checks import PageChecks, vnu_errors
from tests.browser.conftest import queued_links
from tests.factories import SeminarFactory, WorkshopFactory

PASSWORD = "a sturdy passphrase 2026"


@pytest.fixture
def demo_site(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_load()
    full = SeminarFactory(title="A full seminar", capacity=1, waitlist_enabled=False)
    registration_create(seminar=full, name="Early Bird", email="early@example.org")
    return full


def label(page, text):
    """A form field by the start of its label ("New password" names two fields)."""
    return page.get_by_label(re.compile(r"^\s*" + re.escape(text)))


def public_pages(full):
    """Every public page of the demo site, by name: the pages every visitor can reach."""
    upcoming = Seminar.objects.public().upcoming().exclude(pk=full.pk).first()
    past = Seminar.objects.public().past().first()
    recap = Recap.objects.public().first()
    person = Person.objects.filter(is_listed=True).exclude(bio="").first()
    return [
        ("home", "/"),
        ("seminar list", "/seminars/"),
        ("upcoming seminar", upcoming.get_absolute_url()),
        ("past seminar", past.get_absolute_url()),
        ("people", "/people/"),
        ("person", person.get_absolute_url()),
        ("recaps", "/recaps/"),
        ("recap", recap.get_absolute_url()),
        ("themes", "/themes/"),
        ("theme", "/themes/regulation/"),
        ("privacy", "/privacy/"),
        ("voices", "/voices/"),
        ("full seminar", full.get_absolute_url()),
        ("registration refused", full.get_absolute_url() + "register/"),
        ("search: empty", "/search/"),
        ("search: results", "/search/?q=professionalism+co-production"),
        ("search: no results", "/search/?q=nothingmatchesthis"),
        ("search: no words", "/search/?q=%26%7C%21"),
        ("accessibility statement", "/accessibility/"),
        ("glossary", "/glossary/"),
    ]


def test_public_pages_and_forms_pass_axe_and_nu(new_page, demo_site, settings, tmp_path):
    page = new_page(bypass_csp=True)
    checks = PageChecks(page)
    upcoming = Seminar.objects.public().upcoming().exclude(pk=demo_site.pk).first()

    for name, url in public_pages(demo_site):
        page.goto(url)
        checks.check(name)
    page.goto("/no-such-page/")
    checks.check("not found", status=404)
    page.goto("/search/?q=" + "care+" * 50)
    checks.check("search: too long", status=400)

    # Registration: empty, error, success, the private page, cancelling.
    page.goto(upcoming.get_absolute_url() + "register/")
    checks.check("register: empty")
    page.get_by_role("button", name="Register").click()
    checks.check("register: errors", status=400)
    label(page, "Your name").fill("Sam Visitor")
    label(page, "Email address").fill("sam@example.org")
    label(page, "I will bring a companion").check()
    label(page, "Hearing loop").check()
    label(page, "Access requirements").fill("Step-free access")
    page.get_by_label("I do not want to be photographed").check()
    page.get_by_label(re.compile("I agree")).check()
    page.get_by_role("button", name="Register").click()
    checks.check("register: sent")
    [manage_url] = set(queued_links("sam@example.org", "/registrations/"))
    page.goto(manage_url)
    checks.check("registration: manage, access request new")
    Registration.objects.filter(email="sam@example.org").update(access_request_status="arranged")
    page.reload()
    assert page.locator("#access-request-status").inner_text().startswith("Arranged: ")
    checks.check("registration: manage, access request arranged")
    page.get_by_role("link", name="Cancel my registration").click()
    checks.check("registration: cancel")
    page.get_by_role("button", name="Yes, cancel my registration").click()
    checks.check("registration: cancelled")
    page.get_by_role("link", name="Delete my registration and my details now").click()
    checks.check("registration: delete")
    page.get_by_role("button", name="Yes, delete my registration and details").click()
    checks.check("registration: deleted")

    # Logging in and resetting a password.
    page.goto("/accounts/login/")
    checks.check("login: empty")
    page.get_by_role("button", name="Log in").click()
    checks.check("login: errors", status=400)
    page.goto("/accounts/password/reset/")
    checks.check("password reset: empty")
    page.get_by_role("button", name=re.compile("Send")).click()
    checks.check("password reset: errors", status=400)
    label(page, "Email").fill("nobody@example.org")
    page.get_by_role("button", name=re.compile("Send")).click()
    checks.check("password reset: sent")
    page.goto("/accounts/password/reset/MQ/not-a-token/")
    checks.check("password reset: stale link")

    # A speaker: invitation, profile, their talk, password change, logging out.
    speaker = Person.objects.get(slug=SPEAKER_PERSON_SLUG)
    speaker.email = "ada@example.org"
    speaker.save()
    person_invite(person=speaker)
    [invitation_url] = set(queued_links("ada@example.org", "/accounts/invitation/"))
    page.goto(invitation_url)
    checks.check("invitation: empty")
    label(page, "New password").first.fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Set my password")).click()
    checks.check("invitation: errors", status=400)
    label(page, "New password").first.fill(PASSWORD)
    label(page, "New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Set my password")).click()
    checks.check("profile: welcome")
    label(page, "Your name").fill("")
    page.get_by_role("button", name="Save my profile").click()
    checks.check("profile: errors", status=400)
    label(page, "Your name").fill("Ada Example")
    label(page, "About you (optional)").fill("I work on **peer support**.")
    photo = tmp_path / "me.png"
    Image.new("RGB", (1200, 900), (30, 120, 90)).save(photo)
    label(page, "Photo (optional)").set_input_files(photo)
    page.get_by_role("button", name="Preview").click()
    checks.check("profile: preview, with the photo kept")
    page.get_by_role("button", name="Save my profile").click()
    checks.check("profile: saved, with the current photo")
    not_a_photo = tmp_path / "me.heic"
    not_a_photo.write_text("Not a photo at all.")
    label(page, "Photo (optional)").set_input_files(not_a_photo)
    page.get_by_role("button", name="Save my profile").click()
    checks.check("profile: photo refused", status=400)
    page.get_by_label("Please do not photograph me").first.check()
    page.get_by_role("button", name="Save my recording and photography wishes").click()
    checks.check("profile: recording and photography wishes saved")
    page.goto(invitation_url)
    checks.check("invitation: used link")

    page.goto("/profile/")
    page.locator("section[aria-labelledby=items-title] a").first.click()
    checks.check("programme item: empty")
    label(page, "Title").fill("")
    page.get_by_role("button", name=re.compile("Save")).click()
    checks.check("programme item: errors", status=400)
    label(page, "Title").fill("A new title for my talk")
    page.get_by_role("button", name="Preview").click()
    checks.check("programme item: preview")
    page.get_by_role("button", name=re.compile("Save")).click()
    checks.check("programme item: saved")

    page.goto("/accounts/password/change/")
    checks.check("password change: empty")
    page.get_by_role("button", name=re.compile("Change")).click()
    checks.check("password change: errors", status=400)
    label(page, "Old password").fill(PASSWORD)
    label(page, "New password").first.fill(PASSWORD + "!")
    label(page, "New password confirmation").fill(PASSWORD + "!")
    page.get_by_role("button", name=re.compile("Change")).click()
    checks.check("password change: done")
    page.goto("/profile/")
    page.get_by_role("button", name="Log out").click()
    checks.check("logged out")

    # A form posted just as the last place went: refused, with the same page for everyone.
    demo_site.capacity = 2
    demo_site.save()
    page.goto(demo_site.get_absolute_url() + "register/")
    label(page, "Your name").fill("Sam Visitor")
    label(page, "Email address").fill("sam@example.org")
    page.get_by_label(re.compile("I agree")).check()
    demo_site.capacity = 1
    demo_site.save()
    page.get_by_role("button", name="Register").click()
    checks.check("registration refused after posting", status=409)

    # Too many attempts: logins, password resets and searches.
    settings.LOGIN_RATE_LIMIT = 0
    page.goto("/accounts/login/")
    label(page, "Email").fill("ada@example.org")
    page.get_by_role("button", name="Log in").click()
    checks.check("too many attempts", status=429)
    settings.PASSWORD_RESET_EMAIL_RATE_LIMIT = 0
    page.goto("/accounts/password/reset/")
    label(page, "Email").fill("ada@example.org")
    page.get_by_role("button", name=re.compile("Send")).click()
    checks.check("password reset: too many", status=429)
    settings.SEARCH_RATE_LIMIT = 0
    page.goto("/search/?q=care")
    checks.check("search: too many", status=429)

    checks.assert_clean(tmp_path)


def test_registration_choices_and_changes_pass_axe_and_nu(new_page, site, tmp_path):
    """A hybrid seminar with parallel workshops, one of them full: its page, the form with
    the workshop choice, the waiting person's page, and changing details (empty, errors,
    refused, saved)."""
    hybrid = SeminarFactory(
        title="A hybrid seminar",
        capacity=1,
        online_capacity=1,
        online_url="https://meet.example.org/room",
    )
    starts = hybrid.starts_at + dt.timedelta(hours=2)
    full = WorkshopFactory(seminar=hybrid, title="Mutuality", starts_at=starts, capacity=1)
    WorkshopFactory(seminar=hybrid, title="Recovery together", starts_at=starts, capacity=20)
    registration_create(seminar=hybrid, name="In Person", email="room@example.org", workshop=full)
    online = registration_create(
        seminar=hybrid, name="On Line", email="online@example.org", attendance="online"
    )
    waiting = registration_create(
        seminar=hybrid, name="Wai Ting", email="wait@example.org", with_companion=True
    )
    page = new_page(bypass_csp=True)
    checks = PageChecks(page)

    page.goto(hybrid.get_absolute_url())
    checks.check("hybrid seminar: places in each way")
    page.goto(hybrid.get_absolute_url() + "register/")
    checks.check("register: workshop choice")
    page.goto(waiting.get_absolute_url())
    checks.check("registration: manage, waiting with a companion")
    page.goto(online.get_absolute_url())
    page.get_by_role("link", name="Change your details").click()
    checks.check("registration: change")
    # What a client that ignores maxlength would send.
    page.evaluate("document.querySelector('#id_organisation').removeAttribute('maxlength')")
    label(page, "Organisation (optional)").fill("x" * 201)
    page.get_by_role("button", name="Save my details").click()
    checks.check("registration: change errors", status=400)
    label(page, "Organisation (optional)").fill("Leeds Mind")
    page.get_by_label("In person", exact=True).check()
    page.get_by_role("button", name="Save my details").click()
    checks.check("registration: change refused", status=409)
    page.get_by_label("Online", exact=True).check()
    page.get_by_label(re.compile("Recovery together")).check()
    page.get_by_role("button", name="Save my details").click()
    checks.check("registration: changed")

    checks.assert_clean(tmp_path)


def test_error_pages_that_need_no_database_are_valid_html(tmp_path):
    """The 500 and 503 pages cannot be reached by a journey; check their HTML directly."""
    documents = {name: render_to_string(name) for name in ["500.html", "503.html"]}

    assert vnu_errors(documents, tmp_path) == []


@pytest.mark.django_db
def test_bad_request_and_forbidden_pages_are_valid_html(tmp_path):
    """Django answers these itself (with DEBUG on, the 400 as its debug page), so no journey
    reaches them as visitors see them in production: check the HTML their handlers send."""
    request = RequestFactory().get("/")
    documents = {
        f"{status}.html": get_resolver()
        .resolve_error_handler(status)(request, exception=Exception("refused"))
        .content.decode()
        for status in [400, 403]
    }

    assert vnu_errors(documents, tmp_path) == []


def test_an_expired_form_passes_axe_and_nu(new_page, site, tmp_path):
    """A form sent after its cookie went (a browser that cleared it, a page left open for
    days): the site's own page, naming the organisers."""
    seminar = SeminarFactory(title="Sharing power")
    page = new_page(bypass_csp=True)
    checks = PageChecks(page)

    page.goto(seminar.get_absolute_url() + "register/")
    page.context.clear_cookies()
    label(page, "Your name").fill("Sam Visitor")
    label(page, "Email address").fill("sam@example.org")
    page.get_by_label(re.compile("I agree")).check()
    page.get_by_role("button", name="Register").click()
    checks.check("form expired", status=403)

    checks.assert_clean(tmp_path)


def test_subscription_pages_pass_axe_and_nu(new_page, site, tmp_path):
    """Following the series by email: the form, its errors, the confirmation and the
    one-click unsubscribe pages, as a subscriber meets them."""
    page = new_page(bypass_csp=True)
    checks = PageChecks(page)

    page.goto("/")
    checks.check("home: subscribe form")
    page.goto("/seminars/")
    checks.check("seminar list: subscribe form")
    page.goto("/subscribe/")
    checks.check("subscribe: empty")
    page.get_by_role("button", name="Subscribe").click()
    checks.check("subscribe: errors", status=400)
    label(page, "Email address").fill("sam@example.org")
    page.get_by_role("button", name="Subscribe").click()
    checks.check("subscribe: sent")
    [confirm_url] = set(queued_links("sam@example.org", "/confirm/"))
    page.goto(confirm_url)
    checks.check("subscribe: confirm")
    page.get_by_role("button", name=re.compile("Yes, send me emails")).click()
    checks.check("subscribe: confirmed")
    page.goto(confirm_url.replace("/confirm/", "/unsubscribe/"))
    checks.check("unsubscribe: confirm")
    page.get_by_role("button", name="Yes, unsubscribe me").click()
    checks.check("unsubscribe: done")
    page.goto(confirm_url)
    checks.check("subscription: unknown link", status=404)

    checks.assert_clean(tmp_path)


def test_change_notice_pages_pass_axe_and_nu(new_page, site, tmp_path):
    """The admin's "who will be emailed" step (empty and with an error), and the pages that
    show a change: the registrant's private page and the seminar page's programme."""
    from django.contrib.auth.models import Group

    from people.services import ORGANISERS_GROUP
    from tests.factories import TalkFactory, UserFactory

    organiser = UserFactory(email="planner@example.org", is_staff=True, password=PASSWORD)
    organiser.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    seminar = SeminarFactory(title="Sharing power")
    TalkFactory(seminar=seminar, title="Whose knowledge?")
    registration_create(seminar=seminar, name="Sam Visitor", email="sam@example.org")
    page = new_page(bypass_csp=True)
    checks = PageChecks(page)

    page.goto("/admin/")
    label(page, "Email").fill("planner@example.org")
    label(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/seminars/talk/{seminar.talks.get().pk}/change/")
    label(page, "Room").fill("Room 2")
    page.get_by_role("button", name="Save", exact=True).first.click()
    page.goto(f"/admin/seminars/seminar/{seminar.pk}/change/")
    page.get_by_label("Status:").select_option("cancelled")
    page.get_by_role("button", name="Save", exact=True).first.click()
    checks.check("change notice: confirm")
    # The textarea stops typing at the limit; the server still checks a note sent without it.
    label(page, "A note to include").evaluate("note => note.removeAttribute('maxlength')")
    label(page, "A note to include").fill("x" * 1001)
    page.get_by_role("button", name="Save and email 1 person").click()
    checks.check("change notice: errors", status=400)
    label(page, "A note to include").fill("We could not find a room.")
    page.get_by_role("button", name="Save and email 1 person").click()

    [manage_url] = set(queued_links("sam@example.org", "/registrations/"))
    page.goto(manage_url)
    checks.check("registration: seminar changed")
    page.goto(seminar.get_absolute_url())
    checks.check("seminar: cancelled, programme updated")

    checks.assert_clean(tmp_path)


def test_organiser_pages_pass_axe_and_nu(new_page, site, settings, tmp_path):
    """The admin pages organisers use, whole, Django's parts too: the login (empty and with
    an error), the index, the lists, the forms of seminars (new, a draft, one with its
    programme and timeline, one sent back with an error), talks, people, recaps and
    registrations, the seminar's page for organisers with its sign-in sheet and badges; then
    the invitation shown before sending (and with an error), the recap's preview and the
    question before an early publication, and drafts previewed at their public address. An
    autocomplete and a date and time are named by their field's label."""
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from playwright.sync_api import expect

    from people.services import ORGANISERS_GROUP
    from tests.factories import UserFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    demo_load()
    organiser = UserFactory(email="planner@example.org", is_staff=True, password=PASSWORD)
    organiser.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    upcoming = Seminar.objects.get(number=2)
    draft = Seminar.objects.get(status=Seminar.Status.DRAFT)
    registration = registration_create(
        seminar=upcoming, name="Sam Visitor", email="sam@example.org"
    )
    speaker = Person.objects.get(slug=SPEAKER_PERSON_SLUG)
    speaker.email = "ada@example.org"
    speaker.save()
    page = new_page(bypass_csp=True)
    checks = PageChecks(page)

    page.goto("/admin/")
    checks.check("admin: login")
    label(page, "Email").fill("planner@example.org")
    label(page, "Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    checks.check("admin: login, wrong password")
    label(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    checks.check("admin: index")
    for name, url in [
        ("admin: seminars", "/admin/seminars/seminar/"),
        ("admin: registrations", "/admin/seminars/registration/"),
        ("admin: people", "/admin/people/person/"),
        ("admin: recaps", "/admin/seminars/recap/"),
        # A seminar's form: a new venue typed on it (folded once there is one), "Save and
        # publish"; with its programme, the timeline and the voices.
        ("admin: new seminar", "/admin/seminars/seminar/add/"),
        ("admin: draft seminar", f"/admin/seminars/seminar/{draft.pk}/change/"),
        ("admin: seminar with its programme", f"/admin/seminars/seminar/{upcoming.pk}/change/"),
        # A talk's: its seminar a required autocomplete, its speakers a table.
        ("admin: talk", f"/admin/seminars/talk/{upcoming.talks.first().pk}/change/"),
        ("admin: person", f"/admin/people/person/{speaker.pk}/change/"),
        # A recap's, started from its seminar's page for organisers.
        ("admin: new recap", f"/admin/seminars/recap/add/?seminar={upcoming.pk}"),
        ("admin: recap", f"/admin/seminars/recap/{Recap.objects.first().pk}/change/"),
        ("admin: registration", f"/admin/seminars/registration/{registration.pk}/change/"),
        ("admin: seminar page", f"/admin/seminars/seminar/{upcoming.pk}/organisers/"),
        (
            "admin: sign-in sheet",
            f"/admin/seminars/seminar/{upcoming.pk}/organisers/sign-in-sheet/",
        ),
        ("admin: badges", f"/admin/seminars/seminar/{upcoming.pk}/organisers/badges/"),
    ]:
        page.goto(url)
        checks.check(name)

    page.goto(f"/admin/seminars/seminar/{draft.pk}/change/")
    expect(page.get_by_role("combobox", name=re.compile(r"^Venue: "))).to_be_visible()
    starts = page.get_by_role("group", name="Starts at:")
    expect(starts.get_by_role("textbox", name="Date:")).to_have_value(
        f"{timezone.localtime(draft.starts_at):%d/%m/%Y}"
    )
    page.locator("#id_title").fill("")
    page.get_by_role("button", name="Save", exact=True).first.click()
    checks.check("admin: seminar sent back with an error")

    page.goto(f"/admin/people/person/{speaker.pk}/change/")
    page.get_by_role("link", name="Invite to edit their profile").click()
    checks.check("admin: invitation before sending")
    note = label(page, "A note from you (optional)")
    note.evaluate("note => note.removeAttribute('maxlength')")
    note.fill("x" * 301)
    page.get_by_role("button", name="Preview with this note").click()
    checks.check("admin: invitation, note too long", status=400)
    note.fill("Hello Ada, it is Sam from the organising team.")
    page.get_by_role("button", name="Preview with this note").click()
    checks.check("admin: invitation with a note")

    page.goto("/admin/seminars/recap/add/")
    label(page, "Title").fill("What we heard")
    label(page, "Body").fill("## Who decides?\n\nWe talked about **power**.")
    preview = page.get_by_role("button", name="Preview the text (opens in a new tab)")
    preview.evaluate("button => button.removeAttribute('formtarget')")  # here, to check it
    preview.click()
    checks.check("admin: recap preview")
    page.go_back()
    page.locator("#id_seminar").evaluate(
        "(select, pk) => select.add(new Option('seminar', pk, true, true))", str(upcoming.pk)
    )
    label(page, "Status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    checks.check("admin: publish a recap before its seminar?")

    page.goto(draft.get_absolute_url())
    checks.check("draft seminar: organiser's preview")
    recap = Recap.objects.first()
    recap.status = Recap.Status.DRAFT
    recap.save()
    page.goto(recap.get_absolute_url())
    checks.check("draft recap: organiser's preview")

    checks.assert_clean(tmp_path)


def test_check_in_materials_and_certificate_pages_pass_axe_and_nu(
    new_page, site, settings, tmp_path
):
    """Check-in at the door in its states (the list, a search, no match, a tick, a walk-in's
    errors, a full room), a speaker's slides form (empty, errors, with slides), a programme
    with slides, a recording and captions, and a registrant's certificate (the link, and the
    page saying why there is none)."""
    import datetime as dt

    from django.contrib.auth.models import Group
    from fpdf import FPDF

    from people.services import ORGANISERS_GROUP
    from tests.factories import PersonFactory, RegistrationFactory, TalkFactory, UserFactory

    settings.MEDIA_ROOT = tmp_path / "media"
    organiser = UserFactory(email="planner@example.org", is_staff=True, password=PASSWORD)
    organiser.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    seminar = SeminarFactory(title="Sharing power", capacity=3)
    for name in ["Ann Able", "Zoë Ngozi-Ó Briain"]:
        RegistrationFactory(seminar=seminar, name=name, organisation="Leeds Mind")
    page = new_page(bypass_csp=True)
    checks = PageChecks(page)

    page.goto("/admin/")
    label(page, "Email").fill("planner@example.org")
    label(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/seminars/seminar/{seminar.pk}/check-in/")
    checks.check("check-in: list")
    page.get_by_label("Search by name or email").fill("zoë")
    page.get_by_role("button", name="Find").click()
    checks.check("check-in: search")
    page.get_by_role("button", name=re.compile("^Arrived")).click()
    checks.check("check-in: arrived")
    page.get_by_label("Search by name or email").fill("nobody")
    page.get_by_role("button", name="Find").click()
    checks.check("check-in: no match")
    page.get_by_label("Email address (optional)").fill("not an address")
    page.get_by_role("button", name="Add and mark as arrived").click()
    checks.check("check-in: walk-in errors", status=400)
    page.get_by_label("Their name").fill("Door Person")
    page.get_by_label("Email address (optional)").fill("")
    page.get_by_role("button", name="Add and mark as arrived").click()
    checks.check("check-in: walk-in added")
    page.get_by_label("Their name").fill("Another Person")
    page.get_by_role("button", name="Add and mark as arrived").click()
    checks.check("check-in: room full", status=409)

    # A speaker's slides.
    user = UserFactory(email="ada@example.org", password=PASSWORD)
    speaker = PersonFactory(name="Ada Example", user=user)
    talk = TalkFactory(seminar=seminar, title="Whose knowledge?", speakers=[speaker])
    speaker_page = new_page(bypass_csp=True)
    speaker_checks = PageChecks(speaker_page)
    speaker_page.goto("/accounts/login/")
    label(speaker_page, "Email").fill("ada@example.org")
    label(speaker_page, "Password").fill(PASSWORD)
    speaker_page.get_by_role("button", name="Log in").click()
    speaker_page.get_by_role("link", name="Upload slides for “Whose knowledge?”").click()
    speaker_checks.check("slides: empty")
    slides = label(speaker_page, "Slides (PDF, up to 20 MB)")
    slides.set_input_files(
        {"name": "slides.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"}
    )
    speaker_page.get_by_role("button", name="Save").click()
    speaker_checks.check("slides: errors", status=400)
    pdf = FPDF()
    pdf.add_page()
    slides.set_input_files(
        {"name": "slides.pdf", "mimeType": "application/pdf", "buffer": bytes(pdf.output())}
    )
    speaker_page.get_by_label("Publish slides before the seminar").check()
    speaker_page.get_by_role("button", name="Save").click()
    speaker_checks.check("slides: saved")
    speaker_page.get_by_role("link", name=re.compile("Replace or remove the slides")).click()
    speaker_checks.check("slides: current slides")
    talk.recording_url = "https://video.example.org/whose-knowledge"
    talk.transcript_url = "https://video.example.org/whose-knowledge.vtt"
    talk.save()
    speaker_page.goto(seminar.get_absolute_url())
    speaker_checks.check("seminar: programme with materials")

    # A registrant's certificate after the seminar.
    past = SeminarFactory(title="Democratic professionalism", days_from_now=-3)
    past.certificates_enabled = True
    past.save()
    came = RegistrationFactory(seminar=past, attended_at=past.starts_at + dt.timedelta(minutes=5))
    absent = RegistrationFactory(seminar=past)
    speaker_page.goto(came.get_absolute_url())
    speaker_checks.check("registration: certificate link")
    speaker_page.goto(absent.get_absolute_url())
    speaker_checks.check("registration: no certificate")
    speaker_page.goto(absent.get_absolute_url() + "certificate/")
    speaker_checks.check("certificate: none", status=403)

    checks.assert_clean(tmp_path)
    (tmp_path / "speaker").mkdir()
    speaker_checks.assert_clean(tmp_path / "speaker")


def test_payment_pages_pass_axe_and_nu(new_page, site, settings, tmp_path):
    """A contributor's offer and claims in every state: the offer on the profile, answering
    (empty, error, answered, stale), claiming (refused, empty, errors, sent), a queried claim
    and its errors, and a paid one."""
    from decimal import Decimal

    from people.payments import services
    from people.payments.models import InvolvementOffer
    from tests.factories import PersonFactory, UserFactory

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    user = UserFactory(email="bilal@example.org", password=PASSWORD)
    person = PersonFactory(name="Bilal Sample", email="bilal@example.org", user=user)
    offer = InvolvementOffer(
        seminar=SeminarFactory(title="Peer support and power"),
        person=person,
        fee=Decimal("150.00"),
        covers_travel=True,
        covers_care=True,
        how_to_claim="Claim after the seminar, with **your receipts**.",
    )
    services.offer_save(offer=offer, changed_fields=[])
    organiser = UserFactory(email="planner@example.org", is_staff=True)
    page = new_page(bypass_csp=True)
    checks = PageChecks(page)

    page.goto("/accounts/login/")
    label(page, "Email").fill("bilal@example.org")
    label(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/profile/")
    checks.check("profile: payment offers")
    page.get_by_role("link", name=re.compile("Read the offer")).click()
    checks.check("offer: waiting for an answer")
    page.goto(f"/profile/offers/{offer.pk}/claims/new/")
    checks.check("claim: refused before accepting", status=409)
    page.goto(offer.get_absolute_url())
    page.get_by_role("button", name="Send my answer").click()
    checks.check("offer: errors", status=400)
    offer.fee = Decimal("160.00")
    services.offer_save(offer=offer, changed_fields=["fee"])
    page.get_by_label("Yes, I accept", exact=True).check()
    page.get_by_role("button", name="Send my answer").click()
    checks.check("offer: changed meanwhile", status=409)
    page.get_by_label("Yes, I accept", exact=True).check()
    page.get_by_role("button", name="Send my answer").click()
    checks.check("offer: answered")

    page.get_by_role("link", name="Claim expenses").click()
    checks.check("claim: empty")
    page.locator("#id_items-0-amount").fill("-3")
    page.get_by_role("button", name="Send my claim").click()
    checks.check("claim: errors", status=400)
    page.locator("#id_items-0-description").fill("Return train, Leeds to York")
    page.locator("#id_items-0-category").select_option("travel")
    page.locator("#id_items-0-amount").fill("23.40")
    page.locator("#id_items-0-spent_on").fill((dt.date.today() - dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Send my claim").click()
    checks.check("claim: sent")

    claim = offer.claims.get()
    services.claim_query(claim=claim, by=organiser, message="Was it an open return?")
    page.reload()
    checks.check("claim: queried")
    page.locator("#id_items-0-description").fill("")
    page.get_by_role("button", name="Send my changed claim").click()
    checks.check("claim: amend errors", status=400)
    page.locator("#id_items-0-description").fill("Open return train, Leeds to York")
    page.get_by_role("button", name="Send my changed claim").click()
    services.claim_approve(claim=claim, by=organiser)
    services.claim_mark_paid(claim=claim, by=organiser, paid_on=dt.date.today())
    page.reload()
    checks.check("claim: paid")
    page.goto(offer.get_absolute_url())
    checks.check("offer: with a paid claim")

    checks.assert_clean(tmp_path)


def test_feedback_pages_pass_axe_and_nu(new_page, site, tmp_path):
    """Feedback after a seminar: the form (empty, with errors, sent), the page for a second
    try and before the end, the organisers' results, and a speaker's approved comments on
    /profile/. (The comments to moderate are the admin's own list page.)"""
    from django.contrib.auth.models import Group

    from people.models import Role
    from people.services import ORGANISERS_GROUP
    from seminars.feedback.models import FeedbackSettings, TalkComment
    from seminars.feedback.services import feedback_response_create
    from tests.factories import PersonFactory, RegistrationFactory, TalkFactory, UserFactory

    organiser = UserFactory(email="planner@example.org", is_staff=True, password=PASSWORD)
    organiser.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    speaker = PersonFactory(
        name="Ada Example", user=UserFactory(email="ada@example.org", password=PASSWORD)
    )
    seminar = SeminarFactory(title="Sharing power", days_from_now=-1)
    talk = TalkFactory(seminar=seminar, title="Whose knowledge?", speakers=[speaker])
    FeedbackSettings.objects.create(seminar=seminar, question="What should we talk about next?")
    registration = RegistrationFactory(seminar=seminar, role=Role.objects.get(slug="carer"))
    for number, role in enumerate(list(Role.objects.all()[:3]) * 3):
        response = feedback_response_create(
            registration=RegistrationFactory(seminar=seminar, role=role),
            accessible="yes",
            heard=["yes", "partly", "no"][number % 3],
            comment="More breaks, please.",
            talk=talk,
            talk_comment="Clear and kind.",
        )
    TalkComment.objects.filter(response=response).update(status=TalkComment.Status.APPROVED)
    page = new_page(bypass_csp=True)
    checks = PageChecks(page)

    page.goto(registration.get_absolute_url())
    checks.check("registration: after the seminar")
    page.get_by_role("link", name="Give your feedback").click()
    checks.check("feedback: empty")
    page.get_by_role("button", name="Send my feedback").click()
    checks.check("feedback: empty form refused", status=400)
    label(page, "Your comment for its speakers").evaluate("box => box.removeAttribute('maxlength')")
    label(page, "Your comment for its speakers").fill("x" * 2001)
    page.get_by_role("button", name="Send my feedback").click()
    checks.check("feedback: errors", status=400)
    page.get_by_label("Partly").first.check()
    label(page, "What should we talk about next?").fill("Peer support at work")
    page.get_by_label("Which talk?").select_option(label="Whose knowledge? (Ada Example)")
    label(page, "Your comment for its speakers").fill("It made me think again.")
    page.get_by_label("Send anonymously").check()
    page.get_by_role("button", name="Send my feedback").click()
    checks.check("feedback: sent")
    page.goto(registration.get_absolute_url() + "feedback/")
    checks.check("feedback: already sent")
    early = RegistrationFactory(seminar=SeminarFactory(title="Next time", days_from_now=5))
    page.goto(early.get_absolute_url() + "feedback/")
    checks.check("feedback: not yet", status=403)

    page.goto("/admin/")
    label(page, "Email").fill("planner@example.org")
    label(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/admin/seminars/seminar/{seminar.pk}/change/")
    page.get_by_role("link", name="Feedback results").click()
    checks.check("feedback: results")
    page.context.clear_cookies()

    page.goto("/accounts/login/")
    label(page, "Email").fill("ada@example.org")
    label(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/profile/")
    checks.check("profile: feedback on your talks")

    checks.assert_clean(tmp_path)
