"""The organisers' side of payments: offers (with the finance CSV) and claims to review.

Offers are saved, and claims decided, through the services, so that the person is emailed
and nothing they wrote is overwritten by a form opened before they wrote it.
"""

from decimal import Decimal

from django.contrib import admin, messages
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify

from people.payments import selectors, services
from people.payments.emails import person_address
from people.payments.forms import ClaimReviewForm, OfferAdminForm
from people.payments.models import ExpenseClaim, ExpenseItem, InvolvementOffer

PENCE = Decimal("0.01")


def _plural(count, one, many):
    return f"{count} {one if count == 1 else many}"


@admin.register(InvolvementOffer)
class InvolvementOfferAdmin(admin.ModelAdmin):
    form = OfferAdminForm
    view_on_site = False  # the page is the person's own: organisers would get a 404
    list_display = [
        "person", "seminar", "fee", "expenses", "answer", "answered_at", "fee_paid_on",
        "claim_count",
    ]  # fmt: skip
    list_filter = [
        ("seminar", admin.RelatedOnlyFieldListFilter),
        "answer",
        ("fee_paid_on", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["person", "seminar"]
    search_fields = ["person__name", "seminar__title"]
    autocomplete_fields = ["seminar", "person"]
    actions = ["email_selected", "download_finance_csv"]
    readonly_fields = ["answer", "answered_at", "sent_at", "claims_link"]
    fieldsets = (
        (None, {"fields": ("seminar", "person")}),
        (
            "The offer",
            {
                "description": "Saving a new offer, or new terms, emails the person and asks "
                "them to answer on their profile (an answer to earlier terms is cleared). Do "
                "not ask for bank details on this site: it stores none.",
                "fields": (
                    "fee",
                    ("covers_travel", "covers_care", "covers_assistant", "covers_accommodation"),
                    "how_to_claim",
                    "benefits_advice",
                ),
            },
        ),
        (
            "Answer and payment",
            {"fields": ("answer", "answered_at", "fee_paid_on", "sent_at", "claims_link")},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claims_total=Count("claims"))

    def get_readonly_fields(self, request, obj=None):
        # An answer and claims belong to one person and one seminar: make a new offer instead.
        if obj is not None:
            return ["seminar", "person", *self.readonly_fields]
        return self.readonly_fields

    @admin.display(description="expenses covered")
    def expenses(self, offer):
        return ", ".join(category.label.split(" (")[0] for category in offer.covered_categories)

    @admin.display(description="claims", ordering="claims_total")
    def claim_count(self, offer):
        return offer.claims_total

    @admin.display(description="expense claims")
    def claims_link(self, offer):
        if offer.pk is None:
            return "None yet."
        url = reverse("admin:people_expenseclaim_changelist") + f"?offer__id__exact={offer.pk}"
        return format_html(
            '<a href="{}">{}</a>', url, _plural(offer.claims.count(), "claim", "claims")
        )

    def save_model(self, request, obj, form, change):
        emailed = services.offer_save(offer=obj, changed_fields=form.changed_data)
        person = obj.person
        if emailed:
            self.message_user(request, f"The offer was emailed to {person.name}.", messages.SUCCESS)
        elif not person_address(person) and (
            not change or services.OFFER_TERMS & set(form.changed_data)
        ):
            self.message_user(
                request,
                f"{person.name} has no email address: tell them about the offer yourself.",
                messages.WARNING,
            )
        if person.user_id is None:
            self.message_user(
                request,
                f"{person.name} has no login yet: invite them (on their page under People) so "
                "that they can answer on their profile.",
                messages.WARNING,
            )

    @admin.action(
        description="Email the selected offers to their people again", permissions=["change"]
    )
    def email_selected(self, request, queryset):
        sent, missing = 0, []
        for offer in queryset.select_related("person__user", "seminar__series"):
            if services.offer_email(offer=offer):
                sent += 1
            else:
                missing.append(offer.person.name)
        self.message_user(request, f"Emailed {_plural(sent, 'offer', 'offers')}.", messages.SUCCESS)
        if missing:
            self.message_user(
                request, f"No email address for {', '.join(missing)}.", messages.WARNING
            )

    @admin.action(
        description="Download the finance CSV (fees and approved claims) of the selected offers",
        permissions=["view"],
    )
    def download_finance_csv(self, request, queryset):
        seminars = set(queryset.values_list("seminar__slug", flat=True))
        if len(seminars) != 1:
            self.message_user(
                request,
                "Choose the offers of one seminar: the file is named after it. Filter the "
                "list by seminar, then select all.",
                messages.WARNING,
            )
            return None
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"finance-{slugify(seminars.pop())}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        selectors.finance_csv_write(offers=queryset, stream=response)
        return response


class ExpenseItemInline(admin.TabularInline):
    model = ExpenseItem
    fields = ["category", "description", "amount", "spent_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExpenseClaim)
class ExpenseClaimAdmin(admin.ModelAdmin):
    """Claims are made by contributors on their profile; here organisers decide on them."""

    form = ClaimReviewForm
    view_on_site = False  # the page is the person's own: organisers would get a 404
    list_display = [
        "__str__",
        "seminar",
        "total",
        "status",
        "submitted_at",
        "paid_on",
        "has_receipt",
    ]
    list_filter = ["status", ("offer__seminar", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["offer__person", "offer__seminar"]
    search_fields = ["offer__person__name", "offer__seminar__title"]
    date_hierarchy = "submitted_at"
    inlines = [ExpenseItemInline]
    actions = ["approve_selected", "mark_paid_today"]
    readonly_fields = [
        "offer", "status", "total", "receipt_link", "note", "submitted_at", "query",
        "queried_at", "approved_at", "paid_on", "decided_by",
    ]  # fmt: skip
    fieldsets = (
        (None, {"fields": ("offer", "status", "total", "receipt_link", "note", "submitted_at")}),
        (
            "Your decision",
            {
                "description": "Approve the claim, or query it: the person sees your question "
                "on their profile (and by email), and can change and resubmit the claim. Once "
                "paid, mark it as paid with the date. No bank details are kept here.",
                "fields": ("decision", "message", "paid_date"),
            },
        ),
        ("History", {"fields": ("query", "queried_at", "approved_at", "paid_on", "decided_by")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(items_total=Sum("items__amount"))

    def has_add_permission(self, request):
        return False

    @admin.display(description="seminar", ordering="offer__seminar__starts_at")
    def seminar(self, claim):
        return claim.offer.seminar

    @admin.display(description="total (£)", ordering="items_total")
    def total(self, claim):
        # SQLite sums decimals as floats: back to pounds and pence.
        return None if claim.items_total is None else Decimal(claim.items_total).quantize(PENCE)

    @admin.display(description="receipt", boolean=True)
    def has_receipt(self, claim):
        return bool(claim.receipt)

    @admin.display(description="receipt")
    def receipt_link(self, claim):
        if claim.receipt:
            url = reverse("people:claim_receipt", kwargs={"pk": claim.pk})
            return format_html('<a href="{}">Download the receipt</a>', url)
        if claim.receipt_deleted_at:
            deleted = timezone.localtime(claim.receipt_deleted_at)
            return f"Deleted on {deleted:%d %b %Y}, after the retention period."
        return "None sent."

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        try:
            if decision == "approve":
                services.claim_approve(claim=obj, by=request.user)
            elif decision == "query":
                services.claim_query(
                    claim=obj, by=request.user, message=form.cleaned_data["message"]
                )
            elif decision == "paid":
                paid_on = form.cleaned_data.get("paid_date") or timezone.localdate()
                services.claim_mark_paid(claim=obj, by=request.user, paid_on=paid_on)
        except services.PaymentError as error:
            self.message_user(request, str(error), messages.ERROR)

    def delete_model(self, request, obj):
        services.claim_delete(claim=obj)

    def delete_queryset(self, request, queryset):
        for claim in queryset:
            services.claim_delete(claim=claim)

    @admin.action(description="Approve selected claims", permissions=["change"])
    def approve_selected(self, request, queryset):
        self._decide(request, queryset, services.claim_approve, "Approved")

    @admin.action(description="Mark selected approved claims as paid today", permissions=["change"])
    def mark_paid_today(self, request, queryset):
        today = timezone.localdate()
        self._decide(
            request,
            queryset,
            lambda claim, by: services.claim_mark_paid(claim=claim, by=by, paid_on=today),
            "Marked as paid",
        )

    def _decide(self, request, queryset, decide, done):
        count, refused = 0, []
        for claim in queryset:
            try:
                decide(claim=claim, by=request.user)
            except services.PaymentError as error:
                refused.append(str(error))
            else:
                count += 1
        self.message_user(
            request, f"{done}: {_plural(count, 'claim', 'claims')}.", messages.SUCCESS
        )
        for message in refused:
            self.message_user(request, message, messages.WARNING)
