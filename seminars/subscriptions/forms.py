from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import MaxLengthValidator


class SubscribeForm(forms.Form):
    """Just an email address: no account, no name."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="One email when a seminar is announced and one when its registration opens. "
        "We send a link to confirm first; you can stop the emails at any time.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Please enter your email address.",
            "invalid": "Please enter an email address like name@example.org.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_email(self):
        # Checked again once in lower case: a few letters grow when lowered (İ becomes two).
        email = self.cleaned_data["email"].strip().lower()
        MaxLengthValidator(254)(email)
        return email
