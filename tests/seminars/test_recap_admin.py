"""Recaps in the admin: a preview of the Markdown before saving (no JavaScript needed), and a
question, not a refusal, before publishing a recap whose seminar has not happened; a recap
started from its seminar, and "Save and publish"."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from seminars.models import Recap
from tests.factories import RecapFactory, SeminarFactory, UserFactory
from tests.html import form_data, page, page_with_status, text, texts

pytestmark = pytest.mark.django_db

ADD = reverse("admin:seminars_recap_add")
PREVIEW = reverse("admin:seminars_recap_preview")


def _recap_data(seminar, *, status="published", published_at=None):
    published_at = timezone.localtime(published_at or timezone.now())
    return {
        "title": "What we heard",
        "slug": "what-we-heard",
        "seminar": seminar.pk,
        "status": status,
        "published_at_0": f"{published_at:%Y-%m-%d}",
        "published_at_1": f"{published_at:%H:%M:%S}",
        "summary": "",
        "body": "We talked about **power**.",
        "_save": "Save",
    }


def test_recap_form_has_a_preview_button_that_posts_the_form_to_a_new_tab(organiser_client):
    soup = page(organiser_client.get(ADD))

    [button] = soup.select("#recap_form .submit-row button[name=_preview]")
    assert (button["formaction"], button["formtarget"], button.get_text(strip=True)) == (
        PREVIEW,
        "_blank",
        "Preview the text (opens in a new tab)",
    )
    assert button.has_attr("formnovalidate")


def test_preview_renders_the_markdown_as_the_public_page_would_and_saves_nothing(
    organiser_client,
):
    response = organiser_client.post(
        PREVIEW,
        {
            "title": "What we heard",
            "summary": "Power, shared.",
            "body": "## Who decides?\n\nWe talked about **power**.<script>alert(1)</script>",
        },
    )

    soup = page(response)
    body = soup.select_one(".markdown-preview-body")
    assert text(soup, "#preview-title") == "What we heard"
    assert [str(element) for element in body.select("h2, strong")] == [
        "<h2>Who decides?</h2>",
        "<strong>power</strong>",
    ]
    assert body.select("script") == []
    assert text(soup, ".markdown-preview-summary") == "Power, shared."
    assert Recap.objects.count() == 0


def test_preview_answers_only_a_post(organiser_client):
    assert organiser_client.get(PREVIEW).status_code == 405


def test_preview_is_refused_to_staff_who_may_not_edit_recaps(client):
    staff = UserFactory(email="helper@example.org", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename="view_recap"))
    client.force_login(staff)

    assert client.post(PREVIEW, {"body": "Hello"}).status_code == 403


def test_publishing_a_recap_before_its_seminar_asks_first_and_saves_nothing(organiser_client):
    seminar = SeminarFactory(title="Sharing power", days_from_now=10)

    response = organiser_client.post(ADD, _recap_data(seminar))

    soup = page(response)
    assert text(soup, "h1") == "Publish “What we heard” before its seminar has happened?"
    starts = timezone.localtime(seminar.starts_at)
    assert text(soup, "#early-warning").startswith(
        f"This recap is of “Sharing power”, which has not happened yet: it is on "
        f"{starts:%A} {starts.day} {starts:%B %Y}, 10:00 to 16:00."
    )
    assert texts(soup, ".submit-row button") == [
        "Publish it now anyway",
        "Save it as a draft instead",
    ]
    assert Recap.objects.count() == 0


@pytest.mark.parametrize(("choice", "status"), [("publish", "published"), ("draft", "draft")])
def test_either_answer_saves_the_recap_as_posted(organiser_client, choice, status):
    seminar = SeminarFactory(days_from_now=10)
    question = page(organiser_client.post(ADD, _recap_data(seminar)))
    data = form_data(question.select_one("#content-main form"))

    response = organiser_client.post(ADD, {**data, "_publish_early": choice})

    assert (response.status_code, response.url) == (302, reverse("admin:seminars_recap_changelist"))
    recap = Recap.objects.get()
    assert (recap.title, recap.seminar, recap.status) == ("What we heard", seminar, status)
    assert recap.body == "We talked about **power**."


@pytest.mark.parametrize(
    ("days_from_now", "status", "published_in_days"),
    [
        (-10, "published", 0),  # the seminar has happened
        (10, "draft", 0),  # not publishing
        (10, "published", 20),  # published only once the seminar is over
    ],
)
def test_no_question_when_nothing_is_published_early(
    organiser_client, days_from_now, status, published_in_days
):
    seminar = SeminarFactory(days_from_now=days_from_now)
    published_at = timezone.now() + dt.timedelta(days=published_in_days)

    response = organiser_client.post(
        ADD, _recap_data(seminar, status=status, published_at=published_at)
    )

    assert response.status_code == 302
    assert Recap.objects.get().status == status


def test_editing_an_already_published_recap_asks_nothing(organiser_client):
    seminar = SeminarFactory(days_from_now=10)
    recap = RecapFactory(seminar=seminar, slug="what-we-heard")
    url = reverse("admin:seminars_recap_change", args=[recap.pk])
    data = form_data(page(organiser_client.get(url)).select_one("#recap_form"))

    response = organiser_client.post(
        url, {**data, "title": "What we heard, again", "_save": "Save"}
    )

    assert response.status_code == 302
    assert Recap.objects.get().title == "What we heard, again"


def test_a_form_with_errors_shows_them_before_any_question(organiser_client):
    seminar = SeminarFactory(days_from_now=10)

    response = organiser_client.post(ADD, {**_recap_data(seminar), "body": ""})

    assert response.context["adminform"].form.errors == {"body": ["This field is required."]}
    page_with_status(response, 200)
    assert Recap.objects.count() == 0


def errors(response):
    return response.context["adminform"].form.errors


def shown_status(response):
    """The status the re-shown form's select has chosen, as a browser would submit it."""
    return form_data(page(response).select_one("#recap_form"))["status"]


def test_a_recap_started_from_its_seminar_is_titled_after_it(organiser_client):
    seminar = SeminarFactory(title="Sharing power", days_from_now=-3)
    Recap.objects.create(title="x", slug="recap-sharing-power", body="x")

    data = form_data(
        page(organiser_client.get(f"{ADD}?seminar={seminar.pk}")).select_one("#recap_form")
    )

    assert (data["seminar"], data["title"], data["slug"]) == (
        [str(seminar.pk)],
        ["Recap: Sharing power"],
        ["recap-sharing-power-2"],
    )


@pytest.mark.parametrize("chosen", ["", "abc", "999999"])
def test_a_recap_with_no_such_seminar_starts_empty(organiser_client, chosen):
    data = form_data(
        page(organiser_client.get(f"{ADD}?seminar={chosen}")).select_one("#recap_form")
    )

    assert (data["title"], data["slug"]) == ([""], [""])


def _recap(seminar):
    now = timezone.localtime()
    return {
        "title": "What we heard",
        "slug": "what-we-heard",
        "seminar": seminar.pk,
        "status": "draft",
        "published_at_0": f"{now:%Y-%m-%d}",
        "published_at_1": f"{now:%H:%M:%S}",
        "body": "We talked about **power**.",
        "_publish": "Save and publish",
    }


def test_save_and_publish_publishes_a_recap_of_a_past_seminar(organiser_client):
    response = organiser_client.post(ADD, _recap(SeminarFactory(days_from_now=-3)))

    assert (response.status_code, response.url) == (
        302,
        reverse("admin:seminars_recap_changelist"),
    )
    assert Recap.objects.get().status == Recap.Status.PUBLISHED


@pytest.mark.parametrize(("choice", "status"), [("publish", "published"), ("draft", "draft")])
def test_save_and_publish_before_the_seminar_asks_first_and_keeps_the_answer(
    organiser_client, choice, status
):
    question = page(organiser_client.post(ADD, _recap(SeminarFactory(days_from_now=10))))
    data = form_data(question.select_one("#content-main form"))

    response = organiser_client.post(ADD, {**data, "_publish_early": choice})

    assert response.status_code == 302
    assert Recap.objects.get().status == status


def test_a_recap_sent_back_with_errors_after_save_and_publish_still_shows_draft(
    organiser_client,
):
    response = organiser_client.post(ADD, {**_recap(SeminarFactory(days_from_now=-3)), "body": ""})

    assert errors(response)["body"] == ["This field is required."]
    assert shown_status(response) == ["draft"]


def test_a_recap_sent_back_with_errors_after_the_question_still_shows_draft(organiser_client):
    question = page(organiser_client.post(ADD, _recap(SeminarFactory(days_from_now=10))))
    data = form_data(question.select_one("#content-main form"))

    # The slug taken meanwhile, by another organiser.
    Recap.objects.create(title="x", slug="what-we-heard", body="x")
    response = organiser_client.post(ADD, {**data, "_publish_early": "publish"})

    assert errors(response)["slug"] == ["Recap with this Slug already exists."]
    assert shown_status(response) == ["draft"]
