from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from people.models import Person, Role, User


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


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation", "is_listed", "show_roles", "has_login"]
    list_filter = ["is_listed", "show_roles", "roles", ("user", admin.EmptyFieldListFilter)]
    search_fields = ["name", "affiliation", "email"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["roles"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
    fieldsets = (
        (None, {"fields": ("name", "slug", "pronouns", "affiliation", "website", "photo")}),
        ("About", {"fields": ("bio", "roles", "show_roles", "is_listed")}),
        ("Private", {"fields": ("email", "user")}),
    )

    def get_readonly_fields(self, request, obj=None):
        # Linking a login is for those who may manage logins; organisers invite instead.
        if request.user.has_perm("people.change_user"):
            return self.readonly_fields
        return [*self.readonly_fields, "user"]

    @admin.display(boolean=True, description="login", ordering="user")
    def has_login(self, person):
        return person.user_id is not None
