"""Following the series by email: subscribe from the home or list page, confirm (double
opt-in), unsubscribe with one click (RFC 8058); organisers see counts, not addresses."""

import csv
import datetime as dt
import hashlib
import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from seminars.subscriptions.models import Subscriber
from tests.html import page, page_with_status, text, texts

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def link(message, path):
    [found] = re.findall(re.escape(SITE) + path + r"\S*", message.body)
    return found.removeprefix(SITE)


def subscribe(client, email="sam@example.org"):
    return client.post("/subscribe/", {"email": email})


def confirmed_subscriber(email="sam@example.org"):
    return Subscriber.objects.create(email=email, confirmed_at=timezone.now())


@pytest.mark.parametrize("url", ["/", "/seminars/"])
def test_subscribe_form_on_the_home_and_list_pages_posts_an_email_to_subscribe(client, url):
    soup = page(client.get(url))

    [form] = soup.select("form[action='/subscribe/']")
    assert text(form, "label") == "Email address"
    assert form.select_one("label")["for"] == "subscribe-email"
    assert [field["name"] for field in form.select("input")] == ["email"]
    assert texts(soup, "#subscribe-title") == ["Get emails about new seminars"]


def test_subscribing_emails_a_confirmation_link_and_stores_an_unconfirmed_address(client):
    response = subscribe(client, " Sam@Example.ORG ")

    assert response.status_code == 302
    assert response["Location"] == "/subscribe/sent/"
    assert text(page(client.get(response["Location"])), "h1") == "Check your email"
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.confirmed_at) == ("sam@example.org", None)
    [message] = mail.outbox
    assert message.to == ["sam@example.org"]
    assert message.subject == "Please confirm: emails about new seminars"
    assert link(message, "/subscriptions/") == f"/subscriptions/{subscriber.token}/confirm/"
    assert "List-Unsubscribe" not in message.extra_headers


def test_confirmation_link_asks_first_then_confirms_on_post(client):
    subscribe(client)
    confirm_url = link(mail.outbox[0], "/subscriptions/")

    soup = page(client.get(confirm_url))
    assert text(soup, "h1") == "Confirm your subscription"
    assert Subscriber.objects.get().confirmed_at is None  # a link scanner confirms nothing

    soup = page(client.post(confirm_url))
    assert text(soup, "h1") == "You are subscribed"
    assert Subscriber.objects.get().confirmed_at is not None
    # Again: nothing changes, and the page says so.
    assert text(page(client.get(confirm_url)), "h1") == "You are subscribed"


def test_confirmation_needs_the_csrf_token_of_its_own_page():
    subscribe(Client())
    confirm_url = link(mail.outbox[0], "/subscriptions/")
    strict = Client(enforce_csrf_checks=True)

    assert strict.post(confirm_url).status_code == 403
    form_page = strict.get(confirm_url)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.content)[1]
    assert strict.post(confirm_url, {"csrfmiddlewaretoken": token.decode()}).status_code == 200
    assert Subscriber.objects.get().confirmed_at is not None


def test_subscribing_an_address_already_subscribed_answers_the_same_as_a_new_one(client):
    confirmed_subscriber("known@example.org")

    new = subscribe(client, "new@example.org")
    known = subscribe(client, "KNOWN@example.org")

    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"])
    [to_known] = sent_to("known@example.org")
    assert to_known.subject == "You already get emails about new seminars"
    assert Subscriber.objects.get(email="known@example.org").confirmed_at is not None
    assert Subscriber.objects.count() == 2


def test_subscribing_again_before_confirming_resends_the_same_link_and_restarts_the_week(client):
    subscribe(client)
    Subscriber.objects.update(created_at=timezone.now() - dt.timedelta(days=6))

    subscribe(client)

    first, second = sent_to("sam@example.org")
    assert link(first, "/subscriptions/") == link(second, "/subscriptions/")
    assert Subscriber.objects.get().created_at > timezone.now() - dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("", "Enter your email address."),
        ("not an address", "Enter an email address like name@example.org."),
        ("a" * 250 + "@example.org", "Ensure this value has at most 254 characters (it has 262)."),
        # İ lower-cases to two characters: the address is too long once stored in lower case.
        ("İ" * 125 + "@example.org", "Ensure this value has at most 254 characters (it has 262)."),
    ],
)
def test_bad_address_shows_the_form_again_with_a_message_and_a_400(client, email, error):
    response = subscribe(client, email)

    soup = page_with_status(response, 400)
    assert texts(soup, ".error-summary li") == [error]
    assert text(soup, "title").startswith("Error: ")
    assert Subscriber.objects.count() == 0
    assert mail.outbox == []


def test_subscribing_is_rate_limited_per_client_like_registration(client, settings):
    settings.REGISTRATION_RATE_LIMIT = 2
    subscribe(client, "one@example.org")
    subscribe(client, "two@example.org")

    response = subscribe(client, "three@example.org")
    elsewhere = client.post("/subscribe/", {"email": "four@example.org"}, REMOTE_ADDR="10.0.0.9")

    assert text(page_with_status(response, 429), "h1") == "Too many attempts"
    assert elsewhere.status_code == 302
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "four@example.org",
        "one@example.org",
        "two@example.org",
    ]


def test_home_form_posts_without_a_csrf_token_so_the_page_stays_shareable():
    """The home page is cached for every visitor: its form has no token, and needs none."""
    strict = Client(enforce_csrf_checks=True)
    soup = page(strict.get("/"))
    assert soup.select("form[action='/subscribe/'] input[name=csrfmiddlewaretoken]") == []

    assert subscribe(strict).status_code == 302
    assert Subscriber.objects.count() == 1


# Unsubscribing


def test_unsubscribe_link_asks_first_then_deletes_the_address(client):
    subscriber = confirmed_subscriber()
    url = subscriber.get_unsubscribe_url()

    soup = page(client.get(url))
    assert text(soup, "h1") == "Stop emails about new seminars?"
    assert Subscriber.objects.count() == 1

    soup = page(client.post(url))
    assert text(soup, "h1") == "You are unsubscribed"
    assert Subscriber.objects.count() == 0


def test_one_click_unsubscribe_post_works_without_cookie_or_csrf_token():
    """RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` to the header's URL."""
    subscriber = confirmed_subscriber()
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(
        subscriber.get_unsubscribe_url(),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert Subscriber.objects.count() == 0


@pytest.mark.parametrize("action", ["confirm", "unsubscribe"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_link_without_a_subscription_says_so_with_a_404(client, action, method):
    subscriber = confirmed_subscriber()
    url = f"/subscriptions/{subscriber.token[::-1]}/{action}/"

    soup = page_with_status(getattr(client, method)(url), 404)

    assert text(soup, "h1") == "This link no longer works"
    assert Subscriber.objects.filter(confirmed_at__isnull=False).count() == 1


def test_subscriber_links_are_private_pages(client):
    subscriber = confirmed_subscriber()
    for url in [subscriber.get_confirm_url(), subscriber.get_unsubscribe_url()]:
        response = client.get(url)
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert response["Referrer-Policy"] == "same-origin"


def test_subscriber_link_is_looked_up_by_its_digest_never_by_the_token(client):
    subscriber = confirmed_subscriber()

    with CaptureQueriesContext(connection) as queries:
        client.get(subscriber.get_unsubscribe_url())

    sql = "\n".join(query["sql"] for query in queries.captured_queries)
    assert subscriber.token not in sql
    assert hashlib.sha256(subscriber.token.encode()).hexdigest() in sql


def test_subscriber_link_answers_404_unless_the_stored_token_matches_exactly(client):
    subscriber = confirmed_subscriber()
    token = subscriber.token
    Subscriber.objects.filter(pk=subscriber.pk).update(
        token=token[:-1] + ("B" if token.endswith("A") else "A")
    )

    assert client.get(f"/subscriptions/{token}/unsubscribe/").status_code == 404


# Organisers: counts, never a list of addresses


@pytest.fixture
def subscribers():
    confirmed_subscriber("first@example.org")
    confirmed_subscriber("second@example.org")
    Subscriber.objects.create(email="pending@example.org")


def test_organisers_see_how_many_subscribe_and_no_address(organiser_client, subscribers):
    response = organiser_client.get("/admin/seminars/subscriber/")

    soup = page(response)
    assert text(soup, "#subscriber-count").startswith("2 confirmed subscribers get an email")
    assert text(soup, "#unconfirmed-count").startswith("1 waiting for confirmation")
    assert "@example.org" not in response.content.decode().replace("organiser@example.org", "")


def test_there_is_no_page_per_subscriber_address(organiser_client, subscribers):
    subscriber = Subscriber.objects.first()

    got = {}
    for url in [
        f"/admin/seminars/subscriber/{subscriber.pk}/change/",
        "/admin/seminars/subscriber/add/",
        "/admin/seminars/subscriber/?q=example",
    ]:
        response = organiser_client.get(url)
        got[url] = response.status_code
        assert subscriber.email not in response.content.decode()

    assert list(got.values()) == [404, 404, 200]


def test_exporting_addresses_is_an_explicit_post_and_is_logged(organiser_client, subscribers):
    from django.contrib.admin.models import LogEntry

    assert organiser_client.get("/admin/seminars/subscriber/export/").status_code == 405

    response = organiser_client.post("/admin/seminars/subscriber/export/")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[0] for row in rows] == ["email", "first@example.org", "second@example.org"]
    assert LogEntry.objects.get().change_message == "Downloaded 2 subscriber addresses."


def test_export_needs_its_own_permission(client, subscribers):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(email="viewer@example.org", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_subscriber"))
    client.force_login(user)

    assert text(page(client.get("/admin/seminars/subscriber/")), "#subscriber-count")
    assert client.post("/admin/seminars/subscriber/export/").status_code == 403


def test_organisers_remove_an_address_on_request(organiser_client, subscribers):
    response = organiser_client.post(
        "/admin/seminars/subscriber/remove/", {"email": " First@Example.org"}, follow=True
    )

    assert texts(page(response), ".messagelist li") == ["That address is removed."]
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "pending@example.org",
        "second@example.org",
    ]


def test_privacy_notice_says_what_a_subscription_keeps_and_for_how_long(client):
    soup = page(client.get("/privacy/"))

    [heading] = soup.select("h2#subscriptions")
    section = " ".join(p.get_text() for p in heading.find_next_siblings("p", limit=2))
    assert "we keep your email address and nothing else" in section
    assert "Our lawful basis is your consent." in section
    assert "we delete the address after 7 days" in section
