"""The seminar's page for organisers, its printable sign-in sheet and name badges, and its
registrations as CSV.

Reached from the seminar's admin page ("Seminar page for organisers") and from the places
column of the seminars' list. Lists registrants, their access and dietary needs: staff
need permission to view seminars and registrations (the Organisers group has both).
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from seminars import exports, selectors
from seminars.access.selectors import with_access_needs
from seminars.models import Registration
from seminars.organiser_page import selectors as page_selectors


def _seminar_or_refuse(model_admin, request, object_id):
    """The seminar, or None when there is none; PermissionDenied for staff who may not
    see its registrants."""
    seminar = model_admin.get_object(request, unquote(object_id))
    if seminar is None:
        return None
    if not (
        model_admin.has_view_permission(request, seminar)
        and request.user.has_perm("seminars.view_registration")
    ):
        raise PermissionDenied
    return seminar


def _context(model_admin, request, seminar, title):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "seminar": seminar,
        "title": title,
        "change_url": reverse("admin:seminars_seminar_change", args=[seminar.pk]),
        "page_url": reverse("admin:seminars_seminar_organiser_page", args=[seminar.pk]),
        "sign_in_url": reverse("admin:seminars_seminar_sign_in_sheet", args=[seminar.pk]),
        "badges_url": reverse("admin:seminars_seminar_badges", args=[seminar.pk]),
        "csv_url": reverse("admin:seminars_seminar_registrations_csv", args=[seminar.pk]),
    }


def _missing(model_admin, request, object_id):
    return model_admin._get_obj_does_not_exist_redirect(request, model_admin.opts, object_id)


def organiser_page_view(model_admin, request, object_id):
    seminar = _seminar_or_refuse(model_admin, request, object_id)
    if seminar is None:
        return _missing(model_admin, request, object_id)
    counts = page_selectors.registration_counts(seminar)
    dietary = page_selectors.dietary_requirements(seminar)
    timeline = selectors.planning_timeline(seminar)
    context = {
        **_context(model_admin, request, seminar, f"Seminar page for organisers: {seminar}"),
        "counts": counts,
        "places_left": page_selectors.places_left(seminar, counts),
        "catering": page_selectors.catering(counts),
        "workshops": page_selectors.workshop_counts(seminar),
        "emails": page_selectors.emails_sent(seminar),
        "access_requests": page_selectors.access_requests(seminar),
        "dietary": dietary,
        "timeline": timeline,
        "programme_people": page_selectors.programme_people(timeline),
        "may_invite": request.user.has_perm("people.change_person"),
        "may_view_recaps": request.user.has_perm("seminars.view_recap"),
        "recaps": seminar.recaps.order_by("pk"),
        "may_add_recap": request.user.has_perm("seminars.add_recap"),
        "registrations_url": (
            f"{reverse('admin:seminars_registration_changelist')}?seminar__id__exact={seminar.pk}"
        ),
    }
    return TemplateResponse(request, "admin/seminars/seminar/organiser_page.html", context)


def sign_in_sheet_view(model_admin, request, object_id):
    return _printable(model_admin, request, object_id, "sign_in_sheet", "Sign-in sheet")


def badges_view(model_admin, request, object_id):
    return _printable(model_admin, request, object_id, "badges", "Name badges")


def _printable(model_admin, request, object_id, template, heading):
    seminar = _seminar_or_refuse(model_admin, request, object_id)
    if seminar is None:
        return _missing(model_admin, request, object_id)
    context = {
        **_context(model_admin, request, seminar, f"{heading}: {seminar}"),
        "heading": heading,
        "people": page_selectors.sign_in_list(seminar),
    }
    return TemplateResponse(request, f"admin/seminars/seminar/{template}.html", context)


def registrations_csv_view(model_admin, request, object_id):
    """Every registration of the seminar, in the CSV the registrations' action downloads,
    named after the seminar."""
    seminar = _seminar_or_refuse(model_admin, request, object_id)
    if seminar is None:
        return _missing(model_admin, request, object_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registrations-{seminar.slug}.csv"'
    exports.registrations_csv_write(
        registrations=with_access_needs(
            Registration.objects.filter(seminar=seminar).select_related(
                "seminar", "role", "workshop"
            )
        ).order_by("created_at", "pk"),
        stream=response,
    )
    return response
