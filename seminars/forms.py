from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.urls import reverse
from django.utils.html import format_html

from people.models import Role
from seminars.models import Registration

SENSITIVE_NOTE = (
    "Optional. Only the organisers see this, to make the day work for you. It is deleted "
    "after the seminar."
)


class RegistrationForm(forms.ModelForm):
    """Register for a seminar. Attendance is asked only when the seminar is hybrid."""

    role = forms.ModelChoiceField(
        queryset=Role.objects.all(),
        required=False,
        label="How do you describe your involvement?",
        empty_label="Prefer not to say",
        help_text="Optional. It helps the organisers see whose voices are in the room.",
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": "Please agree to how your details are used."},
    )
    # A honeypot: hidden from people (by CSS and from assistive technology), filled by bots.
    homepage = forms.CharField(required=False, label="Leave this field empty")

    class Meta:
        model = Registration
        fields = [
            "name",
            "email",
            "organisation",
            "role",
            "attendance",
            "access_requirements",
            "dietary_requirements",
        ]
        labels = {
            "name": "Your name",
            "email": "Email address",
            "organisation": "Organisation (optional)",
            "attendance": "How will you attend?",
            "access_requirements": "Access requirements",
            "dietary_requirements": "Dietary requirements",
        }
        help_texts = {
            "email": "We send your confirmation and a private link to manage your place here.",
            "access_requirements": SENSITIVE_NOTE,
            "dietary_requirements": SENSITIVE_NOTE,
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "attendance": forms.RadioSelect,
            "access_requirements": forms.Textarea(attrs={"rows": 3}),
            "dietary_requirements": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "name": {"required": "Please enter your name."},
            "email": {
                "required": "Please enter your email address.",
                "invalid": "Please enter an email address like name@example.org.",
            },
        }

    def __init__(self, *args, seminar, **kwargs):
        super().__init__(*args, **kwargs)
        self.seminar = seminar
        self.fields["consent"].label = format_html(
            "I agree that the organisers may use these details to run this seminar, as the "
            '<a href="{}">privacy notice</a> explains.',
            reverse("seminars:privacy"),
        )
        self.fields["homepage"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if seminar.venue_id and seminar.online_url:
            self.fields["attendance"].choices = Registration.Attendance.choices
        else:
            del self.fields["attendance"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        visible = [name for name in self.fields if name != "homepage"]
        self.helper.layout = Layout(*visible, Div("homepage", css_class="d-none"))

    def clean_homepage(self):
        if self.cleaned_data["homepage"]:
            raise forms.ValidationError("Please leave this field empty.")
        return ""

    def registration_fields(self):
        """The cleaned values the registration service takes."""
        data = self.cleaned_data
        if "attendance" in data:
            attendance = data["attendance"]
        elif self.seminar.venue_id is None:
            attendance = Registration.Attendance.ONLINE
        else:
            attendance = Registration.Attendance.IN_PERSON
        return {
            "name": data["name"],
            "email": data["email"],
            "organisation": data["organisation"],
            "role": data["role"],
            "access_requirements": data["access_requirements"],
            "dietary_requirements": data["dietary_requirements"],
            "attendance": attendance,
        }
