"""The admin's side of change notices: confirm before saving who will be emailed.

Saving a seminar whose status, date, times or venue changed, while people hold a place or
wait for one, does not save at once: the organiser first sees what changed and how many
people will be emailed, may add a note, and chooses "Save and email N people" (the default
button) or "Save without emailing". The confirmation page carries the form exactly as
posted, in hidden fields, so choosing posts it again with the decision: nothing is saved
before, and the emails are queued in the same transaction as the save.
"""

from django import forms
from django.contrib import messages
from django.template.response import TemplateResponse

from seminars.models import Seminar
from seminars.notices.services import (
    NOTE_MAX_LENGTH,
    SeminarState,
    notice_recipients,
    seminar_change_describe,
    seminar_change_notify,
    seminar_programme_touch,
)

PREFIX = "_notice"
# What a talk or workshop row can change that visitors see on the programme.
PROGRAMME_FIELDS = {"seminar", "title", "kind", "starts_at", "ends_at", "room", "people"}


def _people(count):
    return f"{count} {'person' if count == 1 else 'people'}"


class NoticeForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("email", "Save and email"), ("silent", "Save without emailing")]
    )
    note = forms.CharField(
        label="A note to include in the email (optional)",
        help_text="For example, why it changed or what to do instead. "
        f"Up to {NOTE_MAX_LENGTH} characters.",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )


class NoticeDecisionNeeded(Exception):
    """The change needs the organiser's decision before anything is saved."""

    def __init__(self, *, seminar, change, recipients, form):
        super().__init__("Confirm who is emailed before saving.")
        self.seminar, self.change, self.recipients, self.form = seminar, change, recipients, form


def programme_changed(formsets):
    """Whether saved talk or workshop rows were added, dropped or moved."""
    for formset in formsets:
        if formset.model._meta.model_name not in {"talk", "workshop"}:
            continue
        if formset.new_objects or formset.deleted_objects:
            return True
        if any(PROGRAMME_FIELDS & set(fields) for _, fields in formset.changed_objects):
            return True
    return False


class SeminarNoticesMixin:
    """For SeminarAdmin: notices of changes, and programme changes marked on the pages."""

    notice_confirmation_template = "admin/seminars/seminar/notice_confirmation.html"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except NoticeDecisionNeeded as needed:
            # Raised before the first write, inside the admin's transaction: nothing saved.
            return self.notice_confirmation(request, needed)

    def save_model(self, request, obj, form, change):
        form.notice = None
        if change:
            # Locked until the save commits, so that what the change is measured against
            # stays true; the calendar revision and programme date are not on the form, and
            # keep their saved values.
            saved = (
                Seminar.objects.select_for_update(of=("self",))
                .select_related("venue")
                .get(pk=obj.pk)
            )
            obj.sequence, obj.programme_updated_at = saved.sequence, saved.programme_updated_at
            previous = SeminarState.of(saved)
            described = seminar_change_describe(previous=previous, current=SeminarState.of(obj))
            if described is not None:
                form.notice = (previous, self._notice_decision(request, obj, described))
        super().save_model(request, obj, form, change)

    def _notice_decision(self, request, seminar, described):
        recipients = notice_recipients(seminar).count()
        if recipients == 0:
            return {"decision": "email", "note": ""}  # recorded; nobody to email
        bound = f"{PREFIX}-decision" in request.POST
        notice_form = NoticeForm(request.POST if bound else None, prefix=PREFIX)
        if not (bound and notice_form.is_valid()):
            raise NoticeDecisionNeeded(
                seminar=seminar, change=described, recipients=recipients, form=notice_form
            )
        return notice_form.cleaned_data

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and programme_changed(formsets):
            seminar_programme_touch(seminar=form.instance)
        if getattr(form, "notice", None) is None:
            return
        previous, decision = form.notice
        notify = decision["decision"] == "email"
        record = seminar_change_notify(
            seminar=form.instance,
            previous=previous,
            note=decision["note"],
            notify=notify,
            changed_by=request.user,
        )
        if record is None:
            return
        if record.notified_count:
            message = f"Emailed {_people(record.notified_count)} about the change."
        elif notify:
            message = "Nobody is registered, so nobody was emailed about the change."
        else:
            message = (
                "Nobody was emailed about the change, as you chose. Registrants see it on "
                "their private pages."
            )
        self.message_user(request, message, messages.SUCCESS)

    def notice_confirmation(self, request, needed):
        opts = self.model._meta
        carried = [
            (name, value)
            for name, values in request.POST.lists()
            if name != "csrfmiddlewaretoken" and not name.startswith(f"{PREFIX}-")
            for value in values
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Email registrants about this change to {needed.seminar.title}?",
            "subtitle": None,
            "opts": opts,
            "app_label": opts.app_label,
            "original": needed.seminar,
            "change": needed.change,
            "lines": needed.change.lines,
            "recipients": needed.recipients,
            "people": _people(needed.recipients),
            "notice_form": needed.form,
            "carried": carried,
            "form_url": request.get_full_path(),
            "has_view_permission": True,
        }
        status = 400 if needed.form.is_bound else 200
        return TemplateResponse(request, self.notice_confirmation_template, context, status=status)


class ProgrammeItemNoticesMixin:
    """For TalkAdmin and WorkshopAdmin: a change to a published programme is marked on the
    seminar's pages (nobody is emailed)."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = not change or PROGRAMME_FIELDS & set(form.changed_data)
        if changed or any(formset.has_changed() for formset in formsets):
            seminar_programme_touch(seminar=form.instance.seminar)
            if change and "seminar" in form.changed_data and form.initial.get("seminar"):
                seminar_programme_touch(seminar=Seminar(pk=form.initial["seminar"]))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        seminar_programme_touch(seminar=obj.seminar)

    def delete_queryset(self, request, queryset):
        seminars = {item.seminar_id for item in queryset}
        super().delete_queryset(request, queryset)
        for pk in seminars:
            seminar_programme_touch(seminar=Seminar(pk=pk))
