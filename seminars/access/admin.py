"""Access provisions in the admin: the vocabulary, and how seminars and registrations show
what is provided and what is asked for."""

from django import forms
from django.contrib import admin
from django.db.models import Count

from seminars.access.models import AccessProvision
from seminars.access.selectors import with_access_needs


class AccessProvisionAdmin(admin.ModelAdmin):
    """The vocabulary organisers own: rename, reorder, add or delete provisions."""

    list_display = ["name", "description", "position", "seminar_count"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description", "position"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(seminar_total=Count("seminars"))

    @admin.display(description="seminars providing it", ordering="seminar_total")
    def seminar_count(self, provision):
        return provision.seminar_total


class AccessCheckboxesMixin:
    """Provisions (a seminar's, a registration's needs) as a list of checkboxes: the
    vocabulary is short, and a ticked list reads at a glance."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is AccessProvision:
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AccessRequestAdminMixin(AccessCheckboxesMixin):
    """The registrations list with each access request: its status and the needs ticked
    (annotated, so the list runs no query per row)."""

    def get_queryset(self, request):
        return with_access_needs(super().get_queryset(request))

    @admin.display(description="access request", ordering="access_request_status")
    def access_request(self, registration):
        if not registration.access_request_status:
            return "-"
        needs = [need.name for need in registration.access_need_list]
        if registration.access_requirements:
            needs.append("written needs")
        return f"{registration.get_access_request_status_display()}: {', '.join(needs)}"
