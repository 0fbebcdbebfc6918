from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from coproseries.text import single_line
from people import services
from people.forms import PersonAdminForm
from people.models import Person, Role, User
from people.payments import admin as payments_admin  # noqa: F401 (registers its models)
from seminars.emails import signed
from seminars.models import TalkSpeaker, WorkshopFacilitator


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    list_filter = [("people", admin.EmptyFieldListFilter)]


class InvitationForm(forms.Form):
    note = forms.CharField(
        label="A note from you (optional)",
        required=False,
        max_length=services.INVITATION_NOTE_MAX_LENGTH,
        validators=[single_line],
        help_text="One line of plain text, shown in the email as you write it: say who you "
        "are and why you are inviting them. Preview to see it in place.",
        widget=forms.TextInput(attrs={"size": 80}),
    )


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    form = PersonAdminForm
    list_display = ["name", "affiliation", "listed", "roles_shown", "login_status"]
    list_filter = ["is_listed", "show_roles", "roles", ("user", admin.EmptyFieldListFilter)]
    search_fields = ["name", "affiliation", "email"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["roles"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
    actions = ["invite_selected"]
    readonly_fields = ["login_status", "recording_wishes"]
    change_form_template = "admin/people/person/change_form.html"
    fieldsets = (
        (None, {"fields": ("name", "slug", "pronouns", "affiliation", "website", "photo")}),
        ("About", {"fields": ("bio", "roles")}),
        (
            "Consent",
            {
                "description": "Nothing about a person is public before they agree. Tick a "
                "box only with the date and how the person gave consent.",
                "fields": (
                    "show_roles",
                    ("roles_consent_at", "roles_consent_note"),
                    "is_listed",
                    ("listing_consent_at", "listing_consent_note"),
                ),
            },
        ),
        (
            "Recording and photography",
            {
                "description": "What the person asked of each of their talks and workshops, "
                "on their profile or through you. Change it on the talk's or workshop's page.",
                "fields": ("recording_wishes",),
            },
        ),
        ("Private", {"fields": ("email", "user", "login_status")}),
    )

    def get_urls(self):
        invite = self.admin_site.admin_view(self.invite_view)
        return [
            path("<int:pk>/invite/", invite, name="people_person_invite"),
            *super().get_urls(),
        ]

    def invite_view(self, request, pk):
        """One person's invitation: the email shown first, sent only once confirmed. Back,
        once sent or cancelled, to the person's page, or to the admin page in `next` (the
        seminar's page for organisers links here)."""
        person = get_object_or_404(Person, pk=pk)
        if not self.has_change_permission(request, person):
            return redirect("admin:index")
        back = request.GET.get("next", "")
        if not (
            back.startswith(reverse("admin:index"))
            and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
        ):
            back = reverse("admin:people_person_change", args=[pk])
        response = self._invite_confirmation(request, [person], cancel_url=back)
        return response or redirect(back)

    @admin.action(
        description="Invite selected people to edit their profiles", permissions=["change"]
    )
    def invite_selected(self, request, queryset):
        return self._invite_confirmation(
            request,
            list(queryset.order_by("name", "pk")),
            cancel_url=reverse("admin:people_person_changelist"),
            action="invite_selected",
        )

    def _invite_confirmation(self, request, people, *, cancel_url, action=None):
        """Show each person's invitation as it will be sent, with a note to add; send only
        when the organiser confirms ("Send"), then return None. Nothing is sent before."""
        form = InvitationForm(request.POST if "_invite" in request.POST else None)
        if form.is_valid() and request.POST["_invite"] == "send":
            self._invite(request, people, note=form.cleaned_data["note"])
            return None
        note = form.cleaned_data["note"] if form.is_bound and form.is_valid() else ""
        invitations, refused = [], []
        for person in people:
            try:
                email, _ = services.invitation_login(person=person)
            except services.InvitationError as error:
                refused.append(str(error))
                continue
            subject, body = services.invitation_email_render(
                person=person, link=services.INVITATION_LINK_PLACEHOLDER, note=note
            )
            invitations.append(  # the body as email_send will send it
                {"person": person, "to": email, "subject": subject, "body": signed(body)}
            )
        opts = self.model._meta
        count = len(invitations)
        context = {
            **self.admin_site.each_context(request),
            "title": "Invite to edit their profile" if len(people) == 1 else "Invite people",
            "subtitle": None,
            "opts": opts,
            "app_label": opts.app_label,
            "people": people,
            "invitations": invitations,
            "refused": refused,
            "send_label": f"Send {'the invitation' if count == 1 else f'{count} invitations'}",
            "form": form,
            "action": action,
            "selected": [person.pk for person in people],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "cancel_url": cancel_url,
            "valid_days": services.INVITATION_VALID_DAYS,
        }
        status = 400 if form.is_bound and not form.is_valid() else 200
        return TemplateResponse(
            request, "admin/people/person/invite_confirmation.html", context, status=status
        )

    def _invite(self, request, people, *, note):
        invited = []
        for person in people:
            try:
                services.person_invite(person=person, note=note)
            except services.InvitationError as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                invited.append(person.name)
        if invited:
            self.message_user(
                request,
                f"Invitation sent to {', '.join(invited)}: a one-time link, valid for "
                f"{services.INVITATION_VALID_DAYS} days.",
                messages.SUCCESS,
            )

    # Short headers, so that the list fits beside the admin's menu and filters.
    @admin.display(description="listed", boolean=True, ordering="is_listed")
    def listed(self, person):
        return person.is_listed

    @admin.display(description="roles shown", boolean=True, ordering="show_roles")
    def roles_shown(self, person):
        return person.show_roles

    def get_readonly_fields(self, request, obj=None):
        # Linking a login is for those who may manage logins; organisers invite instead.
        if request.user.has_perm("people.change_user"):
            return self.readonly_fields
        return [*self.readonly_fields, "user"]

    @admin.display(description="talks and workshops")
    def recording_wishes(self, person):
        if person.pk is None:
            return "None yet."
        links = [
            *TalkSpeaker.objects.filter(person=person).select_related("talk__seminar"),
            *WorkshopFacilitator.objects.filter(person=person).select_related("workshop__seminar"),
        ]
        if not links:
            return "None yet."
        links.sort(key=lambda link: link.item.starts_at, reverse=True)
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({}, {}): {}</li>',
                (
                    (
                        reverse(f"admin:seminars_{link.item_field}_change", args=[link.item.pk]),
                        link.item.title,
                        link.item.seminar.title,
                        f"{timezone.localtime(link.item.starts_at):%d %b %Y}",
                        link.wishes_in_words or "nothing asked",
                    )
                    for link in links
                ),
            ),
        )

    @admin.display(description="login", ordering="invited_at")
    def login_status(self, person):
        return person.login_status


def content_types_viewable_by(user):
    """The content types whose objects `user` may view (or change) in the admin."""
    permissions = user.get_all_permissions()
    return [
        pk
        for pk, app_label, model in ContentType.objects.values_list("pk", "app_label", "model")
        if f"{app_label}.view_{model}" in permissions
        or f"{app_label}.change_{model}" in permissions
    ]


@admin.register(LogEntry)
class ChangeLogAdmin(admin.ModelAdmin):
    """Who changed what, when: speakers' own edits and organisers' admin edits, read-only.

    Each organiser sees the history of what they may view only: the log of changes to logins
    (their addresses, the superusers' included) and groups stays with superusers. The filters
    offer only what is in that history.
    """

    list_display = ["action_time", "user", "content_type", "object_repr", "change"]
    list_filter = [
        ("content_type", admin.RelatedOnlyFieldListFilter),
        "action_flag",
        ("user", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["user", "content_type"]
    search_fields = ["object_repr", "change_message", "user__email"]
    date_hierarchy = "action_time"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(content_type__in=content_types_viewable_by(request.user))

    @admin.display(description="change")
    def change(self, entry):
        return entry.get_change_message()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
