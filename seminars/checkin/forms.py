from django import forms

from coproseries.text import single_line
from people.email_identity import CanonicalEmailFormField

SEARCH_MAX_LENGTH = 100


class CheckInSearchForm(forms.Form):
    q = forms.CharField(
        label="Search by name or email",
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
    )


class WalkInForm(forms.Form):
    """Someone who came without registering. A name is enough; an address lets the site
    send them their private link."""

    name = forms.CharField(
        label="Their name",
        max_length=200,
        validators=[single_line],
        error_messages={"required": "Please enter their name."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = CanonicalEmailFormField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        help_text="We email them the private link to their registration.",
        error_messages={"invalid": "Please enter an email address like name@example.org."},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    beyond_capacity = forms.BooleanField(
        label="Add them even though the room is full",
        required=False,
    )

    def __init__(self, *args, room_full=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not room_full:
            del self.fields["beyond_capacity"]
