"""The organisers' check-in page, for a phone at the door.

Reached from a seminar's admin page ("Check-in at the door"); needs permission to change
registrations, which the Organisers group has. Everything works without JavaScript: the
search is a GET form, and each tick, undo and walk-in is a POST form of its own, answered
with a redirect back to the same search.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from seminars.checkin import services
from seminars.checkin.forms import CheckInSearchForm, WalkInForm
from seminars.checkin.selectors import checkin_counts, checkin_list


def check_in_view(model_admin, request, object_id):
    seminar = model_admin.get_object(request, unquote(object_id))
    if seminar is None:
        return model_admin._get_obj_does_not_exist_redirect(request, model_admin.opts, object_id)
    if not request.user.has_perm("seminars.change_registration"):
        raise PermissionDenied
    search = CheckInSearchForm(request.GET if request.method == "GET" else request.POST)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if request.method != "POST":
        status = 200 if search.is_valid() else 400
        return _render(request, model_admin, seminar, search, query, status=status)
    action = request.POST.get("action")
    if action == "walk_in":
        return _walk_in(request, model_admin, seminar, search, query)
    if action not in {"arrive", "undo"}:
        return _render(
            request, model_admin, seminar, search, query, status=400, error=UNKNOWN_ACTION
        )
    try:
        registration_id = int(request.POST.get("registration", ""))
    except ValueError:
        return _render(request, model_admin, seminar, search, query, status=400, error=NOT_TICKABLE)
    if action == "arrive":
        registration = services.registration_arrive(
            seminar=seminar, registration_id=registration_id
        )
    else:
        registration = services.registration_arrival_undo(
            seminar=seminar, registration_id=registration_id
        )
    if registration is None:
        return _render(request, model_admin, seminar, search, query, status=404, error=NOT_TICKABLE)
    if action == "arrive":
        arrived = timezone.localtime(registration.attended_at)
        messages.success(request, f"{registration.name}: arrived at {arrived:%H:%M}.")
    else:
        messages.success(request, f"{registration.name}: not arrived (undone).")
    return redirect(_page_url(seminar, query, anchor=f"registration-{registration.pk}"))


UNKNOWN_ACTION = "Nothing was changed: the form sent was not one this page knows."
NOT_TICKABLE = (
    "Nothing was changed: that registration is no longer on the list (it may have been "
    "cancelled meanwhile). The list below is up to date."
)


def _walk_in(request, model_admin, seminar, search, query):
    room_full = services.in_person_places_left(seminar) == 0
    form = WalkInForm(request.POST, room_full=room_full)
    if not form.is_valid():
        return _render(request, model_admin, seminar, search, query, form=form, status=400)
    try:
        registration = services.walk_in_add(seminar=seminar, **form.cleaned_data)
    except services.WalkInRefused as refused:
        if refused.field is None:  # no walk-ins at all: there is no form to show it by
            return _render(
                request, model_admin, seminar, search, query, status=409, error=str(refused)
            )
        form = WalkInForm(request.POST, room_full=room_full or refused.full)
        form.is_valid()
        form.add_error(refused.field, str(refused))
        return _render(request, model_admin, seminar, search, query, form=form, status=409)
    emailed = " We have emailed them their private link." if registration.email else ""
    messages.success(request, f"{registration.name} is added as a walk-in, arrived.{emailed}")
    return redirect(_page_url(seminar, query, anchor=f"registration-{registration.pk}"))


def _page_url(seminar, query="", anchor=""):
    url = reverse("admin:seminars_seminar_check_in", args=[seminar.pk])
    if query:
        url += "?" + urlencode({"q": query})
    return f"{url}#{anchor}" if anchor else url


def _render(request, model_admin, seminar, search, query, *, form=None, status=200, error=""):
    places_left = services.in_person_places_left(seminar)
    if form is None:
        form = WalkInForm(room_full=places_left == 0)
    context = {
        "seminar": seminar,
        "search": search,
        "query": query,
        "registrations": checkin_list(seminar, query),
        "counts": checkin_counts(seminar),
        "places_left": places_left,
        "takes_walk_ins": bool(seminar.venue_id) and not seminar.is_cancelled,
        "form": form,
        "error": error,
        "change_url": reverse("admin:seminars_seminar_change", args=[seminar.pk]),
        "page_url": _page_url(seminar, query),
        "everyone_url": _page_url(seminar),
    }
    return TemplateResponse(request, "seminars/checkin/check_in.html", context, status=status)
