from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import MaxLengthValidator

from people.email_identity import canonical_email


class SubscribeForm(forms.Form):
    """Just an email address: no account, no name."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="One email when a seminar is announced and one when its registration opens. "
        "We send a link to confirm first; you can stop the emails at any time.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The view takes no CSRF token (csrf_exempt: there is no session to protect), and a
        # token would tie the page to one visitor and keep it out of the page cache.
        self.helper.disable_csrf = True

    def clean_email(self):
        # Checked again once canonical: a few letters grow when case-folded (İ becomes two).
        email = canonical_email(self.cleaned_data["email"])
        MaxLengthValidator(254)(email)
        return email
