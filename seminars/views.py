import copy

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import conditional_page
from django.views.generic import DetailView, FormView, ListView, TemplateView

from coproseries import pagecache
from coproseries.ratelimit import rate_limit_exceeded, too_many_requests
from seminars import (
    fragments,
    freshness,
    places,
    search,
    selectors,
    services,
    structured_data,
)
from seminars.access.selectors import with_access_needs
from seminars.calendar import seminar_ics, seminars_calendar_written
from seminars.certificates.selectors import certificate_availability
from seminars.feedback.selectors import registration_feedback_data, registration_feedback_state
from seminars.forms import RegistrationDetailsForm, RegistrationForm
from seminars.identity import series_identity
from seminars.models import Recap, Registration, Seminar

PUBLIC_STATUSES = [Seminar.Status.PUBLISHED, Seminar.Status.CANCELLED]


class HomeView(TemplateView):
    template_name = "seminars/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs, **selectors.home_context())
        if context["next_seminar"]:
            freshness.shows_availability(context["next_seminar"], context["next_availability"])
        return context


class SeminarListView(ListView):
    """Upcoming seminars, then the past ones a page at a time."""

    template_name = "seminars/seminar_list.html"
    context_object_name = "past"
    paginate_by = 20

    def get_queryset(self):
        return selectors.seminar_list_past()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, upcoming=selectors.seminar_list_upcoming())


class DraftPreviewMixin:
    """Organisers (staff who may view the model in the admin) see a draft on its public
    address, under a "Preview: not public" banner; everyone else gets 404 as before.

    A preview is never cached: the page cache neither serves nor stores pages for a visitor
    with a session (a login), and the preview itself is marked private and no-store, and not
    for search engines.
    """

    preview_model = ""  # "seminar" or "recap", set by the views

    def may_preview(self):
        user = self.request.user
        if not (user.is_staff and user.is_active):
            return False
        # As in the admin, a permission to change includes one to view.
        return user.has_perm(f"seminars.view_{self.preview_model}") or user.has_perm(
            f"seminars.change_{self.preview_model}"
        )

    def is_public(self, obj):
        raise NotImplementedError

    def preview_reason(self, obj):
        return f"This {self.preview_model} is a draft."

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.preview:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        self.preview = not self.is_public(obj)
        return obj

    def get_context_data(self, **kwargs):
        reason = self.preview_reason(self.object) if self.preview else ""
        return super().get_context_data(**kwargs, preview=self.preview, preview_reason=reason)


class SeminarDetailView(DraftPreviewMixin, DetailView):
    template_name = "seminars/seminar_detail.html"
    context_object_name = "seminar"
    preview_model = "seminar"

    def get_queryset(self):
        return selectors.seminar_detail_queryset(drafts=self.may_preview())

    def is_public(self, seminar):
        return seminar.status in PUBLIC_STATUSES

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme"] = selectors.seminar_programme(self.object)
        context["timeline"] = selectors.seminar_timeline(self.object, context["programme"])
        context["availability"] = selectors.registration_availability(self.object)
        context["voices"] = selectors.seminar_voices(
            context["programme"], past=self.object.ends_at < timezone.now()
        )
        context["json_ld"] = structured_data.seminar_event(
            self.object, programme=context["programme"], availability=context["availability"]
        )
        pagecache.shows(freshness.seminar_tag(self.object.pk))
        freshness.shows_availability(self.object, context["availability"])
        return context


class VoicesView(TemplateView):
    """Whose voices are heard across the series, and seminar by seminar."""

    template_name = "seminars/voices.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, **fragments.series_voices())


class RecapListView(ListView):
    template_name = "seminars/recap_list.html"
    context_object_name = "recaps"
    paginate_by = 20

    def get_queryset(self):
        pagecache.shows(freshness.RECAP_LIST)
        return selectors.recap_list_queryset()


class RecapDetailView(DraftPreviewMixin, DetailView):
    template_name = "seminars/recap_detail.html"
    context_object_name = "recap"
    preview_model = "recap"

    def get_queryset(self):
        return selectors.recap_list_queryset(drafts=self.may_preview())

    def is_public(self, recap):
        return recap.status == Recap.Status.PUBLISHED and recap.published_at <= timezone.now()

    def preview_reason(self, recap):
        if recap.status == Recap.Status.PUBLISHED:
            when = timezone.localtime(recap.published_at)
            return f"This recap is published on {when.day} {when:%B %Y} at {when:%H:%M}."
        return super().preview_reason(recap)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["json_ld"] = structured_data.recap_article(self.object)
        pagecache.shows(freshness.recap_tag(self.object.pk))
        return context


class ThemeListView(TemplateView):
    template_name = "seminars/theme_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, themes=selectors.theme_list())


class ThemeDetailView(DetailView):
    """A theme's thread: everything public on it across the series, oldest first."""

    template_name = "seminars/theme_detail.html"
    context_object_name = "theme"

    def get_queryset(self):
        return selectors.theme_detail_queryset()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, thread=selectors.theme_thread(self.object))


def _registration_unavailable(request, seminar, availability, *, status, link_resent=False):
    return render(
        request,
        "seminars/registration_unavailable.html",
        {"seminar": seminar, "availability": availability, "link_resent": link_resent},
        status=status,
    )


class RegistrationCreateView(FormView):
    """GET shows the form; POST registers (a place, the waiting list, or a clear refusal)."""

    template_name = "seminars/registration_form.html"
    form_class = RegistrationForm

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            if rate_limit_exceeded(
                request,
                scope="register",
                limit=settings.REGISTRATION_RATE_LIMIT,
                window=settings.REGISTRATION_RATE_WINDOW,
            ):
                return too_many_requests(
                    request, "429.html", window=settings.REGISTRATION_RATE_WINDOW
                )
            # Places are counted by the service, under the seminar's lock: only the window
            # is checked here.
            self.seminar = get_object_or_404(
                Seminar.objects.public().select_related("venue"), slug=kwargs["slug"]
            )
            self.availability = selectors.registration_window_closed(self.seminar)
            if self.availability is not None:
                return _registration_unavailable(
                    request, self.seminar, self.availability, status=409
                )
            return super().dispatch(request, *args, **kwargs)
        self.seminar = get_object_or_404(
            Seminar.objects.public().with_registration_counts().select_related("venue"),
            slug=kwargs["slug"],
        )
        self.availability = selectors.registration_availability(self.seminar)
        pagecache.shows(freshness.seminar_tag(self.seminar.pk))
        if not self.availability.can_register:
            freshness.shows_registration_form(self.seminar, self.availability, [])
            return _registration_unavailable(request, self.seminar, self.availability, status=200)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        workshops = places.workshop_choices(self.seminar)
        if self.request.method == "GET":
            freshness.shows_registration_form(self.seminar, self.availability, workshops)
        return {**super().get_form_kwargs(), "seminar": self.seminar, "workshops": workshops}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            **kwargs, seminar=self.seminar, availability=self.availability
        )
        if self.availability is not None:
            context["form"].companion_places_hint(
                selectors.in_person_places_left(self.availability)
            )
        return context

    def form_invalid(self, form):
        self.availability = selectors.registration_availability(
            Seminar.objects.with_registration_counts().get(pk=self.seminar.pk)
        )
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        try:
            services.registration_create(seminar=self.seminar, **form.registration_fields())
        except services.RegistrationRefused as refused:
            # The same page whether or not the email was registered: the service has re-sent
            # the link if it was, and the page says only that it would have.
            return _registration_unavailable(
                self.request, self.seminar, refused.availability, status=409, link_resent=True
            )
        except services.WorkshopUnavailable as unavailable:
            # Taken by someone else since the form was shown: ask again, with the places now.
            form = self.get_form()
            if form.is_valid() or not form.has_error("workshop"):
                form.add_error("workshop", str(unavailable))
            return self.form_invalid(form)
        return redirect("seminars:registration_sent", slug=self.seminar.slug)


class RegistrationSentView(DetailView):
    """The same page whether the email was new or already registered: nothing to probe."""

    template_name = "seminars/registration_sent.html"
    context_object_name = "seminar"

    def get_queryset(self):
        return Seminar.objects.public()


class PrivateRegistrationMixin:
    """Pages behind a registrant's private link: never cached, indexed or leaked by referrer."""

    def get_object(self, queryset=None):
        registration = with_access_needs(
            Registration.objects.select_related(
                "seminar", "seminar__venue", "role", "workshop"
            ).filter(purged_at__isnull=True, seminar__status__in=PUBLIC_STATUSES)
        ).with_token(self.kwargs["token"])
        if registration is None:
            raise Http404("No such registration.")
        return registration

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        # The token must not leave the site in a Referer header, yet the cancel form's POST
        # needs a real Origin: under "no-referrer" browsers send `Origin: null`, which Django's
        # CSRF check rightly refuses.
        response["Referrer-Policy"] = "same-origin"
        return response


def _can_change(registration):
    return registration.is_active and registration.seminar.ends_at > timezone.now()


class RegistrationManageView(PrivateRegistrationMixin, DetailView):
    template_name = "seminars/registration_manage.html"
    context_object_name = "registration"

    def get_context_data(self, **kwargs):
        registration = self.object
        return super().get_context_data(
            **kwargs,
            seminar=registration.seminar,
            show_online_link=selectors.registration_shows_online_link(registration),
            last_change=registration.seminar.changes.first(),
            can_cancel=_can_change(registration),
            waitlist_position=places.waitlist_position(registration),
            waitlist_offers_open=places.waitlist_offers_open(registration.seminar),
            certificate=certificate_availability(registration),
            feedback_state=registration_feedback_state(registration),
        )


class RegistrationChangeView(PrivateRegistrationMixin, DetailView):
    """GET shows the registrant's details in the registration form's fields; POST changes
    them, or says clearly why not (a full workshop or way of attending) and changes nothing."""

    template_name = "seminars/registration_change.html"
    context_object_name = "registration"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not _can_change(self.object):
            return redirect(self.object.get_absolute_url())
        return self._render(self._form())

    def post(self, request, *args, **kwargs):
        self.object = registration = self.get_object()
        if not _can_change(registration):
            return redirect(registration.get_absolute_url())
        form = self._form(data=request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            services.registration_details_update(registration=registration, **form.details_fields())
        except services.WorkshopUnavailable as refused:
            form = self._form(data=request.POST)
            if form.is_valid() or not form.has_error("workshop"):
                form.add_error("workshop", str(refused))
            return self._render(form, status=409)
        except services.RegistrationChangeRefused as refused:
            form = self._form(data=request.POST)
            form.is_valid()
            form.add_error(refused.field if refused.field in form.fields else None, str(refused))
            return self._render(form, status=409)
        messages.success(request, "Your details are saved. The organisers can see them now.")
        return redirect(registration.get_absolute_url())

    def _form(self, data=None):
        # A fresh copy: a bound ModelForm writes the posted values onto its instance.
        return RegistrationDetailsForm(
            data=data,
            instance=copy.copy(self.object),
            seminar=self.object.seminar,
            workshops=places.workshop_choices(self.object.seminar),
        )

    def _render(self, form, status=200):
        context = self.get_context_data(object=self.object, form=form)
        context["seminar"] = self.object.seminar
        return self.render_to_response(context, status=status)


class RegistrationCancelView(PrivateRegistrationMixin, DetailView):
    """GET asks to confirm; POST cancels and passes the place to the first person waiting."""

    template_name = "seminars/registration_cancel.html"
    context_object_name = "registration"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, seminar=self.object.seminar)

    def post(self, request, *args, **kwargs):
        registration = self.get_object()
        if registration.is_active and registration.seminar.ends_at > timezone.now():
            services.registration_cancel(registration=registration)
            messages.success(request, "Your registration is cancelled. We have emailed you.")
        return redirect(registration.get_absolute_url())


class RegistrationDataView(PrivateRegistrationMixin, DetailView):
    """Everything stored about a registration, as a JSON file for the registrant to keep."""

    def render_to_response(self, context, **response_kwargs):
        registration = self.object
        seminar = registration.seminar
        data = {
            "seminar": {
                "title": seminar.title,
                "starts_at": seminar.starts_at.isoformat(),
                "address": f"{settings.SITE_URL}{seminar.get_absolute_url()}",
            },
            "name": registration.name,
            "email": registration.email,
            "pronouns": registration.pronouns,
            "organisation": registration.organisation,
            "involvement": registration.involvement,
            "attendance": registration.get_attendance_display(),
            "workshop": registration.workshop.title if registration.workshop else "",
            "with_companion": registration.with_companion,
            "access_needs": [need.name for need in registration.access_need_list],
            "access_requirements": registration.access_requirements,
            "access_request_status": registration.get_access_request_status_display(),
            "dietary_requirements": registration.dietary_requirements,
            "do_not_photograph": registration.do_not_photograph,
            "status": registration.get_status_display(),
            "registered_at": registration.created_at.isoformat(),
            "details_updated_at": (
                registration.details_updated_at.isoformat()
                if registration.details_updated_at
                else None
            ),
            "cancelled_at": (
                registration.cancelled_at.isoformat() if registration.cancelled_at else None
            ),
            "arrived_at": (
                registration.attended_at.isoformat() if registration.attended_at else None
            ),
            "added_at_the_door": registration.is_walk_in,
            "erased_after_days": settings.REGISTRATION_PURGE_DAYS,
            "feedback": registration_feedback_data(registration),
        }
        response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
        filename = f"registration-{seminar.slug}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class RegistrationEraseView(PrivateRegistrationMixin, DetailView):
    """GET asks to confirm; POST erases the registrant's details for good."""

    template_name = "seminars/registration_erase.html"
    context_object_name = "registration"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, seminar=self.object.seminar)

    def post(self, request, *args, **kwargs):
        registration = self.get_object()
        services.registration_erase(registration=registration)
        return render(
            request, "seminars/registration_erased.html", {"seminar": registration.seminar}
        )


@method_decorator(conditional_page, name="dispatch")
class SeminarCalendarView(View):
    def get(self, request, slug):
        seminar = get_object_or_404(selectors.seminar_detail_queryset(), slug=slug)
        pagecache.shows(freshness.seminar_tag(seminar.pk))
        programme = selectors.seminar_programme(seminar)
        response = HttpResponse(
            seminar_ics(seminar, programme=programme), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{seminar.slug}.ics"'
        return response


def _calendar_name():
    """What calendar apps call the subscribed feed: the series' name, as pages show it."""
    return series_identity().name


@method_decorator(conditional_page, name="dispatch")
class CalendarFeedView(View):
    """Every public seminar as a subscribable calendar; polls of an unchanged feed get 304."""

    def get(self, request):
        events = fragments.calendar_events(selectors.calendar_seminars())
        response = HttpResponse(
            seminars_calendar_written(events, name=_calendar_name(), refresh=True),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = 'inline; filename="coproseries.ics"'
        return response


class SearchView(TemplateView):
    """Search results, or help when there is nothing to search for.

    Served through the page cache like any list (under `content`, which every edit
    replaces): the searches many people make ("peer support") are searched once per edit.
    Each search the cache does not hold counts against the client's limits
    (SEARCH_BURST_LIMIT, SEARCH_RATE_LIMIT), so no one can keep the database busy with
    fresh queries; one that it holds costs what a cached page costs, and counts against
    nothing. A query that holds an email address is never stored: someone typed a
    person's address.
    """

    template_name = "seminars/search.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, max_length=search.MAX_QUERY_LENGTH, hits_per_kind=search.HITS_PER_KIND
        )

    def get(self, request, *args, **kwargs):
        raw = request.GET.get("q", "")
        if len(raw) > search.MAX_QUERY_LENGTH:
            context = self.get_context_data(query="", too_long=True)
            return self.render_to_response(context, status=400)
        # Only a query with words in it reaches the database; the help page costs nothing.
        if search.query_terms(search.clean_query(raw)):
            limits = [
                ("search-burst", settings.SEARCH_BURST_LIMIT, settings.SEARCH_BURST_WINDOW),
                ("search", settings.SEARCH_RATE_LIMIT, settings.SEARCH_RATE_WINDOW),
            ]
            for scope, limit, window in limits:
                if rate_limit_exceeded(request, scope=scope, limit=limit, window=window):
                    return too_many_requests(request, "seminars/search_limited.html", window=window)
        results = search.search(raw)
        context = self.get_context_data(
            query=results.query,
            results=results,
            searched=bool(search.query_terms(results.query)),
        )
        response = self.render_to_response(context)
        if "@" in raw:
            patch_cache_control(response, private=True)
        return response


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /profile/",
        "Disallow: /registrations/",
        "Disallow: /subscriptions/",
        "Disallow: /seminars/*/register/",
        "Disallow: /search/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=3600)
    return response
