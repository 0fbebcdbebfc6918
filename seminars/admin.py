from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.db import IntegrityError
from django.db.models import Case, Count, IntegerField, When
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from people.models import Person
from seminars import exports, selectors, services
from seminars.access.admin import (
    AccessCheckboxesMixin,
    AccessProvisionAdmin,
    AccessRequestAdminMixin,
)
from seminars.access.models import AccessProvision
from seminars.access.selectors import with_access_needs
from seminars.checkin import services as checkin_services
from seminars.checkin.views import check_in_view
from seminars.feedback.admin import RegistrationFeedbackMixin, SeminarFeedbackMixin
from seminars.materials.forms import MaterialsAdminForm
from seminars.models import (
    Recap,
    Registration,
    Seminar,
    Series,
    Talk,
    TalkSpeaker,
    Theme,
    Venue,
    Workshop,
    WorkshopFacilitator,
)
from seminars.notices.admin import ProgrammeItemNoticesMixin, SeminarNoticesMixin
from seminars.organiser_page import views as organiser_page
from seminars.planning.admin import SaveAndPublishMixin, SeminarPlanningMixin
from seminars.programme.admin import BreakInline, ProgrammeInlineMixin
from seminars.programme.forms import SeminarDayTimesForm
from seminars.recaps.admin import RecapPublishingMixin
from seminars.registrant_messages.admin import RegistrantMessageInline, registrant_message_view
from seminars.subscriptions.admin import SubscriberAdmin
from seminars.subscriptions.models import Subscriber

# Beside every text the public reads: the site is for everyone, not only academics.
PLAIN_ENGLISH = mark_safe(
    "Write in plain English: short sentences, everyday words, the most important thing "
    "first. Explain a term the first time you use it, or link it to the glossary "
    "(<code>[expert by experience](/glossary/#role-expert-by-experience)</code>). "
    '<a href="https://www.gov.uk/guidance/content-design/writing-for-gov-uk">'
    "How to write well for your audience (GOV.UK)</a>."
)


def _plural(count, singular, plural):
    return f"{count} {singular if count == 1 else plural}"


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


class ProgrammeItemInlineForm(SeminarDayTimesForm):
    """A talk or workshop row on the seminar page, with its people chosen by autocomplete.

    The ordered through model cannot be nested inside an inline, so the people are a plain
    multiple choice whose order (the order they were picked in) becomes their position.
    Being a plain field, it misses the admin's "+" (add another person) that model fields
    get: the widget is wrapped here as the admin wraps theirs, the "+" shown to those who
    may add people (`can_add_people`, set per request by the inline).
    """

    people = OrderedModelMultipleChoiceField(queryset=Person.objects.all(), required=False)
    do_not_record = forms.MultipleChoiceField(
        label="Asked not to be recorded",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The public programme then says “Not recorded”, never who asked. People "
        "just added can be ticked once saved.",
    )
    do_not_photograph = forms.MultipleChoiceField(
        label="Asked not to be photographed",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For the organisers and photographers only: never shown publicly.",
    )
    people_field_name = ""  # "speakers" or "facilitators", set by the subclasses
    can_add_people = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        model_field = self._meta.model._meta.get_field(self.people_field_name)
        field.label = model_field.verbose_name.capitalize()
        field.widget = RelatedFieldWidgetWrapper(
            AutocompleteSelectMultiple(model_field, admin.site),
            model_field.remote_field,
            admin.site,
            can_add_related=self.can_add_people,
        )
        # A widget assigned after the field was made does not have the field's choices yet.
        field.widget.choices = field.choices
        links = list(self._links().select_related("person")) if self.instance.pk else []
        for wish in ["do_not_record", "do_not_photograph"]:
            # The people saved on the item, from the rows read once for the people field.
            self.fields[wish].choices = [(str(link.person_id), link.person.name) for link in links]
            self.fields[wish].initial = [
                str(link.person_id) for link in links if getattr(link, wish)
            ]
        if self.instance.pk:
            current = [link.person_id for link in links]
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
        services.programme_item_wishes_set(
            item=self.instance,
            do_not_record={int(pk) for pk in self.cleaned_data["do_not_record"]},
            do_not_photograph={int(pk) for pk in self.cleaned_data["do_not_photograph"]},
        )


class TalkInlineForm(ProgrammeItemInlineForm):
    people_field_name = "speakers"

    class Meta:
        model = Talk
        fields = [
            "title", "slug", "kind", "starts_at", "ends_at", "room", "people", "do_not_record",
            "do_not_photograph", "themes",
        ]  # fmt: skip

    def _links(self):
        return self.instance.speaker_links.order_by("position", "pk")


class WorkshopInlineForm(ProgrammeItemInlineForm):
    people_field_name = "facilitators"

    class Meta:
        model = Workshop
        fields = [
            "title", "slug", "starts_at", "ends_at", "room", "capacity", "people",
            "do_not_record", "do_not_photograph", "themes",
        ]  # fmt: skip

    def _links(self):
        return self.instance.facilitator_links.order_by("position", "pk")


class TalkInline(ProgrammeInlineMixin, admin.StackedInline):
    model = Talk
    form = TalkInlineForm
    extra = 0
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["themes"]
    show_change_link = True
    fields = [
        ("title", "slug"), ("kind", "room"), ("starts_at", "ends_at"), "people",
        ("do_not_record", "do_not_photograph"), "themes",
    ]  # fmt: skip


class WorkshopInline(ProgrammeInlineMixin, admin.StackedInline):
    model = Workshop
    form = WorkshopInlineForm
    extra = 0
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["themes"]
    show_change_link = True
    fields = [
        ("title", "slug"), ("room", "capacity"), ("starts_at", "ends_at"), "people",
        ("do_not_record", "do_not_photograph"), "themes",
    ]  # fmt: skip


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "funder", "seminar_count"]
    list_filter = ["funder"]
    search_fields = ["title", "strapline", "description", "funder"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = (
        (None, {"fields": ("title", "slug", "short_name", "strapline", "funder")}),
        ("About", {"fields": ("description",), "description": PLAIN_ENGLISH}),
        (
            "Who is responsible, and how to reach you",
            {
                "fields": ("contact_email", "contact_phone", "data_controller"),
                "description": "Shown in every page's footer, on error pages and in the "
                "privacy notice, and used as the Reply-To of every email.",
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(seminar_total=Count("seminars"))

    @admin.display(description="seminars", ordering="seminar_total")
    def seminar_count(self, series):
        return series.seminar_total


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    """Themes with how many items of each kind carry them, drafts included."""

    list_display = ["name", "seminars", "talks", "workshops", "recaps"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts(public_only=False)

    @admin.display(description="seminars", ordering="seminar_count")
    def seminars(self, theme):
        return theme.seminar_count

    @admin.display(description="talks", ordering="talk_count")
    def talks(self, theme):
        return theme.talk_count

    @admin.display(description="workshops", ordering="workshop_count")
    def workshops(self, theme):
        return theme.workshop_count

    @admin.display(description="recaps", ordering="recap_count")
    def recaps(self, theme):
        return theme.recap_count


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "postcode"]
    list_filter = ["city"]
    search_fields = ["name", "address", "city", "postcode"]


@admin.register(Seminar)
class SeminarAdmin(
    SeminarPlanningMixin,
    SeminarFeedbackMixin,
    SeminarNoticesMixin,
    AccessCheckboxesMixin,
    admin.ModelAdmin,
):
    # What fits beside the admin's menu and filters at 1280 pixels (the series is a filter).
    list_display = ["title", "number_short", "date", "venue_short", "status", "places"]
    list_filter = ["status", "series", "venue", "starts_at"]
    list_select_related = ["series", "venue"]
    search_fields = ["title", "summary", "description", "venue__name", "venue__city"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["venue", "themes"]
    inlines = [TalkInline, WorkshopInline, BreakInline, RegistrantMessageInline]
    save_on_top = True
    fieldsets = (
        (None, {"fields": ("series", "number", "title", "slug", "status")}),
        ("When and where", {"fields": ("starts_at", "ends_at", "venue", "online_url")}),
        ("Access", {"fields": ("access_provisions",)}),
        ("About", {"fields": ("summary", "description", "themes"), "description": PLAIN_ENGLISH}),
        (
            "Wellbeing and what to expect",
            {
                "description": "Every part is optional and shown only when filled in: on the "
                "seminar's page, and in registrants' confirmation and reminder emails. The "
                "site adds no words of its own.",
                "fields": (
                    "content_notes",
                    "what_to_expect",
                    ("wellbeing_contact_name", "wellbeing_contact_details"),
                    "support",
                    "easy_read",
                ),
            },
        ),
        (
            "Registration",
            {
                "fields": (
                    "capacity",
                    "online_capacity",
                    "waitlist_enabled",
                    "waitlist_cutoff_hours",
                    "registration_opens_at",
                    "registration_closes_at",
                    "registration_summary",
                )
            },
        ),
        ("After the seminar", {"fields": ("certificates_enabled",)}),
    )
    readonly_fields = ["registration_summary"]
    change_form_template = "admin/seminars/seminar/change_form.html"

    def get_queryset(self, request):
        return (
            super().get_queryset(request).with_registration_counts().with_not_to_photograph_count()
        )

    def get_inlines(self, request, obj):
        if obj is None:  # a seminar being added has sent nothing yet
            return [TalkInline, WorkshopInline, BreakInline]
        return super().get_inlines(request, obj)

    def get_urls(self):
        email_registrants = path(
            "<path:object_id>/email/",
            self.admin_site.admin_view(self.email_registrants_view),
            name="seminars_seminar_email_registrants",
        )
        check_in = path(
            "<path:object_id>/check-in/",
            self.admin_site.admin_view(self.check_in_view),
            name="seminars_seminar_check_in",
        )
        organiser_urls = [
            path(
                f"<path:object_id>/{route}",
                self.admin_site.admin_view(partial(view, self)),
                name=f"seminars_seminar_{name}",
            )
            for route, view, name in [
                ("organisers/", organiser_page.organiser_page_view, "organiser_page"),
                ("organisers/sign-in-sheet/", organiser_page.sign_in_sheet_view, "sign_in_sheet"),
                ("organisers/badges/", organiser_page.badges_view, "badges"),
                (
                    "organisers/registrations.csv",
                    organiser_page.registrations_csv_view,
                    "registrations_csv",
                ),
            ]
        ]
        return [email_registrants, check_in, *organiser_urls, *super().get_urls()]

    def email_registrants_view(self, request, object_id):
        return registrant_message_view(self, request, object_id)

    def check_in_view(self, request, object_id):
        return check_in_view(self, request, object_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Shows the balance of voices on the saved programme, drafts included, while
        organisers plan, and the last changes registrants were told of."""
        seminar = self.get_object(request, unquote(object_id))
        if seminar is not None:
            extra_context = {
                **(extra_context or {}),
                "voices": selectors.planning_voices(seminar),
                "timeline": selectors.planning_timeline(seminar),
                "notices": seminar.changes.select_related("changed_by")[:10],
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"capacity", "online_capacity"} & set(form.changed_data):
            promoted = services.seminar_waitlist_promote(seminar=obj)
            if promoted:
                moved_up = _plural(len(promoted), "person", "people")
                self.message_user(
                    request,
                    f"{moved_up} moved up from the waiting list and emailed.",
                    messages.SUCCESS,
                )

    @admin.display(description="no.", ordering="number")
    def number_short(self, seminar):
        return seminar.number

    @admin.display(description="date", ordering="starts_at")
    def date(self, seminar):
        return short_date(seminar.starts_at)

    @admin.display(description="venue", ordering="venue__name")
    def venue_short(self, seminar):
        return seminar.venue.name if seminar.venue else "Online"

    @admin.display(description="places taken", ordering="confirmed_count")
    def places(self, seminar):
        """ "12 of 40 · 3 waiting"; in each way for a hybrid seminar."""
        if seminar.is_hybrid:
            parts = [_confirmed_of(seminar, attendance) for attendance in Registration.Attendance]
        else:
            parts = [_confirmed_of(seminar, None)]
        if seminar.waitlisted_count:
            parts.append(f"{seminar.waitlisted_count} waiting")
        # The figures lead to the seminar's page for organisers, which has them all.
        url = reverse("admin:seminars_seminar_organiser_page", args=[seminar.pk])
        return format_html(
            '<a href="{}" title="Seminar page for organisers">{}</a>', url, " · ".join(parts)
        )

    @admin.display(description="registrations")
    def registration_summary(self, seminar):
        if seminar.pk is None:
            return "None yet."
        if seminar.is_hybrid:
            summary = "; ".join(
                _mode_summary(seminar, attendance) for attendance in Registration.Attendance
            )
            summary += f"; {seminar.waitlisted_count} waiting in all."
        elif seminar.capacity is None:
            confirmed = _with_companions(seminar.confirmed_count, seminar.companion_count)
            summary = f"{confirmed} confirmed (no limit)"
        else:
            summary = (
                f"{_with_companions(seminar.confirmed_count, seminar.companion_count)} "
                "confirmed of "
                f"{_plural(seminar.capacity, 'place', 'places')}, "
                f"{seminar.waitlisted_count} waiting"
            )
        # Those with a place who asked at registration: for photographers' briefing.
        photographs = f"Not to be photographed: {seminar.not_to_photograph_count}."
        changelist = reverse("admin:seminars_registration_changelist")
        return format_html(
            '{}. {} <a href="{}?seminar__id__exact={}">See the registrations</a>',
            summary.rstrip("."),
            photographs,
            changelist,
            seminar.pk,
        )


def _with_companions(confirmed, companions):
    """ "12", or "12 + 2 companions" when confirmed registrants bring companions, who take a
    place each."""
    if not companions:
        return str(confirmed)
    return f"{confirmed} + {_plural(companions, 'companion', 'companions')}"


def short_date(moment):
    """ "5 Jan 2016", in UK time: what a narrow column has room for."""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y}"


def _confirmed_of(seminar, attendance):
    """The places confirmed, "12 of 40" or "12 (no limit)"; in one way of attending ("3 of
    60 in person"), or in all when `attendance` is None."""
    if attendance is None:
        confirmed, capacity, way = seminar.confirmed_count, seminar.capacity, ""
    else:
        confirmed = getattr(seminar, f"{attendance}_confirmed_count")
        capacity = seminar.capacity_for(attendance)
        way = f" {attendance.label.lower()}"
    companions = ""
    if attendance in (None, Registration.Attendance.IN_PERSON) and seminar.companion_count:
        # A companion takes a place in the room.
        confirmed += seminar.companion_count
        companions = f" ({_plural(seminar.companion_count, 'companion', 'companions')})"
    if capacity is None:
        return f"{confirmed}{way} (no limit){companions}"
    return f"{confirmed} of {capacity}{way}{companions}"


def _mode_summary(seminar, attendance):
    confirmed = getattr(seminar, f"{attendance}_confirmed_count")
    if attendance == Registration.Attendance.IN_PERSON:
        confirmed = _with_companions(confirmed, seminar.companion_count)
    capacity = seminar.capacity_for(attendance)
    places = "no limit" if capacity is None else _plural(capacity, "place", "places")
    return f"{attendance.label}: {confirmed} confirmed of {places}"


class TalkSpeakerInline(admin.TabularInline):
    model = TalkSpeaker
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["person", "position", "do_not_record", "do_not_photograph"]


class WorkshopFacilitatorInline(admin.TabularInline):
    model = WorkshopFacilitator
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["person", "position", "do_not_record", "do_not_photograph"]


# Uploaded slides (checked as a PDF by their content), when they are public, and captions.
MATERIALS_FIELDS = ["slides", "slides_public_before", "transcript_url"]


class ProgrammeItemAdmin(ProgrammeItemNoticesMixin, admin.ModelAdmin):
    form = MaterialsAdminForm
    list_display = ["title", "seminar", "starts_at", "ends_at", "room"]
    list_select_related = ["seminar"]
    search_fields = ["title", "abstract", "seminar__title"]
    autocomplete_fields = ["seminar", "themes"]
    date_hierarchy = "starts_at"


@admin.register(Talk)
class TalkAdmin(ProgrammeItemAdmin):
    list_display = [*ProgrammeItemAdmin.list_display, "kind"]
    list_filter = ["kind", "seminar__status", "seminar"]
    search_fields = [*ProgrammeItemAdmin.search_fields, "speakers__name"]
    inlines = [TalkSpeakerInline]
    fields = [
        "seminar", ("title", "slug"), "kind", ("starts_at", "ends_at"), "room", "abstract",
        "themes", "slides_url", "recording_url", *MATERIALS_FIELDS,
    ]  # fmt: skip


@admin.register(Workshop)
class WorkshopAdmin(ProgrammeItemAdmin):
    list_display = [*ProgrammeItemAdmin.list_display, "capacity"]
    list_filter = ["seminar__status", "seminar"]
    search_fields = [*ProgrammeItemAdmin.search_fields, "facilitators__name"]
    inlines = [WorkshopFacilitatorInline]
    fields = [
        "seminar", ("title", "slug"), ("starts_at", "ends_at"), "room", "capacity", "abstract",
        "themes", "slides_url", "recording_url", *MATERIALS_FIELDS,
    ]  # fmt: skip


@admin.register(Recap)
class RecapAdmin(SaveAndPublishMixin, RecapPublishingMixin, admin.ModelAdmin):
    list_display = ["title", "seminar", "status", "published_at", "author_names"]
    list_filter = ["status", "seminar", "published_at"]
    list_select_related = ["seminar"]
    search_fields = ["title", "summary", "body", "authors__name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["seminar", "authors", "themes"]
    fields = [
        "title", "slug", "seminar", "authors", "status", "published_at", "summary", "body",
        "themes",
    ]  # fmt: skip

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors")

    @admin.display(description="authors")
    def author_names(self, recap):
        return ", ".join(author.name for author in recap.authors.all())


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = [
            "name", "email", "pronouns", "organisation", "role", "role_declined", "attendance",
            "workshop", "with_companion", "do_not_photograph", "access_needs",
            "access_requirements", "dietary_requirements", "access_request_status",
            "access_note",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "email" in self.fields and self.instance.is_walk_in:
            # Added at the door: an address is welcome, not required.
            self.fields["email"].required = False
        if "workshop" in self.fields:
            # Organisers may place someone in a workshop beyond its capacity, as with places.
            self.fields["workshop"].queryset = Workshop.objects.filter(
                seminar_id=self.instance.seminar_id
            )

    def clean_email(self):
        # One active registration per address and seminar, in canonical equality. The
        # form cannot check the database's constraint itself (its condition is on status,
        # which is not a field here), and the database would answer with a 500.
        email = self.cleaned_data["email"]
        registration = self.instance
        active = registration.status != Registration.Status.CANCELLED and not registration.purged_at
        taken = (
            Registration.objects.filter(
                seminar_id=registration.seminar_id, email=email, purged_at__isnull=True
            )
            .exclude(status=Registration.Status.CANCELLED)
            .exclude(pk=registration.pk)
        )
        if active and email and taken.exists():
            raise forms.ValidationError("This email address is already registered.")
        return email


class ArrivedFilter(admin.SimpleListFilter):
    title = "arrived"
    parameter_name = "arrived"

    def lookups(self, request, model_admin):
        return [("yes", "Arrived"), ("no", "Not arrived")]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(attended_at__isnull=self.value() == "no")
        return queryset


@admin.register(Registration)
class RegistrationAdmin(RegistrationFeedbackMixin, AccessRequestAdminMixin, admin.ModelAdmin):
    """Registrations are made on the public site; here organisers look after them.

    Status changes only through the actions, which call the services, so that the waiting
    list moves up and people are emailed. The manage link is shown, never the token edited.
    """

    form = RegistrationForm
    # What fits beside the admin's menu and filters at 1280 pixels (involvement is a filter).
    list_display = [
        "name", "email_breakable", "seminar", "status_and_way", "workshop", "registered",
    ]  # fmt: skip
    list_filter = [
        "seminar", "status", "attendance", "access_request_status", "with_companion", "role",
        "do_not_photograph", ("details_updated_at", admin.EmptyFieldListFilter), ArrivedFilter,
        "is_walk_in",
    ]  # fmt: skip
    list_select_related = ["seminar", "role", "workshop"]
    search_fields = ["name", "email", "organisation"]
    date_hierarchy = "created_at"
    actions = [
        "cancel_selected", "confirm_selected", "download_csv", "mark_arrived",
        "mark_not_arrived",
    ]  # fmt: skip
    readonly_fields = [
        "seminar", "status", "manage_page", "created_at", "details_updated_at", "cancelled_at",
        "reminder_sent_at", "purged_at", "attended_at", "is_walk_in",
    ]  # fmt: skip
    fieldsets = (
        (None, {"fields": ("seminar", "status", "manage_page", "attended_at", "is_walk_in")}),
        (
            "Registrant",
            {
                "fields": (
                    "name",
                    "email",
                    "pronouns",
                    "organisation",
                    "role",
                    "role_declined",
                    "attendance",
                    "with_companion",
                    "workshop",
                    "do_not_photograph",
                )  # fmt: skip
            },
        ),
        (
            "Requirements",
            {
                "fields": (
                    "access_needs",
                    "access_requirements",
                    "dietary_requirements",
                    "access_request_status",
                    "access_note",
                ),
                "description": "Health-related personal data: for organising the day only. "
                "The registrant sees the access request's status on their private page, "
                "never your note.",
            },
        ),
        (
            "History",
            {
                "fields": (
                    "created_at",
                    "details_updated_at",
                    "cancelled_at",
                    "reminder_sent_at",
                    "purged_at",
                )  # fmt: skip
            },
        ),
    )

    def has_add_permission(self, request):
        # Adding here would skip capacity, the waiting list and the emails: people register
        # through the public form (an organiser can fill it in for someone).
        return False

    def get_actions(self, request):
        # Bulk deletion would free places without moving the waiting list up: cancel instead.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_active and obj.purged_at is None:
            return False  # cancel first, so the place passes on
        return super().has_delete_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        # An erased registration keeps only anonymous facts: nothing is left to edit.
        if obj is not None and obj.purged_at:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description="status", ordering="status")
    def status_and_way(self, registration):
        """ "Confirmed, in person" ("…, with a companion"): the way of attending matters once
        there is a place."""
        if registration.status == Registration.Status.CANCELLED:
            return registration.get_status_display()
        way = registration.get_attendance_display().lower()
        companion = ", with a companion" if registration.with_companion else ""
        return f"{registration.get_status_display()}, {way}{companion}"

    @admin.display(description="email", ordering="email")
    def email_breakable(self, registration):
        """The address, free to wrap before its "@" and dots in a narrow column."""
        local, at, domain = registration.email.rpartition("@")
        if not at:
            return registration.email  # erased, or never a full address
        labels = format_html_join(
            mark_safe("<wbr>."), "{}", ((label,) for label in domain.split("."))
        )
        return format_html("{}<wbr>@{}", local, labels)

    @admin.display(description="date", ordering="created_at")
    def registered(self, registration):
        """When they registered, and when they last changed their details themselves."""
        if registration.details_updated_at is None:
            return short_date(registration.created_at)
        return format_html(
            "{}<br>updated {}",
            short_date(registration.created_at),
            short_date(registration.details_updated_at),
        )

    @admin.action(description="Mark selected as arrived", permissions=["change"])
    def mark_arrived(self, request, queryset):
        marked = checkin_services.registrations_mark_arrived(registrations=queryset)
        self.message_user(
            request,
            f"Marked {_plural(marked, 'registration', 'registrations')} as arrived. Only "
            "confirmed places can be.",
            messages.SUCCESS,
        )

    @admin.action(description="Mark selected as not arrived", permissions=["change"])
    def mark_not_arrived(self, request, queryset):
        undone = checkin_services.registrations_mark_not_arrived(registrations=queryset)
        self.message_user(
            request,
            f"Marked {_plural(undone, 'registration', 'registrations')} as not arrived.",
            messages.SUCCESS,
        )

    @admin.display(description="Registrant's manage page")
    def manage_page(self, registration):
        if registration.purged_at:
            return "None: the personal details have been erased."
        url = f"{settings.SITE_URL}{registration.get_absolute_url()}"
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.action(description="Cancel selected registrations", permissions=["change"])
    def cancel_selected(self, request, queryset):
        # Waiting people first, so that nobody selected is offered a freed place and then
        # cancelled in the same go.
        chosen = sorted(
            queryset.filter(purged_at__isnull=True).exclude(status=Registration.Status.CANCELLED),
            key=lambda registration: registration.status != Registration.Status.WAITLISTED,
        )
        promoted = []
        for registration in chosen:
            promoted += services.registration_cancel(registration=registration)
        message = f"Cancelled {_plural(len(chosen), 'registration', 'registrations')}."
        if promoted:
            moved_up = _plural(len(promoted), "person", "people")
            message += f" {moved_up} moved up from the waiting list and emailed."
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(
        description="Offer a place: confirm selected registrations (even beyond capacity)",
        permissions=["change"],
    )
    def confirm_selected(self, request, queryset):
        chosen = (
            queryset.filter(purged_at__isnull=True)
            .exclude(status=Registration.Status.CONFIRMED)
            .order_by("created_at", "pk")
        )
        confirmed, refused = 0, []
        for registration in chosen:
            try:
                services.registration_confirm(registration=registration)
            except IntegrityError:
                # A cancelled registration whose address has registered again since.
                refused.append(registration.email)
            else:
                confirmed += 1
        self.message_user(
            request,
            f"Confirmed {_plural(confirmed, 'registration', 'registrations')}.",
            messages.SUCCESS,
        )
        if refused:
            self.message_user(
                request,
                f"Not confirmed, as already registered again: {', '.join(refused)}.",
                messages.WARNING,
            )

    @admin.action(description="Download selected as CSV", permissions=["view"])
    def download_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"registrations-{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        exports.registrations_csv_write(
            registrations=with_access_needs(
                queryset.select_related("seminar", "role", "workshop")
            ).order_by("seminar__starts_at", "seminar__pk", "created_at", "pk"),
            stream=response,
        )
        return response


admin.site.register(AccessProvision, AccessProvisionAdmin)
admin.site.register(Subscriber, SubscriberAdmin)
