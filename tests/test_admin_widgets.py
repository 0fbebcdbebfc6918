"""The admin's widgets as the project mends them for valid, labelled HTML: a required
autocomplete starts with an empty choice (the Nu checker asks it of a required select), and
a date and time has a label for each input, in a group named by the field's label."""

import pytest
from django.urls import reverse

from tests.factories import SeminarFactory, TalkFactory
from tests.html import page

pytestmark = pytest.mark.django_db


def _options(select):
    return [
        (option["value"], option.get("label"), option.get_text(), option.has_attr("selected"))
        for option in select.select("option")
    ]


def test_a_required_autocomplete_starts_with_an_empty_choice(organiser_client):
    soup = page(organiser_client.get(reverse("admin:seminars_talk_add")))

    select = soup.select_one("select#id_seminar")
    assert select.has_attr("required")
    assert _options(select) == [("", "None", "", False)]


def test_a_required_autocomplete_keeps_its_choice_after_the_empty_one(organiser_client):
    talk = TalkFactory(seminar=SeminarFactory(title="Sharing power"))

    soup = page(organiser_client.get(reverse("admin:seminars_talk_change", args=[talk.pk])))

    assert _options(soup.select_one("select#id_seminar")) == [
        ("", "None", "", False),
        (str(talk.seminar.pk), None, str(talk.seminar), True),
    ]


def test_a_date_and_time_are_labelled_in_a_group_named_by_the_field(organiser_client):
    soup = page(organiser_client.get(reverse("admin:seminars_seminar_add")))

    group = soup.select_one("p.datetime:has(#id_starts_at_0)")
    field_label = soup.select_one(f"#{group['aria-labelledby']}")
    assert (group["role"], field_label.name, field_label.get_text()) == (
        "group",
        "label",
        "Starts at:",
    )
    assert [(label["for"], label.get_text()) for label in group.select("label")] == [
        ("id_starts_at_0", "Date:"),
        ("id_starts_at_1", "Time:"),
    ]
