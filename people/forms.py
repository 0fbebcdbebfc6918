import copy

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from coproseries.markdown import FORMATTING_HELP
from people.email_identity import CanonicalEmailFormField, canonical_email
from people.images import ACCEPTED_TYPES, photo_process
from people.models import Person, Role, User
from seminars.emails import email_send
from seminars.identity import series_identity


class EmailAuthenticationForm(AuthenticationForm):
    """Log in with an email address, whatever its spelling (case, fullwidth letters…)."""

    username = CanonicalEmailFormField(
        label="Email address",
        max_length=254,
        # No autofocus (Django's has one): the page is read from its start, not its field.
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email address and password do not match. Check them and try again.",
    }


class OwnPasswordChangeForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Your old password is not right. Enter it again.",
    }


class EmailPasswordResetForm(PasswordResetForm):
    """Django's reset form, finding the login by its canonical email, not by `iexact`, and
    sending through the site's one sender (headers, From name, encodings: seminars/emails.py).

    The link goes to the address stored on the login, never to the spelling typed here.
    """

    email = CanonicalEmailFormField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        users = User._default_manager.filter(email=canonical_email(email), is_active=True)
        return (user for user in users if user.has_usable_password())

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # The site's address as configured now, not as the view class read it at import.
        context = {
            **context,
            "site_url": settings.SITE_URL,
            "series_name": series_identity().name,
        }
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        email_send(to=[to_email], subject=subject, template=email_template_name, context=context)


# (flag, consent date field, consent note field, what the flag does, for messages)
CONSENT_FIELDS = (
    ("show_roles", "roles_consent_at", "roles_consent_note", "Roles can be shown publicly"),
    ("is_listed", "listing_consent_at", "listing_consent_note", "A person can be listed"),
)


class PersonAdminForm(forms.ModelForm):
    """The organisers' person form: a person's email may not be a staff login's.

    An invitation sends a login's set-password link to the person's address, so a person
    who shares the address of a staff login would be a way into that login. A superuser
    may still link a member of staff to their own person in the "user" field.
    """

    class Meta:
        model = Person
        fields = ["email", "user"]  # the admin adds the other fields of its fieldsets

    def clean(self):
        cleaned_data = super().clean()
        email = cleaned_data.get("email")
        if "user" in self.fields:  # a superuser's form: the login chosen in it
            linked_pk = getattr(cleaned_data.get("user"), "pk", None)
        else:
            linked_pk = self.instance.user_id
        if email and User.objects.staff_with_email(email).exclude(pk=linked_pk).exists():
            self.add_error(
                "email",
                "This is the email address of a staff login. A person may have it only once "
                "a superuser links that login to them in the “user” field.",
            )
        for flag, at, note, what in CONSENT_FIELDS:
            recorded = cleaned_data.get(at) and cleaned_data.get(note, "").strip()
            if flag in self.fields and cleaned_data.get(flag) and not recorded:
                self.add_error(
                    flag,
                    f"{what} only once the person has agreed: enter the date and how "
                    "they gave consent (for example “by email, 3 March”), or untick this.",
                )
        return cleaned_data


PHOTO_HINT = (
    "JPEG, PNG, WebP or HEIC (the format of many phone photos), up to 20 MB: a large photo "
    "is made smaller. It is cropped to a square, and location and camera details are removed."
)


class ProfileForm(forms.ModelForm):
    """What a speaker may change about themselves. Organisers keep slug, login and programme.

    `kept_photo` is a photo chosen and checked at an earlier "Preview" (a ready square JPEG,
    see people/photo_keeping.py): it is saved with the profile unless another file is chosen
    or the photo is removed.
    """

    # A plain file field: Pillow is run once, by photo_process, with our limits and messages.
    # The current photo is shown as a picture above it (people/includes/profile_photo.html),
    # and removed with its own checkbox, not with Django's "Currently: <path> Clear".
    photo = forms.FileField(
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPTED_TYPES}),
        label="Photo (optional)",
        help_text=PHOTO_HINT,
    )
    remove_photo = forms.BooleanField(
        required=False,
        label="Remove my photo",
        help_text="Your public page then shows no photo.",
    )
    roles = forms.ModelMultipleChoiceField(
        queryset=Role.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which of these describe you? (optional)",
        help_text="Choose none, one or several.",
    )

    class Meta:
        model = Person
        fields = [
            "name",
            "pronouns",
            "affiliation",
            "bio",
            "website",
            "photo",
            "roles",
            "show_roles",
            "is_listed",
        ]
        labels = {
            "name": "Your name, as it should appear",
            "pronouns": "Pronouns (optional)",
            "affiliation": "Affiliation (optional)",
            "bio": "About you (optional)",
            "website": "Website (optional)",
            "show_roles": "Yes, show my roles on the public site",
            "is_listed": "Yes, list me in the people directory",
        }
        help_texts = {
            "bio": f"{FORMATTING_HELP} Use “Preview” to see how it will look.",
            "show_roles": "Ticking this is your consent. Until you tick it, your roles are "
            "known only to the organisers; untick it at any time to withdraw.",
            "is_listed": "Ticking this is your consent. Until you tick it, you have no public "
            "page: your name still appears on the programmes you took part in.",
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 8})}
        error_messages = {"name": {"required": "Enter your name."}}

    def __init__(self, *args, kept_photo=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_photo = kept_photo
        self.checked_photo = None  # the photo, checked and made square, that this submit saves
        self.fields["bio"].widget.attrs["maxlength"] = 5000
        for name, autocomplete in [
            ("name", "name"),
            ("affiliation", "organization"),
            ("website", "url"),
        ]:
            self.fields[name].widget.attrs["autocomplete"] = autocomplete
        # "Remove my photo" only when there is one: stored, or kept from a preview.
        if not self.instance.photo and kept_photo is None:
            del self.fields["remove_photo"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self._lay_out()

    def _lay_out(self):
        self.helper.layout = Layout(
            "name",
            "pronouns",
            "affiliation",
            "bio",
            "website",
            HTML('{% include "people/includes/profile_photo.html" %}'),
            "photo",
            *(["remove_photo"] if "remove_photo" in self.fields else []),
            "roles",
            "show_roles",
            "is_listed",
        )

    def offer_photo_removal(self):
        """Offer "Remove my photo" for a photo just chosen and kept, as for a stored one."""
        if "remove_photo" not in self.fields:
            self.fields["remove_photo"] = copy.deepcopy(self.base_fields["remove_photo"])
            self._lay_out()

    def clean_bio(self):
        bio = self.cleaned_data["bio"]
        if len(bio) > 5000:
            raise forms.ValidationError("Keep this under 5,000 characters.")
        return bio

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo != self.initial.get("photo"):
            self.checked_photo = photo_process(photo)
        elif self.kept_photo is not None:
            self.checked_photo = self.kept_photo
        return self.checked_photo or photo

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("remove_photo"):
            if self.files.get(self.add_prefix("photo")):
                self.add_error("remove_photo", "Choose a new photo or remove your photo, not both.")
            else:
                # The model field takes False as "no file" (FileField.save_form_data).
                cleaned_data["photo"] = False
        return cleaned_data

    def photo_to_keep(self):
        """After validation: the checked photo a next submit should still save (chosen now,
        or kept from before), or None once the person asks to remove their photo."""
        if self.cleaned_data.get("remove_photo"):
            return None
        return self.checked_photo or self.kept_photo


class ProgrammeItemForm(forms.ModelForm):
    """A speaker edits the title and abstract of their own talk or workshop."""

    class Meta:
        fields = ["title", "abstract"]
        labels = {"title": "Title", "abstract": "Abstract (optional)"}
        help_texts = {"abstract": f"{FORMATTING_HELP} Use “Preview” to see how it will look."}
        widgets = {"abstract": forms.Textarea(attrs={"rows": 10, "maxlength": 10000})}
        error_messages = {"title": {"required": "Enter a title."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_abstract(self):
        abstract = self.cleaned_data["abstract"]
        if len(abstract) > 10000:
            raise forms.ValidationError("Keep this under 10,000 characters.")
        return abstract


class RecordingWishesForm(forms.Form):
    """What a speaker asks of each of their upcoming talks and workshops: not to be recorded,
    not to be photographed.

    The fields are made from the person's own rows only (`links`), so a value posted for
    anyone else's talk is not a field here, and is ignored.
    """

    WISHES = (
        ("do_not_record", "Please do not record this {kind}"),
        ("do_not_photograph", "Please do not photograph me"),
    )

    def __init__(self, *args, links, **kwargs):
        super().__init__(*args, **kwargs)
        self.links = links
        for link in links:
            kind = link.item._meta.verbose_name
            for wish, label in self.WISHES:
                self.fields[self._name(link, wish)] = forms.BooleanField(
                    required=False, initial=getattr(link, wish), label=label.format(kind=kind)
                )

    @staticmethod
    def _name(link, wish):
        return f"{link.item_field}-{link.item.pk}-{wish}"

    @property
    def groups(self):
        """Each item with its own fields, for a fieldset per item."""
        return [
            (link.item, [self[self._name(link, wish)] for wish, _label in self.WISHES])
            for link in self.links
        ]

    def wishes(self):
        """{link: {"do_not_record": bool, "do_not_photograph": bool}}, as posted."""
        return {
            link: {wish: self.cleaned_data[self._name(link, wish)] for wish, _ in self.WISHES}
            for link in self.links
        }
