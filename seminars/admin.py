from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db.models import Case, Count, IntegerField, When

from people.models import Person
from seminars import services
from seminars.models import (
    Recap,
    Seminar,
    Series,
    Talk,
    TalkSpeaker,
    Venue,
    Workshop,
    WorkshopFacilitator,
)


class OrderedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice that keeps the order the values were posted in.

    The stock field returns the queryset's order, and sees only a changed set as a change.
    """

    def clean(self, value):
        chosen = super().clean(value)
        order = {str(pk): index for index, pk in enumerate(value or [])}
        return sorted(chosen, key=lambda obj: order[str(obj.pk)])

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        initial = [str(value) for value in self.prepare_value(initial or [])]
        return initial != [str(value) for value in data or []]


class ProgrammeItemInlineForm(forms.ModelForm):
    """A talk or workshop row on the seminar page, with its people chosen by autocomplete.

    The ordered through model cannot be nested inside an inline, so the people are a plain
    multiple choice whose order (the order they were picked in) becomes their position.
    """

    people = OrderedModelMultipleChoiceField(queryset=Person.objects.all(), required=False)
    people_field_name = ""  # "speakers" or "facilitators", set by the subclasses

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        field.label = self._meta.model._meta.get_field(self.people_field_name).verbose_name
        field.label = field.label.capitalize()
        field.widget = AutocompleteSelectMultiple(
            self._meta.model._meta.get_field(self.people_field_name), admin.site
        )
        # A widget assigned after the field was made does not have the field's choices yet.
        field.widget.choices = field.choices
        if self.instance.pk:
            current = [link.person_id for link in self._links()]
            field.initial = current
            # The widget lists chosen people in queryset order: keep the programme's order.
            field.queryset = Person.objects.alias(
                chosen_order=Case(
                    *(When(pk=pk, then=index) for index, pk in enumerate(current)),
                    default=len(current),
                    output_field=IntegerField(),
                )
            ).order_by("chosen_order", "name")

    def _links(self):
        raise NotImplementedError

    def _save_m2m(self):
        super()._save_m2m()
        services.programme_item_set_people(item=self.instance, people=self.cleaned_data["people"])


class TalkInlineForm(ProgrammeItemInlineForm):
    people_field_name = "speakers"

    class Meta:
        model = Talk
        fields = ["title", "slug", "kind", "starts_at", "ends_at", "room", "people"]

    def _links(self):
        return self.instance.speaker_links.order_by("position", "pk")


class WorkshopInlineForm(ProgrammeItemInlineForm):
    people_field_name = "facilitators"

    class Meta:
        model = Workshop
        fields = ["title", "slug", "starts_at", "ends_at", "room", "capacity", "people"]

    def _links(self):
        return self.instance.facilitator_links.order_by("position", "pk")


class TalkInline(admin.StackedInline):
    model = Talk
    form = TalkInlineForm
    extra = 0
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True
    fields = [("title", "slug"), ("kind", "room"), ("starts_at", "ends_at"), "people"]


class WorkshopInline(admin.StackedInline):
    model = Workshop
    form = WorkshopInlineForm
    extra = 0
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True
    fields = [("title", "slug"), ("room", "capacity"), ("starts_at", "ends_at"), "people"]


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "funder", "seminar_count"]
    list_filter = ["funder"]
    search_fields = ["title", "strapline", "description", "funder"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(seminar_total=Count("seminars"))

    @admin.display(description="seminars", ordering="seminar_total")
    def seminar_count(self, series):
        return series.seminar_total


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "postcode"]
    list_filter = ["city"]
    search_fields = ["name", "address", "city", "postcode"]


@admin.register(Seminar)
class SeminarAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "series", "starts_at", "venue", "status", "capacity"]
    list_filter = ["status", "series", "venue", "starts_at"]
    list_select_related = ["series", "venue"]
    search_fields = ["title", "summary", "description", "venue__name", "venue__city"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["venue"]
    inlines = [TalkInline, WorkshopInline]
    save_on_top = True
    fieldsets = (
        (None, {"fields": ("series", "number", "title", "slug", "status")}),
        ("When and where", {"fields": ("starts_at", "ends_at", "venue", "online_url")}),
        ("About", {"fields": ("summary", "description")}),
        (
            "Registration",
            {
                "fields": (
                    "capacity",
                    "waitlist_enabled",
                    "registration_opens_at",
                    "registration_closes_at",
                )
            },
        ),
    )


class TalkSpeakerInline(admin.TabularInline):
    model = TalkSpeaker
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["person", "position"]


class WorkshopFacilitatorInline(admin.TabularInline):
    model = WorkshopFacilitator
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["person", "position"]


class ProgrammeItemAdmin(admin.ModelAdmin):
    list_display = ["title", "seminar", "starts_at", "ends_at", "room"]
    list_select_related = ["seminar"]
    search_fields = ["title", "abstract", "seminar__title"]
    autocomplete_fields = ["seminar"]
    date_hierarchy = "starts_at"


@admin.register(Talk)
class TalkAdmin(ProgrammeItemAdmin):
    list_display = [*ProgrammeItemAdmin.list_display, "kind"]
    list_filter = ["kind", "seminar__status", "seminar"]
    search_fields = [*ProgrammeItemAdmin.search_fields, "speakers__name"]
    inlines = [TalkSpeakerInline]
    fields = [
        "seminar", ("title", "slug"), "kind", ("starts_at", "ends_at"), "room", "abstract",
        "slides_url", "recording_url",
    ]  # fmt: skip


@admin.register(Workshop)
class WorkshopAdmin(ProgrammeItemAdmin):
    list_display = [*ProgrammeItemAdmin.list_display, "capacity"]
    list_filter = ["seminar__status", "seminar"]
    search_fields = [*ProgrammeItemAdmin.search_fields, "facilitators__name"]
    inlines = [WorkshopFacilitatorInline]
    fields = [
        "seminar", ("title", "slug"), ("starts_at", "ends_at"), "room", "capacity", "abstract",
        "slides_url", "recording_url",
    ]  # fmt: skip


@admin.register(Recap)
class RecapAdmin(admin.ModelAdmin):
    list_display = ["title", "seminar", "status", "published_at", "author_names"]
    list_filter = ["status", "seminar", "published_at"]
    list_select_related = ["seminar"]
    search_fields = ["title", "summary", "body", "authors__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["seminar", "authors"]
    fields = ["title", "slug", "seminar", "authors", "status", "published_at", "summary", "body"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors")

    @admin.display(description="authors")
    def author_names(self, recap):
        return ", ".join(author.name for author in recap.authors.all())
