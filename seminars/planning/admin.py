"""The admin's side of planning: "Save and publish", a new seminar's series and number filled
in, a new venue typed on the seminar's form, and the end's date defaulting to the start's."""

from django.contrib import messages
from django.db.models import Max
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from seminars.models import Seminar, Series, Venue
from seminars.planning.forms import NEW_VENUE_FIELDS, EndsOnStartDayWidget, SeminarPlanningForm

PUBLISH = "_publish"
CHOSEN_STATUS = "_status_before_publish"


class SaveAndPublishMixin:
    """A "Save and publish" button beside Save on a draft's form (and on the add form), for
    those who may save it: the draft is saved as published in one step, the form going
    through the admin as if the status had been chosen (its checks, history and any
    question asked before saving).

    The model has a `Status` with DRAFT and PUBLISHED, in a field named `status`.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and PUBLISH in request.POST:
            request.POST = request.POST.copy()
            # Kept for a form sent back with errors, so that its plain "Save" does not
            # publish; carried, as the rest of the form, by the question before publishing
            # a recap early, so set only the first time.
            if CHOSEN_STATUS not in request.POST:
                request.POST[CHOSEN_STATUS] = request.POST.get("status", "")
            request.POST["status"] = self.model.Status.PUBLISHED
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        may_save = (
            self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        )
        # A form sent back with errors after "Save and publish" holds the status asked for.
        draft = (
            obj is None
            or obj.pk is None
            or obj.status == self.model.Status.DRAFT
            or PUBLISH in request.POST
        )
        context["show_save_and_publish"] = may_save and draft and not context.get("is_popup")
        if request.method == "POST" and PUBLISH in request.POST:
            # Sent back with errors: the status shown is the one chosen before the button.
            form = context["adminform"].form
            form.data = form.data.copy()
            form.data["status"] = request.POST.get(CHOSEN_STATUS, "")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def published_now(self, request, obj):
        """Whether this save is "Save and publish" (and the object is published: the
        question before publishing a recap early may have kept it a draft)."""
        return PUBLISH in request.POST and obj.status == self.model.Status.PUBLISHED


def _next_number(series):
    numbers = Seminar.objects.filter(series=series).aggregate(highest=Max("number"))
    return (numbers["highest"] or 0) + 1


class SeminarPlanningMixin(SaveAndPublishMixin):
    """For SeminarAdmin: the quickest way to plan a seminar.

    - A new seminar is in the series of the seminar added last (or the only series), with
      the next number in it; both can be changed.
    - The end's date, left empty, is the start's.
    - A new venue can be typed in "A new venue" (for those who may add venues) instead of
      added in a popup window; it is saved with the seminar.
    - "Save and publish" opens the seminar's page for organisers, where registrations come
      in.
    """

    form = SeminarPlanningForm
    new_venue_fieldset = (
        "A new venue",
        {
            "classes": ["new-venue"],
            "description": "Not in the list? Type it here instead of choosing it above: it "
            "is added to the venues when you save. Its map link and access information are "
            "on the venue’s own page.",
            "fields": (
                "new_venue_name",
                "new_venue_address",
                ("new_venue_city", "new_venue_postcode"),
            ),
        },
    )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "series" not in initial:
            series = Seminar.objects.order_by("-pk").values_list("series", flat=True).first()
            if series is None:
                only = list(Series.objects.values_list("pk", flat=True)[:2])
                series = only[0] if len(only) == 1 else None
            if series is not None:
                initial["series"] = series
                initial.setdefault("number", _next_number(series))
        return initial

    def _may_add_venues(self, request):
        return request.user.has_perm("seminars.add_venue")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if self._may_add_venues(request):
            return form
        # Fields declared on a form stay in it whatever the admin lists: take them out.
        left_out = {f"new_venue_{name}": None for name in NEW_VENUE_FIELDS}
        return type(form.__name__, (form,), left_out)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if not self._may_add_venues(request):
            return fieldsets
        where = next(i for i, (name, _) in enumerate(fieldsets) if name == "When and where")
        name, options = self.new_venue_fieldset
        if obj is not None and obj.venue_id:  # there is one: the part waits, folded
            options = {**options, "classes": [*options["classes"], "collapse"]}
        fieldsets.insert(where + 1, (name, options))
        return fieldsets

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "ends_at":
            kwargs["widget"] = EndsOnStartDayWidget
            kwargs["help_text"] = "Leave the date empty for the start’s date."
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Saved before the seminar, so that registrants told of a change of venue are told
        # its name; undone with the rest if the organiser is first asked about emailing them.
        venue = obj.venue
        if isinstance(venue, Venue) and venue.pk is None:
            venue.save()
            obj.venue = venue
            self.log_addition(request, venue, [{"added": {}}])
            self.message_user(request, f"The venue “{venue}” was added.", messages.SUCCESS)
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        if self.published_now(request, obj):
            return self._to_organiser_page(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if self.published_now(request, obj):
            return self._to_organiser_page(request, obj)
        return super().response_change(request, obj)

    def _to_organiser_page(self, request, seminar):
        if not request.user.has_perm("seminars.view_registration"):
            self.message_user(request, f"“{seminar}” is published.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:seminars_seminar_changelist"))
        self.message_user(
            request,
            format_html(
                '“{}” is published: <a href="{}">see its page</a>. Registrations will show here.',
                seminar,
                seminar.get_absolute_url(),
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse("admin:seminars_seminar_organiser_page", args=[seminar.pk])
        )
