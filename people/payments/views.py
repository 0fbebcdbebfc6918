"""The contributor's pages: their offer and answer, their claims, their receipts.

No URL names a person: every page finds its offer or claim among the logged-in person's own,
so anyone else's answers 404. Receipts go to the claimant and to organisers allowed to see
claims, as downloads only.
"""

import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from coproseries.storage import STORAGE_ERRORS, storage_error_reason
from people.payments import selectors, services
from people.payments.forms import ClaimForm, OfferAnswerForm, item_formset
from people.payments.models import ExpenseClaim
from people.payments.receipts import receipt_response

logger = logging.getLogger(__name__)

STORAGE_FAILED = (
    "We could not store your receipt just now, so nothing was saved. Please try again in a "
    "few minutes."
)


def _offer_claims(offer):
    return list(selectors.claims_with_totals().filter(offer=offer))


class OfferDetailView(LoginRequiredMixin, View):
    """One offer, written plainly, with the answer form and the claims made against it."""

    template_name = "people/payments/offer_detail.html"

    def _render(self, request, offer, form, status=200, problem=""):
        context = {
            "offer": offer,
            "form": form,
            "claims": _offer_claims(offer),
            "problem": problem,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        offer = get_object_or_404(selectors.own_offers(request.user), pk=pk)
        return self._render(request, offer, OfferAnswerForm(offer=offer))

    def post(self, request, pk):
        offer = get_object_or_404(selectors.own_offers(request.user), pk=pk)
        form = OfferAnswerForm(request.POST, offer=offer)
        if not form.is_valid():
            return self._render(request, offer, form, status=400)
        try:
            services.offer_answer(
                offer=offer,
                answer=form.cleaned_data["answer"],
                revision=form.cleaned_data["revision"],
            )
        except services.PaymentError as error:
            # The offer as it stands now, with why nothing was saved.
            offer = get_object_or_404(selectors.own_offers(request.user), pk=pk)
            return self._render(
                request,
                offer,
                OfferAnswerForm(offer=offer),
                status=error.status,
                problem=str(error),
            )
        messages.success(request, "Thank you: your answer is saved.")
        return redirect(offer.get_absolute_url())


class ClaimFormMixin:
    template_name = "people/payments/claim_form.html"

    def _render(self, request, *, offer, form, formset, claim=None, status=200):
        context = {"offer": offer, "form": form, "formset": formset, "claim": claim}
        return render(request, self.template_name, context, status=status)

    def _refused(self, request, *, offer, claim, message, status):
        context = {"offer": offer, "claim": claim, "refused": message}
        return render(request, self.template_name, context, status=status)


class ClaimCreateView(LoginRequiredMixin, ClaimFormMixin, View):
    def _offer(self, request, pk):
        return get_object_or_404(selectors.own_offers(request.user), pk=pk)

    def _unavailable(self, offer):
        if not offer.is_accepted:
            return "You can claim expenses once you have accepted the offer."
        if not offer.covered_categories:
            return "This offer does not cover expenses. Please contact the organisers."
        return None

    def get(self, request, pk):
        offer = self._offer(request, pk)
        if message := self._unavailable(offer):
            return self._refused(request, offer=offer, claim=None, message=message, status=409)
        return self._render(
            request, offer=offer, form=ClaimForm(), formset=item_formset(offer=offer)
        )

    def post(self, request, pk):
        offer = self._offer(request, pk)
        if message := self._unavailable(offer):
            return self._refused(request, offer=offer, claim=None, message=message, status=409)
        form = ClaimForm(request.POST, request.FILES)
        formset = item_formset(offer=offer, data=request.POST)
        if not (form.is_valid() & formset.is_valid()):
            return self._render(request, offer=offer, form=form, formset=formset, status=400)
        try:
            claim = services.claim_create(
                offer=offer,
                items=formset.items(),
                receipt=form.cleaned_data["receipt"],
                note=form.cleaned_data["note"],
            )
        except services.PaymentError as error:
            form.add_error(None, str(error))
            return self._render(
                request, offer=offer, form=form, formset=formset, status=error.status
            )
        except services.ReceiptNotStored:
            form.add_error("receipt", STORAGE_FAILED)
            return self._render(request, offer=offer, form=form, formset=formset, status=503)
        messages.success(request, "Thank you: your claim is sent to the organisers.")
        return redirect(claim.get_absolute_url())


class ClaimDetailView(LoginRequiredMixin, ClaimFormMixin, View):
    """A claim as it stands; once queried, the form to change and resubmit it."""

    detail_template = "people/payments/claim_detail.html"

    def _claim(self, request, pk):
        claims = (
            selectors.own_claims(request.user)
            .annotate(total=Sum("items__amount"))
            .prefetch_related("items")
        )
        return get_object_or_404(claims, pk=pk)

    def _detail(self, request, claim, *, form=None, formset=None, status=200, problem=""):
        if claim.can_be_amended and form is None:
            form = ClaimForm(claim=claim)
            formset = item_formset(offer=claim.offer, claim=claim)
        context = {
            "claim": claim,
            "offer": claim.offer,
            "form": form,
            "formset": formset,
            "problem": problem,
        }
        return render(request, self.detail_template, context, status=status)

    def get(self, request, pk):
        return self._detail(request, self._claim(request, pk))

    def post(self, request, pk):
        claim = self._claim(request, pk)
        form = ClaimForm(request.POST, request.FILES, claim=claim)
        formset = item_formset(offer=claim.offer, data=request.POST)
        if not claim.can_be_amended:
            problem = (
                "This claim is with the organisers, so it cannot be changed here. Nothing "
                "was saved."
            )
            return self._detail(request, claim, status=409, problem=problem)
        if not (form.is_valid() & formset.is_valid()):
            return self._detail(request, claim, form=form, formset=formset, status=400)
        try:
            services.claim_resubmit(
                claim=claim,
                revision=form.cleaned_data["revision"],
                items=formset.items(),
                receipt=form.cleaned_data["receipt"],
                remove_receipt=form.cleaned_data.get("remove_receipt", False),
                note=form.cleaned_data["note"],
            )
        except services.PaymentError as error:
            # The claim as it stands now, with why nothing was saved.
            claim = self._claim(request, pk)
            return self._detail(request, claim, status=error.status, problem=str(error))
        except services.ReceiptNotStored:
            form.add_error("receipt", STORAGE_FAILED)
            return self._detail(request, claim, form=form, formset=formset, status=503)
        messages.success(request, "Thank you: your changed claim is sent to the organisers.")
        return redirect(claim.get_absolute_url())


class ReceiptView(LoginRequiredMixin, View):
    """A receipt, to its claimant or to organisers allowed to see claims; 404 to anyone else."""

    def get(self, request, pk):
        claims = ExpenseClaim.objects.select_related("offer__person")
        claim = get_object_or_404(claims, pk=pk)
        is_claimant = claim.offer.person.user_id == request.user.pk
        is_organiser = request.user.is_staff and request.user.has_perm("people.view_expenseclaim")
        if not (is_claimant or is_organiser) or not claim.receipt:
            raise Http404("No receipt here.")
        try:
            return receipt_response(claim)
        except FileNotFoundError as error:
            raise Http404("No receipt here.") from error
        except STORAGE_ERRORS as error:
            logger.error("A receipt could not be read: %s", storage_error_reason(error))
            response = HttpResponse(
                "The receipt cannot be fetched just now. Please try again in a few minutes.",
                status=503,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = "120"
            return response
