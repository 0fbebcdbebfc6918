"""The seminar's admin form, made quicker to fill in: the end's date defaults to the start's,
and a new venue can be typed on the form itself (no popup window)."""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError

from seminars.models import Venue

NEW_VENUE_FIELDS = ["name", "address", "city", "postcode"]


class EndsOnStartDayWidget(AdminSplitDateTime):
    """The end's date and time, the date taken from the start's (as typed) when left empty:
    a seminar's programme is on one day, so the date is usually typed once."""

    def value_from_datadict(self, data, files, name):
        day, time = super().value_from_datadict(data, files, name)
        if not day and time:
            day = data.get("starts_at_0", "")
        return [day, time]


def _new_venue_field(name):
    field = Venue._meta.get_field(name).formfield(required=False)
    if name == "address":
        field.widget = forms.Textarea(attrs={"rows": 2, "cols": 40})
    return field


class SeminarPlanningForm(forms.ModelForm):
    """The seminar's form with the fields of a new venue; the admin adds the model's fields.

    A new venue is made only from its name and details typed here, and only when no venue
    is chosen in the list: it becomes the seminar's venue when saved (see
    `SeminarPlanningMixin.save_model`). An existing venue of the same name and town is
    pointed to instead of copied.
    """

    new_venue_name = _new_venue_field("name")
    new_venue_address = _new_venue_field("address")
    new_venue_city = _new_venue_field("city")
    new_venue_postcode = _new_venue_field("postcode")

    def clean(self):
        cleaned_data = super().clean()
        if "new_venue_name" not in self.fields:  # not offered to this organiser
            return cleaned_data
        typed = {name: cleaned_data.get(f"new_venue_{name}", "") for name in NEW_VENUE_FIELDS}
        if not typed["name"]:
            if any(typed.values()):
                self.add_error("new_venue_name", "Give the new venue a name.")
            return cleaned_data
        if cleaned_data.get("venue"):
            self.add_error(
                "new_venue_name",
                "Choose a venue from the list or add a new one here, not both: empty one.",
            )
            return cleaned_data
        existing = Venue.objects.filter(
            name__iexact=typed["name"], city__iexact=typed["city"]
        ).first()
        if existing is not None:
            self.add_error(
                "new_venue_name", f"“{existing}” is already in the list: choose it under Venue."
            )
            return cleaned_data
        venue = Venue(**typed)
        try:
            venue.full_clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                field = f"new_venue_{name}" if name in NEW_VENUE_FIELDS else None
                self.add_error(field, messages)
            return cleaned_data
        cleaned_data["venue"] = venue  # saved with the seminar
        return cleaned_data
