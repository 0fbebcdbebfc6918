"""The admin's side of recaps: a preview of the Markdown before saving, and a question before
publishing one whose seminar has not happened yet.

The preview is a page of its own: the change form's "Preview" button posts the form to it
in a new tab (HTML's `formaction`, no JavaScript), which renders the text through the one
Markdown renderer and saves nothing, so the form keeps its edits in the first tab.

A recap started from its seminar (the seminar's page for organisers links to the form with
the seminar chosen) is titled after it, "Recap: <the seminar's title>", with a free slug.

Publishing a recap before its seminar has ended is allowed (a recap of a first day, a
scheduled one), but asked about first: the organiser sees the seminar's date and chooses
"Publish it now anyway" or "Save it as a draft instead". The question page carries the form
as posted, in hidden fields, so either choice saves it as sent; nothing is saved before.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify

from seminars.models import Recap, Seminar

DECISION = "_publish_early"


class RecapPublishingMixin:
    """For RecapAdmin: the Markdown preview and the question before an early publication."""

    def get_urls(self):
        preview = path(
            "preview/",
            self.admin_site.admin_view(self.preview_view),
            name="seminars_recap_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": "Preview of the recap",
            "subtitle": None,
            "opts": opts,
            "recap_title": request.POST.get("title", ""),
            "summary": request.POST.get("summary", ""),
            "body": request.POST.get("body", ""),
        }
        return TemplateResponse(request, "admin/seminars/recap/preview.html", context)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        chosen = str(initial.get("seminar", ""))
        seminar = Seminar.objects.filter(pk=chosen).first() if chosen.isdigit() else None
        if seminar is None:
            initial.pop("seminar", None)  # the widget would fail on a value that is no pk
        elif "title" not in initial:
            initial["title"] = f"Recap: {seminar.title}"
            initial.setdefault("slug", _free_slug(slugify(initial["title"])))
        return initial

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            decision = request.POST.get(DECISION)
            if decision == "draft":
                request.POST = request.POST.copy()
                request.POST["status"] = Recap.Status.DRAFT
            elif decision != "publish":
                question = self._early_publication(request, object_id)
                if question is not None:
                    return question
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _early_publication(self, request, object_id):
        """The question page when this save would publish a recap (newly) before its
        seminar ends; None otherwise, and for anything the admin itself refuses or reports
        (no permission, errors on the form)."""
        recap = self.get_object(request, unquote(object_id)) if object_id else None
        if object_id and recap is None:
            return None
        allowed = self.has_change_permission(request, recap) if recap else None
        if not (allowed or (recap is None and self.has_add_permission(request))):
            return None
        was_published = recap is not None and recap.status == Recap.Status.PUBLISHED
        form = self.get_form(request, recap, change=recap is not None)(
            request.POST, request.FILES, instance=recap
        )
        if not form.is_valid():
            return None
        data = form.cleaned_data
        seminar = data.get("seminar")
        if (
            was_published
            or data.get("status") != Recap.Status.PUBLISHED
            or seminar is None
            or seminar.ends_at <= max(data["published_at"], timezone.now())
        ):
            return None
        opts = self.model._meta
        carried = [
            (name, value)
            for name, values in request.POST.lists()
            if name not in {"csrfmiddlewaretoken", DECISION}
            for value in values
        ]
        back = (
            reverse("admin:seminars_recap_change", args=[recap.pk])
            if recap
            else reverse("admin:seminars_recap_changelist")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Publish “{data['title']}” before its seminar has happened?",
            "subtitle": None,
            "opts": opts,
            "app_label": opts.app_label,
            "original": recap,
            "seminar": seminar,
            "carried": carried,
            "form_url": request.get_full_path(),
            "back_url": back,
        }
        return TemplateResponse(request, "admin/seminars/recap/publish_confirmation.html", context)


def _free_slug(slug):
    """`slug`, or with "-2", "-3", … added when a recap has it already."""
    slug = slug[:190]
    taken = set(Recap.objects.filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate
