"""Following the series by email: subscribe, confirm, unsubscribe. No account needed.

The subscribe form also sits on the home and seminar list pages, which are served to every
visitor from the page cache: it carries no CSRF token (a token would tie the cached page to
one visitor), so the view is exempt. A forged subscription achieves nothing: it only sends
a confirmation link to the address, which the forger could ask for directly.
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView

from coproseries.ratelimit import rate_limit_exceeded
from seminars.subscriptions import services
from seminars.subscriptions.forms import SubscribeForm
from seminars.subscriptions.models import Subscriber


@method_decorator(csrf_exempt, name="dispatch")
class SubscribeView(FormView):
    template_name = "seminars/subscribe.html"
    form_class = SubscribeForm

    def post(self, request, *args, **kwargs):
        if rate_limit_exceeded(
            request,
            scope="subscribe",
            limit=settings.REGISTRATION_RATE_LIMIT,
            window=settings.REGISTRATION_RATE_WINDOW,
        ):
            return render(request, "429.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        services.subscriber_subscribe(email=form.cleaned_data["email"])
        return redirect("seminars:subscribe_sent")


class SubscribeSentView(TemplateView):
    """The same page for a new address and one already subscribed: nothing to probe."""

    template_name = "seminars/subscribe_sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, confirm_days=settings.SUBSCRIPTION_CONFIRM_DAYS)


def _private(response):
    """Pages behind a subscriber's link, like a registrant's: never cached or indexed, and
    the token never sent on in a Referer header."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _link_not_found(request):
    return render(
        request,
        "seminars/subscription_link_unknown.html",
        {"confirm_days": settings.SUBSCRIPTION_CONFIRM_DAYS},
        status=404,
    )


class SubscriptionConfirmView(View):
    """GET asks to confirm (so that a mail scanner opening the link confirms nothing);
    POST confirms."""

    def dispatch(self, request, *args, **kwargs):
        return _private(super().dispatch(request, *args, **kwargs))

    def get(self, request, token):
        subscriber = Subscriber.objects.with_token(token)
        if subscriber is None:
            return _link_not_found(request)
        return render(request, "seminars/subscription_confirm.html", {"subscriber": subscriber})

    def post(self, request, token):
        subscriber = Subscriber.objects.with_token(token)
        if subscriber is None:
            return _link_not_found(request)
        services.subscriber_confirm(subscriber=subscriber)
        return render(request, "seminars/subscription_confirmed.html", {"subscriber": subscriber})


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """GET asks to confirm; POST unsubscribes, with no CSRF token: mail clients' one-click
    unsubscribe (RFC 8058) POSTs `List-Unsubscribe=One-Click` here with no cookies."""

    def dispatch(self, request, *args, **kwargs):
        return _private(super().dispatch(request, *args, **kwargs))

    def get(self, request, token):
        subscriber = Subscriber.objects.with_token(token)
        if subscriber is None:
            return _link_not_found(request)
        return render(request, "seminars/unsubscribe.html", {"subscriber": subscriber})

    def post(self, request, token):
        subscriber = Subscriber.objects.with_token(token)
        if subscriber is None:
            return _link_not_found(request)
        services.subscriber_unsubscribe(subscriber=subscriber)
        return render(request, "seminars/unsubscribed.html")
