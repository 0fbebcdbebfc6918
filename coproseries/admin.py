"""The organisers' admin site: Django's, named after the series, with failed logins limited
like the speakers' login; add forms that ignore a value in their address that their field
cannot hold; and a required autocomplete that is valid HTML."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import FieldDoesNotExist, ValidationError

from coproseries.ratelimit import login_attempts_exhausted, login_failed, login_limited
from seminars.identity import series_identity


class AddressInitialMixin:
    """An add form's values from its address (`?seminar=3`, `?themes=1,2`, the admin's way of
    starting a form filled in), each dropped when its field could not hold it: the form then
    opens with that field empty, where Django's own would fail with a server error on
    `?seminar=abc` or `?starts_at=abc`.

    A value is read as the model's field reads it (an id as a whole number, a date and time
    as ISO 8601), so a date and time that is valid opens filled in too. An id of nothing
    that exists needs no check: the field shows nothing chosen.
    """

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                continue  # the admin's own parameters, or a field of the form only
            if not field.concrete:
                continue  # a relation seen from its other side: not on the form
            read = _read_many if field.many_to_many else _read_one
            value = read(field, value)
            if value is None:
                del initial[name]
            else:
                initial[name] = value
        return initial


def _read_one(field, value):
    """`value` as `field` holds it, or None when it cannot hold it."""
    if field.is_relation:
        field = field.target_field
    try:
        return field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return None


def _read_many(field, values):
    """The ids among `values` (the admin splits `1,2` into a list) that could be ids."""
    if isinstance(values, str):
        values = values.split(",")
    read = [_read_one(field, value) for value in values]
    return [value for value in read if value is not None] or None


class RequiredAutocompleteSelect(AutocompleteSelect):
    """An autocomplete of a required field that starts with an empty choice, as Django's
    does for a field that may be left empty. HTML asks it of a required select (the Nu
    checker's error): Django's has no choice at all on an add form, and on a change form
    only the one chosen. The autocomplete never shows the empty choice, and the field
    still refuses it."""

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        if self.is_required:
            groups[0][1].insert(0, self.create_option(name, "", "", False, 0))
        return groups


class RequiredAutocompleteMixin:
    """The model's own form's autocompletes of required fields start with an empty choice
    (`RequiredAutocompleteSelect`). Inlines need none: their forms never mark a field
    required in HTML."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = RequiredAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


SITE_MIXINS = (AddressInitialMixin, RequiredAutocompleteMixin)


class OrganisersAdminSite(admin.AdminSite):
    index_title = "Seminars, people and recaps"
    index_template = "admin/organisers_index.html"

    @property
    def site_header(self):
        """ "<the series' name> admin", read from the cache like every page's header."""
        return f"{series_identity().name} admin"

    @property
    def site_title(self):
        return self.site_header

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model's admin, ours and other apps', reads its add form's address safely
        and draws valid required autocompletes (`SITE_MIXINS`)."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SITE_MIXINS):
            admin_class = type(
                admin_class.__name__,
                (*SITE_MIXINS, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def login(self, request, extra_context=None):
        if request.method != "POST":
            return super().login(request, extra_context)
        email = request.POST.get("username")
        if login_attempts_exhausted(request, email=email):
            return login_limited(request)
        response = super().login(request, extra_context)
        # A successful login redirects; the form shown again means the attempt failed.
        if response.status_code == 200:
            login_failed(request, email=email)
        return response


class OrganisersAdminConfig(AdminConfig):
    default_site = "coproseries.admin.OrganisersAdminSite"
