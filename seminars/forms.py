from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from people.models import Role
from seminars import places
from seminars.about.retention import registration_retention
from seminars.access.models import AccessProvision
from seminars.models import PREFER_NOT_TO_SAY, Registration

PHOTOGRAPH_NOTE = (
    "The organisers will ask anyone taking photographs at the seminar not to photograph you."
)
PRONOUNS_NOTE = "For your name badge, for example she/her or they/them."
DECLINED = "declined"


class InvolvementChoiceIterator(forms.models.ModelChoiceIterator):
    """The roles, then "Prefer not to say": an answer of its own, unlike choosing nothing."""

    def __iter__(self):
        yield from super().__iter__()
        yield (DECLINED, PREFER_NOT_TO_SAY)

    def __len__(self):
        return super().__len__() + 1


class InvolvementField(forms.ModelChoiceField):
    """A role, `DECLINED` for "Prefer not to say", or None when the question was skipped."""

    iterator = InvolvementChoiceIterator

    def to_python(self, value):
        if value == DECLINED:
            return DECLINED
        return super().to_python(value)

    def validate(self, value):
        if value != DECLINED:
            super().validate(value)


def sensitive_note():
    """The hint on access and dietary requirements: who sees them, and for how long (read
    when the form is made, so it follows REGISTRATION_PURGE_DAYS)."""
    return f"Only the organisers see this, to make the day work for you. {registration_retention()}"


def _sensitive_notes(form):
    for name in ["access_requirements", "dietary_requirements"]:
        if name in form.fields:
            form.fields[name].help_text = sensitive_note()
    if "access_needs" in form.fields:
        form.fields["access_needs"].help_text = f"{ACCESS_NEEDS_NOTE} {registration_retention()}"


ACCESS_NEEDS_NOTE = (
    "Tick anything you need to take part; the organisers will tell you what they can "
    "arrange. Only the organisers see this."
)
COMPANION_NOTE = (
    "They do not need to register or give an email address. They take a place in the room "
    "too, so the organisers know to expect them."
)


class AccessNeedsField(forms.ModelMultipleChoiceField):
    """Access needs, ticked from the organisers' vocabulary of provisions."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=AccessProvision.objects.all(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Access needs (optional)",
            help_text=f"{ACCESS_NEEDS_NOTE} {registration_retention()}",
            error_messages={"invalid_choice": "Tick only the access needs listed."},
            **kwargs,
        )

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.description})" if obj.description else obj.name


class WorkshopRadioSelect(forms.RadioSelect):
    """Workshops to choose from; a full one is shown, and cannot be chosen."""

    full = frozenset()

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        if str(option["value"]) in self.full:
            option["attrs"]["disabled"] = True
        return option


def workshop_label(workshop):
    starts, ends = timezone.localtime(workshop.starts_at), timezone.localtime(workshop.ends_at)
    if workshop.places_left is None:
        places = "places available"
    elif workshop.is_full:
        places = "full"
    else:
        places = f"{workshop.places_left} {'place' if workshop.places_left == 1 else 'places'} left"
    return f"{workshop.title} ({starts:%H:%M} to {ends:%H:%M}, {places})"


class RegistrationChoicesMixin:
    """Attendance is asked only when the seminar is hybrid; a workshop only when the seminar
    has parallel workshops with places (`workshops`, from `places.workshop_choices`); a
    companion only when there is a room to bring one to."""

    def _set_up_choices(self, seminar, workshops, current_workshop=None):
        if seminar.is_hybrid:
            self.fields["attendance"].choices = Registration.Attendance.choices
            self.fields["with_companion"].help_text = f"In person only. {COMPANION_NOTE}"
        else:
            del self.fields["attendance"]
        if not places.companion_allowed(seminar, Registration.Attendance.IN_PERSON):
            del self.fields["with_companion"]
        if not workshops:
            del self.fields["workshop"]
            return
        # Plain choices from the workshops already fetched (with their places): a model
        # choice field would fetch them again to draw the radios.
        model_field = self.fields["workshop"]
        self.workshops_by_pk = {str(workshop.pk): workshop for workshop in workshops}
        self.workshops_full = frozenset(
            str(workshop.pk)
            for workshop in workshops
            if workshop.is_full and workshop.pk != current_workshop
        )
        widget = WorkshopRadioSelect()
        widget.full = self.workshops_full
        self.fields["workshop"] = forms.ChoiceField(
            choices=[("", "No workshop")]
            + [(str(workshop.pk), workshop_label(workshop)) for workshop in workshops],
            required=False,
            widget=widget,
            label=model_field.label,
            help_text=model_field.help_text,
            error_messages={"invalid_choice": "Choose one of the workshops listed, or none."},
        )
        if current_workshop is not None:
            self.initial["workshop"] = str(current_workshop)

    def companion_places_hint(self, places_left):
        """Say before anyone ticks the box what happens when the room has one place left
        (`places_left`, from the availability): a companion needs a second."""
        if "with_companion" not in self.fields or places_left != 1:
            return
        if self.seminar.waitlist_enabled:
            outcome = (
                "with a companion or personal assistant you would join the waiting list, and "
                "be offered both places together as soon as two are free"
            )
        else:
            outcome = "there is no room for a companion or personal assistant as well"
        self.fields[
            "with_companion"
        ].help_text = f"Only one place is left in the room: {outcome}. {COMPANION_NOTE}"

    def clean_workshop(self):
        value = self.cleaned_data["workshop"]
        if not value:
            return None
        workshop = self.workshops_by_pk[value]
        if value in self.workshops_full:
            raise forms.ValidationError(
                f"The workshop “{workshop.title}” is full. Choose another, or none."
            )
        return workshop


class RegistrationForm(RegistrationChoicesMixin, forms.ModelForm):
    """Register for a seminar. Attendance is asked only when the seminar is hybrid."""

    role = InvolvementField(
        queryset=Role.objects.all(),
        required=False,
        label="How do you describe your involvement? (optional)",
        empty_label="Choose…",
        help_text="It helps the organisers see whose voices are in the room.",
        error_messages={"invalid_choice": "Choose one of the answers listed, or none."},
    )
    consent = forms.BooleanField(
        required=True,
        # No `required` attribute (see __init__): browsers would call the untouched box
        # "invalid" at once. Its hint says it is required, in words.
        help_text="You need to agree to register.",
        error_messages={"required": "Tick the box to agree to how your details are used."},
    )
    access_needs = AccessNeedsField()
    # A honeypot: hidden from people (by CSS and from assistive technology), filled by bots.
    homepage = forms.CharField(required=False, label="Leave this field empty")

    class Meta:
        model = Registration
        fields = [
            "name",
            "email",
            "pronouns",
            "organisation",
            "role",
            "attendance",
            "workshop",
            "with_companion",
            "access_needs",
            "access_requirements",
            "dietary_requirements",
            "do_not_photograph",
        ]
        labels = {
            "name": "Your name",
            "email": "Email address",
            "pronouns": "Pronouns (optional)",
            "organisation": "Organisation (optional)",
            "attendance": "How will you attend?",
            "workshop": "Which workshop would you like to join? (optional)",
            "with_companion": "I will bring a companion or personal assistant",
            "access_requirements": "Access requirements (optional)",
            "dietary_requirements": "Dietary requirements (optional)",
            "do_not_photograph": "I do not want to be photographed",
        }
        help_texts = {
            "email": "We send your confirmation and a private link to manage your place here.",
            "pronouns": PRONOUNS_NOTE,
            "workshop": "The workshops run at the same time. You can change this later.",
            "with_companion": COMPANION_NOTE,
            "do_not_photograph": PHOTOGRAPH_NOTE,
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "attendance": forms.RadioSelect,
            "workshop": WorkshopRadioSelect,
            "access_requirements": forms.Textarea(attrs={"rows": 3}),
            "dietary_requirements": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "name": {"required": "Enter your name."},
            "email": {
                "required": "Enter your email address.",
                "invalid": "Enter an email address like name@example.org.",
            },
        }

    def __init__(self, *args, seminar, workshops=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.seminar = seminar
        self.fields["consent"].label = format_html(
            "I agree that the organisers may use these details to run this seminar, as the "
            '<a href="{}">privacy notice</a> explains.',
            reverse("seminars:privacy"),
        )
        self.fields["consent"].widget.use_required_attribute = lambda initial: False
        self.fields["homepage"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        _sensitive_notes(self)
        self._set_up_choices(seminar, workshops)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The page's form carries the token, filled in for each visitor (the page cache).
        self.helper.disable_csrf = True
        visible = [name for name in self.fields if name != "homepage"]
        self.helper.layout = Layout(*visible, Div("homepage", css_class="d-none"))

    def clean_role(self):
        # "Prefer not to say" is stored as no role and `role_declined` (registration_fields).
        self.role_declined = self.cleaned_data["role"] == DECLINED
        return None if self.role_declined else self.cleaned_data["role"]

    def clean_homepage(self):
        if self.cleaned_data["homepage"]:
            raise forms.ValidationError("Leave this field empty.")
        return ""

    def registration_fields(self):
        """The cleaned values the registration service takes."""
        data = self.cleaned_data
        attendance = data.get("attendance") or self.seminar.only_attendance
        return {
            "name": data["name"],
            "email": data["email"],
            "pronouns": data["pronouns"],
            "organisation": data["organisation"],
            "role": data["role"],
            "role_declined": self.role_declined,
            "access_requirements": data["access_requirements"],
            "dietary_requirements": data["dietary_requirements"],
            "attendance": attendance,
            "workshop": data.get("workshop"),
            "do_not_photograph": data["do_not_photograph"],
            "access_needs": list(data["access_needs"]),
            "with_companion": data.get("with_companion", False),
        }


class RegistrationDetailsForm(RegistrationChoicesMixin, forms.ModelForm):
    """A registrant changes their details through their private link: the registration
    form's own fields, labels and messages."""

    class Meta:
        model = Registration
        fields = [
            "pronouns",
            "organisation",
            "attendance",
            "workshop",
            "with_companion",
            "access_requirements",
            "dietary_requirements",
            "do_not_photograph",
        ]
        labels = RegistrationForm.Meta.labels
        help_texts = {
            "pronouns": PRONOUNS_NOTE,
            "do_not_photograph": PHOTOGRAPH_NOTE,
            "attendance": "Changing needs a free place: if there is none, nothing changes.",
            "workshop": RegistrationForm.Meta.help_texts["workshop"],
            "with_companion": COMPANION_NOTE,
        }
        widgets = RegistrationForm.Meta.widgets

    def __init__(self, *args, seminar, workshops=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.seminar = seminar
        # The needs ticked so far, from the annotation the private pages load
        # (`with_access_needs`): the model form would fetch them with a query of its own.
        self.fields["access_needs"] = AccessNeedsField()
        self.order_fields([*self._meta.fields[:5], "access_needs"])
        self.initial["access_needs"] = [need.pk for need in self.instance.access_need_list]
        _sensitive_notes(self)
        self._set_up_choices(seminar, workshops, current_workshop=self.instance.workshop_id)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def details_fields(self):
        """The cleaned values the details service takes: only the questions asked."""
        data = self.cleaned_data
        fields = {
            "pronouns": data["pronouns"],
            "organisation": data["organisation"],
            "access_requirements": data["access_requirements"],
            "dietary_requirements": data["dietary_requirements"],
            "do_not_photograph": data["do_not_photograph"],
            "attendance": data.get("attendance"),
            "access_needs": list(data["access_needs"]),
        }
        if "with_companion" in self.fields:
            fields["with_companion"] = data["with_companion"]
        if "workshop" in self.fields:
            fields["workshop"] = data["workshop"]
        return fields
