"""The programme on a seminar's admin page: breaks, people added from a row, the timeline."""

from django.contrib import admin

from people.models import Person
from seminars.models import Break
from seminars.programme.forms import SeminarDayTimesForm


class ProgrammeInlineMixin:
    """For the talk and workshop rows: the "+" beside their people for those who may add
    people (the form's `can_add_people`; the formset's form is a class of its own per
    request, so setting it there reaches only this request)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        person_admin = self.admin_site.get_model_admin(Person)
        formset.form.can_add_people = person_admin.has_add_permission(request)
        return formset


class BreakForm(SeminarDayTimesForm):
    class Meta:
        model = Break
        fields = ["title", "starts_at", "ends_at"]


class BreakInline(admin.TabularInline):
    model = Break
    form = BreakForm
    extra = 0
    fields = ["title", "starts_at", "ends_at"]
