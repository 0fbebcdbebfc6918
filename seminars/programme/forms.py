"""Programme rows on a seminar's admin page: times on the seminar's day.

A talk, workshop or break on the seminar's page takes a start and an end time only: the date
is the seminar's own (its start date in UK time), so it is typed once, on the seminar. The
rows store full datetimes as before; the model's `clean` refuses a time outside the seminar's
hours, with the hours in the message.
"""

import datetime as dt

from django import forms
from django.contrib.admin.widgets import AdminTimeWidget
from django.core.exceptions import ValidationError
from django.forms.models import InlineForeignKeyField
from django.utils import timezone

TIME_FIELDS = ("starts_at", "ends_at")


def seminar_day(seminar):
    """The seminar's date in UK time (the site's time zone), or None before it has one."""
    if seminar is None or seminar.starts_at is None:
        return None
    return timezone.localtime(seminar.starts_at).date()


def on_day(day, time):
    """`time` on `day` in UK time, as an aware datetime; times typed are local, whether
    British Summer Time is on or not."""
    return timezone.make_aware(dt.datetime.combine(day, time))


class SeminarDayTimesForm(forms.ModelForm):
    """A row whose `starts_at` and `ends_at` are entered as times on its seminar's day.

    The seminar is the row's parent on the seminar's page, with the dates just posted for
    it, so moving the seminar to another day moves its rows with it (a row counts as
    changed when its stored times differ).
    """

    starts_at = forms.TimeField(label="Starts", widget=AdminTimeWidget(format="%H:%M"))
    ends_at = forms.TimeField(label="Ends", widget=AdminTimeWidget(format="%H:%M"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_times = {name: getattr(self.instance, name) for name in TIME_FIELDS}
        for name, stored in self.stored_times.items():
            if stored is not None:
                self.initial[name] = timezone.localtime(stored).time()
            self.fields[name].help_text = "24-hour clock, UK time, on the seminar’s day."

    def _seminar(self):
        """The seminar as just posted on its page (the formset's parent), else as saved."""
        parent = self.fields.get("seminar")
        if isinstance(parent, InlineForeignKeyField):
            return parent.parent_instance
        try:
            return self.instance.seminar
        except self._meta.model.seminar.RelatedObjectDoesNotExist:
            return None

    def _on_seminar_day(self, time):
        day = seminar_day(self._seminar())
        if day is None:
            raise ValidationError(
                "Give the seminar its start and end first: the programme's times are on "
                "the seminar's day."
            )
        return on_day(day, time)

    def clean_starts_at(self):
        return self._on_seminar_day(self.cleaned_data["starts_at"])

    def clean_ends_at(self):
        return self._on_seminar_day(self.cleaned_data["ends_at"])

    @property
    def changed_data(self):
        """The changed fields, the times compared as the datetimes they are stored as.

        A plain property (Django caches its own): the formset asks before the seminar's day
        is known, and again once it is."""
        changed = [name for name in super().changed_data if name not in TIME_FIELDS]
        for name in TIME_FIELDS:
            if self._time_changed(name):
                changed.append(name)
        return changed

    def _time_changed(self, name):
        stored = self.stored_times[name]
        if stored is None:
            return self.fields[name].has_changed(None, self[name].data)
        try:
            value = self.fields[name].clean(self[name].data)
            return self._on_seminar_day(value) != stored
        except ValidationError:
            return True
