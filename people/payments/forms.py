"""The contributor's forms (answering an offer, claiming expenses) and the organisers' own."""

import datetime as dt

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from coproseries.text import single_line
from people.payments.models import MAX_ITEM_AMOUNT, ExpenseCategory, ExpenseClaim, InvolvementOffer
from people.payments.receipts import receipt_check

ITEM_ROWS = 5
EARLIEST_EXPENSE = dt.date(2000, 1, 1)


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class OfferAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Your answer",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Please choose an answer.",
            "invalid_choice": "Please choose one of the answers.",
        },
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, offer, **kwargs):
        super().__init__(*args, **kwargs)
        Answer = InvolvementOffer.Answer
        choices = [(Answer.ACCEPTED, "Yes, I accept")]
        if offer.fee:
            choices.append((Answer.VOUCHER, "Yes, I accept the fee as a voucher instead of money"))
        choices.append((Answer.DECLINED, "No, I decline"))
        self.fields["answer"].choices = choices
        if offer.answer != Answer.WAITING and not self.is_bound:
            self.initial["answer"] = offer.answer
        self.initial.setdefault("revision", offer.revision)
        self.helper = _helper()


class ExpenseItemForm(forms.Form):
    """One line of a claim. The first is required; the others count only when filled in."""

    description = forms.CharField(
        label="What it was for",
        max_length=200,
        validators=[single_line],
        help_text="For example “return train, Leeds to York”.",
        error_messages={"required": "Enter what this expense was for."},
    )
    category = forms.ChoiceField(
        label="Kind of expense",
        error_messages={"required": "Choose the kind of expense."},
    )
    amount = forms.DecimalField(
        label="Amount in pounds",
        max_digits=8,
        decimal_places=2,
        help_text="For example 12.50.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": "Enter the amount in pounds, for example 12.50.",
            "invalid": "Enter the amount in pounds as a number, for example 12.50.",
            "max_digits": "That is more than £10,000. Please check the amount.",
            "max_whole_digits": "That is more than £10,000. Please check the amount.",
            "max_decimal_places": "Enter the amount in pounds and pence, for example 12.50.",
        },
    )
    spent_on = forms.DateField(
        label="Date",
        help_text="When you paid it.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the date you paid it.",
            "invalid": "Enter a real date, for example 2030-03-27.",
        },
    )

    def __init__(self, *args, categories, optional=False, **kwargs):
        super().__init__(*args, **kwargs)
        # A blank first choice: a browser sends a select's first option, and an untouched
        # optional row must arrive empty.
        self.fields["category"].choices = [("", "Choose one")] + [
            (category, ExpenseCategory(category).label) for category in categories
        ]
        self.optional = optional
        if optional:
            for field in self.fields.values():
                field.required = False
        self.helper = _helper()

    def clean_amount(self):
        amount = self.cleaned_data.get("amount")
        if amount is None:
            return amount
        if amount <= 0:
            raise forms.ValidationError("The amount must be more than £0.")
        if amount > MAX_ITEM_AMOUNT:
            raise forms.ValidationError(
                "That is more than £10,000. Please check the amount, or talk to the "
                "organisers about a cost this large."
            )
        return amount

    def clean_spent_on(self):
        spent_on = self.cleaned_data.get("spent_on")
        if spent_on and spent_on > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        if spent_on and spent_on < EARLIEST_EXPENSE:
            raise forms.ValidationError("Please check the date: it is a long time ago.")
        return spent_on

    def is_blank(self):
        """An optional row left empty: not an item."""
        return self.optional and not any(
            self.data.get(self.add_prefix(name), "").strip() for name in self.fields
        )

    def clean(self):
        cleaned_data = super().clean()
        if self.optional and not self.is_blank():
            for name, field in self.fields.items():
                if cleaned_data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, field.error_messages["required"])
        return cleaned_data


class ExpenseItemsFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "optional": index > 0}

    def items(self):
        """The filled-in rows, as the services take them."""
        return [
            {name: form.cleaned_data[name] for name in form.fields}
            for form in self.forms
            if not form.is_blank()
        ]


ItemFormSet = forms.formset_factory(
    ExpenseItemForm,
    formset=ExpenseItemsFormSet,
    # The first row is required (min_num: never "empty permitted"), four more are optional.
    min_num=1,
    extra=ITEM_ROWS - 1,
    max_num=ITEM_ROWS,
    absolute_max=ITEM_ROWS,
    validate_max=True,
)


class ClaimForm(forms.Form):
    """The claim around its items: a receipt, a note, and (when amending) what was read."""

    receipt = forms.FileField(
        label="Receipt (optional)",
        required=False,
        help_text="A photo (JPEG, PNG or WebP) or a PDF, up to 10 MB. Several receipts can go "
        "in one PDF.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.pdf"}),
    )
    remove_receipt = forms.BooleanField(label="Remove the receipt I sent before", required=False)
    note = forms.CharField(
        label="Anything the organisers should know (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Please keep this under 2,000 characters."},
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, claim=None, **kwargs):
        super().__init__(*args, **kwargs)
        if claim is None or not claim.receipt:
            del self.fields["remove_receipt"]
        if claim is None:
            del self.fields["revision"]
        else:
            self.initial.setdefault("revision", claim.revision)
            self.initial.setdefault("note", claim.note)
        self.helper = _helper()

    def clean_receipt(self):
        receipt = self.cleaned_data.get("receipt")
        if not receipt:
            return None
        return receipt_check(receipt)


def item_formset(*, offer, data=None, claim=None):
    initial = None
    if claim is not None and data is None:
        initial = [
            {
                "description": item.description,
                "category": item.category,
                "amount": item.amount,
                "spent_on": item.spent_on,
            }
            for item in claim.items.all()
        ]
    formset = ItemFormSet(
        data,
        initial=initial,
        prefix="items",
        form_kwargs={"categories": offer.covered_categories},
    )
    return formset


# The organisers'


class OfferAdminForm(forms.ModelForm):
    class Meta:
        model = InvolvementOffer
        fields = [
            "seminar",
            "person",
            "fee",
            "covers_travel",
            "covers_care",
            "covers_assistant",
            "covers_accommodation",
            "how_to_claim",
            "benefits_advice",
            "fee_paid_on",
        ]
        widgets = {
            "how_to_claim": forms.Textarea(attrs={"rows": 5}),
            "benefits_advice": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned_data = super().clean()
        from people.payments.services import OFFER_TERMS

        paid = self.instance.pk and self.instance.fee_paid_on
        if paid and cleaned_data.get("fee_paid_on") and OFFER_TERMS & set(self.changed_data):
            raise forms.ValidationError(
                "The fee is paid, so the terms of this offer can no longer change. To correct "
                "a mistake, clear “fee paid on” first."
            )
        return cleaned_data


class ClaimReviewForm(forms.ModelForm):
    """The organisers' decision on one claim, on its admin page. Nothing the person wrote is
    a field here: the admin shows it read-only, and the services make the change."""

    DECISIONS = [
        ("", "No change"),
        ("approve", "Approve"),
        ("query", "Query: send it back with a question"),
        ("paid", "Mark as paid"),
    ]
    decision = forms.ChoiceField(choices=DECISIONS, required=False, label="Decision")
    message = forms.CharField(
        label="Question for the person",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For a query: shown on their profile and emailed to them.",
    )
    paid_date = forms.DateField(
        label="Paid on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="For “Mark as paid”: empty means today.",
    )

    # What each decision needs the claim to be, and what it makes of it.
    ALLOWED = {
        "approve": {ExpenseClaim.Status.SUBMITTED},
        "query": {ExpenseClaim.Status.SUBMITTED, ExpenseClaim.Status.APPROVED},
        "paid": {ExpenseClaim.Status.APPROVED},
    }
    DONE = {"approve": "approved", "query": "queried", "paid": "marked as paid"}

    class Meta:
        model = ExpenseClaim
        fields = []

    def clean(self):
        cleaned_data = super().clean()
        decision = cleaned_data.get("decision")
        if decision and self.instance.status not in self.ALLOWED[decision]:
            self.add_error(
                "decision",
                f"This claim is {self.instance.get_status_display().lower()}, so it cannot be "
                f"{self.DONE[decision]} now.",
            )
        if decision == "query" and not cleaned_data.get("message", "").strip():
            self.add_error("message", "Write the question for the person.")
        return cleaned_data
