from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms

from seminars.feedback.models import ANSWER_MAX_LENGTH, Answer

TOO_LONG = (
    "Shorten this to %(limit_value)d characters or fewer: it has %(show_value)d. Nothing has "
    "been sent yet."
)


def _answer_field(label, help_text=""):
    return forms.ChoiceField(
        label=label,
        choices=Answer.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"invalid_choice": "Choose yes, partly or no, or none."},
    )


def _text_field(label, help_text="", rows=4):
    return forms.CharField(
        label=label,
        required=False,
        max_length=ANSWER_MAX_LENGTH,
        strip=True,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": TOO_LONG},
    )


class FeedbackForm(forms.Form):
    """The feedback form: fixed questions, the organisers' own question when they wrote one,
    a comment about one talk when the seminar had talks, and the choice to stay anonymous.
    Every answer is optional."""

    accessible = _answer_field(
        "Was the seminar accessible to you? (optional)",
        "Getting there and in, the rooms or the online link, the pace, the breaks.",
    )
    heard = _answer_field("Did you feel heard? (optional)")
    differently = _text_field("What will you do differently after this seminar? (optional)")
    organiser_answer = _text_field("")
    comment = _text_field("Anything else you would like to tell the organisers? (optional)")
    talk = forms.ChoiceField(label="Which talk? (optional)", required=False)
    talk_comment = _text_field(
        "Your comment for its speakers (optional)",
        "An organiser reads it first. The speakers see it only if an organiser approves it, "
        "and never with your name.",
        rows=3,
    )
    anonymous = forms.BooleanField(label="Send anonymously", required=False)

    def __init__(self, *args, question, talks, role_name, **kwargs):
        super().__init__(*args, **kwargs)
        layout = ["accessible", "heard", "differently"]
        if question:
            self.fields["organiser_answer"].label = f"{question} (optional)"
            layout.append("organiser_answer")
        else:
            del self.fields["organiser_answer"]
        layout.append("comment")
        self.talks_by_pk = {str(talk.pk): talk for talk in talks}
        if talks:
            self.fields["talk"].choices = [("", "No talk chosen")] + [
                (str(talk.pk), _talk_label(talk)) for talk in talks
            ]
            self.fields["talk"].error_messages["invalid_choice"] = "Choose one of the talks listed."
            layout.append(Fieldset("A comment about a talk (optional)", "talk", "talk_comment"))
        else:
            del self.fields["talk"], self.fields["talk_comment"]
        involvement = f"“{role_name}”" if role_name else "that you did not say"
        self.fields["anonymous"].help_text = (
            "Your answers are then kept with no name and no link to your registration. Only "
            f"how you described your involvement when you registered ({involvement}) is "
            "kept, for counts the organisers see in groups of 5 or more. Leave it unticked and "
            "the organisers can see your answers with your registration, so they can reply."
        )
        layout.append("anonymous")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout)

    def clean(self):
        data = super().clean()
        if data.get("talk_comment") and not data.get("talk") and "talk" not in self.errors:
            self.add_error("talk", "Choose the talk your comment is about.")
        return data

    def response_fields(self):
        """The cleaned answers, as the feedback service takes them."""
        data = self.cleaned_data
        return {
            "anonymous": data["anonymous"],
            "accessible": data["accessible"],
            "heard": data["heard"],
            "differently": data["differently"],
            "organiser_answer": data.get("organiser_answer", ""),
            "comment": data["comment"],
            "talk": self.talks_by_pk.get(data.get("talk") or ""),
            "talk_comment": data.get("talk_comment", ""),
        }


def _talk_label(talk):
    names = ", ".join(person.name for person in talk.people)
    return f"{talk.title} ({names})" if names else talk.title
