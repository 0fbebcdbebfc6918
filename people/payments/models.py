"""Involvement payments: an organiser's offer to a contributor for one seminar, and the
contributor's expense claims against it.

Imported by people/models.py, so the models belong to the `people` app. Amounts are in
pounds (GBP). No bank details are ever stored: organisers arrange payment outside the site.
"""

from decimal import Decimal

from django.conf import settings
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from coproseries.text import single_line

MAX_FEE = Decimal("10000.00")
MAX_ITEM_AMOUNT = Decimal("10000.00")


def receipt_storage():
    """The private storage (coproseries/storage.py): never a public URL."""
    return storages["private"]


class ExpenseCategory(models.TextChoices):
    """What an offer may cover, each with the offer's field that says whether it does."""

    TRAVEL = "travel", "Travel"
    CARE = "care", "Care (someone to look after a person you care for)"
    ASSISTANT = "assistant", "A personal assistant"
    ACCOMMODATION = "accommodation", "Accommodation"


OFFER_COVER_FIELDS = {
    ExpenseCategory.TRAVEL: "covers_travel",
    ExpenseCategory.CARE: "covers_care",
    ExpenseCategory.ASSISTANT: "covers_assistant",
    ExpenseCategory.ACCOMMODATION: "covers_accommodation",
}


class InvolvementOffer(models.Model):
    """What the organisers offer one person for their part in one seminar, in writing."""

    class Answer(models.TextChoices):
        WAITING = "waiting", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        VOUCHER = "voucher", "Accepted as a voucher"
        DECLINED = "declined", "Declined"

    seminar = models.ForeignKey(
        "seminars.Seminar", on_delete=models.PROTECT, related_name="involvement_offers"
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="involvement_offers",
        help_text="Usually someone who speaks or facilitates at the seminar; anyone may be "
        "offered payment for their part.",
    )
    fee = models.DecimalField(
        "fee (£)",
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0.00")), MaxValueValidator(MAX_FEE)],
        help_text="For their time, in pounds. 0 when you offer expenses only.",
    )
    covers_travel = models.BooleanField("travel", default=True)
    covers_care = models.BooleanField(
        "care", default=False, help_text="Someone to look after a person they care for."
    )
    covers_assistant = models.BooleanField("a personal assistant", default=False)
    covers_accommodation = models.BooleanField("accommodation", default=False)
    how_to_claim = models.TextField(
        "how to claim",
        help_text="Shown to the person, in Markdown: what to keep, when to claim, how and "
        "when they will be paid. Never ask for bank details on this site.",
    )
    benefits_advice = models.TextField(
        "where to get advice about benefits",
        blank=True,
        help_text="Shown to the person, in Markdown: who can advise them on how a payment "
        "affects their benefits. Empty: a general sentence asking them to get advice.",
    )
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.WAITING)
    answered_at = models.DateTimeField("answered at", null=True, blank=True)
    fee_paid_on = models.DateField(
        "fee paid on",
        null=True,
        blank=True,
        help_text="Once set, the person can no longer change their answer.",
    )
    # Raised whenever the terms change, so that an answer to older terms is refused.
    revision = models.PositiveIntegerField(default=1, editable=False)
    sent_at = models.DateTimeField("last emailed at", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "payment offer"
        verbose_name_plural = "payment offers"
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "person"], name="involvement_offer_one_per_person_and_seminar"
            ),
            models.CheckConstraint(
                condition=models.Q(fee__gte=0) & models.Q(fee__lte=MAX_FEE),
                name="involvement_offer_fee_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(answer="waiting") | models.Q(answered_at__isnull=False),
                name="involvement_offer_answer_has_a_date",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.seminar}"

    def get_absolute_url(self):
        return reverse("people:offer_detail", kwargs={"pk": self.pk})

    @property
    def covered_categories(self):
        """The expense categories this offer covers, in the vocabulary's order."""
        return [category for category, field in OFFER_COVER_FIELDS.items() if getattr(self, field)]

    @property
    def is_accepted(self):
        return self.answer in {self.Answer.ACCEPTED, self.Answer.VOUCHER}

    @property
    def accepts_claims(self):
        return self.is_accepted and bool(self.covered_categories)


class ExpenseClaim(models.Model):
    """A contributor's claim for what their part cost them, with an optional receipt."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        QUERIED = "queried", "Queried"
        APPROVED = "approved", "Approved"
        PAID = "paid", "Paid"

    offer = models.ForeignKey(InvolvementOffer, on_delete=models.PROTECT, related_name="claims")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    note = models.TextField("note from the person", blank=True)
    receipt = models.FileField(storage=receipt_storage, upload_to="receipts/", blank=True)
    receipt_type = models.CharField(max_length=40, blank=True, editable=False)
    receipt_deleted_at = models.DateTimeField(
        "receipt deleted at", null=True, blank=True, editable=False
    )
    query = models.TextField(
        "question for the person",
        blank=True,
        help_text="Shown to them on their profile, where they can change and resubmit it.",
    )
    submitted_at = models.DateTimeField("submitted at")
    queried_at = models.DateTimeField("queried at", null=True, blank=True)
    approved_at = models.DateTimeField("approved at", null=True, blank=True)
    paid_on = models.DateField("paid on", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="last organiser to act",
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = "expense claim"
        verbose_name_plural = "expense claims"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="paid") | models.Q(paid_on__isnull=False),
                name="expense_claim_paid_has_a_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="queried") | ~models.Q(query=""),
                name="expense_claim_query_has_a_message",
            ),
        ]

    def __str__(self):
        return f"Expense claim {self.pk} ({self.offer.person})"

    def get_absolute_url(self):
        return reverse("people:claim_detail", kwargs={"pk": self.pk})

    @property
    def can_be_amended(self):
        return self.status == self.Status.QUERIED


class ExpenseItem(models.Model):
    """One line of a claim: what it was, what it cost, when."""

    claim = models.ForeignKey(ExpenseClaim, on_delete=models.CASCADE, related_name="items")
    category = models.CharField("kind", max_length=20, choices=ExpenseCategory.choices)
    description = models.CharField("what it was for", max_length=200, validators=[single_line])
    amount = models.DecimalField(
        "amount (£)",
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_ITEM_AMOUNT)],
    )
    spent_on = models.DateField("date")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["claim", "position", "pk"]
        verbose_name = "expense item"
        verbose_name_plural = "expense items"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0) & models.Q(amount__lte=MAX_ITEM_AMOUNT),
                name="expense_item_amount_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.description}: £{self.amount}"
