"""An admin add form started from its address (`?seminar=3`, as the site's own links do)
opens whatever the address holds: a value its field cannot hold, or an id of nothing, leaves
that field empty as on the plain form, never a server error. Every registered admin is
tried, ours and other apps', with every relation and date or time field of its model."""

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from people.models import User
from tests.factories import SeminarFactory, ThemeFactory, UserFactory
from tests.html import form_data, page

pytestmark = pytest.mark.django_db

BAD_IDS = ["abc", "999999"]  # not a number, and no such id
BAD_MOMENTS = ["abc", "2026-13-45"]


def _addable_admins():
    """The registered admins a superuser may add with."""
    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_active=True)
    return [
        model_admin
        for model_admin in admin.site._registry.values()
        if model_admin.has_add_permission(request)
    ]


def _bad_addresses():
    for model_admin in _addable_admins():
        opts = model_admin.opts
        for field in opts.get_fields():
            if not field.concrete:
                continue
            if field.is_relation:
                values = BAD_IDS
            elif isinstance(field, models.DateField | models.TimeField):  # datetimes too
                values = BAD_MOMENTS
            else:
                continue
            for value in values:
                yield pytest.param(
                    opts.label, field.name, value, id=f"{opts.label}.{field.name}={value}"
                )


def _add_url(label):
    app_label, model_name = label.lower().split(".")
    return reverse(f"admin:{app_label}_{model_name}_add")


def _fields_inputs(response, label, name):
    """What the add form's inputs for the field `name` submit (a date and time are two)."""
    form = page(response).select_one(f"#{label.split('.')[1].lower()}_form")
    data = form_data(form)
    return {key: value for key, value in data.items() if key in {name, f"{name}_0", f"{name}_1"}}


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(("label", "name", "value"), list(_bad_addresses()))
def test_an_add_form_opens_with_a_field_empty_for_a_value_it_cannot_hold(
    superuser_client, label, name, value
):
    before = superuser_client.get(_add_url(label))
    started = superuser_client.get(_add_url(label), {name: value})
    after = superuser_client.get(_add_url(label))

    # As the plain form a moment before or after: a default of "now" (django-mailer's
    # dates) may pass a second between two pages, never two.
    plain = [_fields_inputs(response, label, name) for response in [before, after]]
    assert _fields_inputs(started, label, name) in plain


def test_an_add_form_keeps_the_values_its_fields_can_hold(superuser_client):
    seminar = SeminarFactory(title="Sharing power")
    theme = ThemeFactory()

    response = superuser_client.get(
        reverse("admin:seminars_talk_add"),
        {"seminar": seminar.pk, "themes": f"{theme.pk},abc", "starts_at": "2026-05-01T10:30"},
    )

    data = form_data(page(response).select_one("#talk_form"))
    assert (data["seminar"], data["themes"], data["starts_at_0"], data["starts_at_1"]) == (
        [str(seminar.pk)],
        [str(theme.pk)],
        ["01/05/2026"],
        ["10:30:00"],
    )


def test_a_moment_with_its_offset_opens_in_uk_time(superuser_client):
    response = superuser_client.get(
        reverse("admin:seminars_seminar_add"), {"starts_at": "2026-07-01T09:00:00+00:00"}
    )

    data = form_data(page(response).select_one("#seminar_form"))
    assert timezone.get_current_timezone_name() == "Europe/London"
    assert (data["starts_at_0"], data["starts_at_1"]) == (["01/07/2026"], ["10:00:00"])
