from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.forms import modelform_factory
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views import View
from django.views.generic import DetailView, ListView

from coproseries import pagecache
from coproseries.markdown import render_markdown
from coproseries.ratelimit import (
    login_attempts_exhausted,
    login_failed,
    login_failures_forgiven,
    login_limited,
    password_reset_exceeded,
    too_many_requests,
)
from people import services
from people.forms import (
    EmailAuthenticationForm,
    EmailPasswordResetForm,
    OwnPasswordChangeForm,
    ProfileForm,
    ProgrammeItemForm,
    RecordingWishesForm,
)
from people.models import Person, Role
from people.payments import selectors as payments_selectors
from people.photo_keeping import kept_photo_forget, kept_photo_get, kept_photo_store
from people.tokens import invitation_token
from seminars import freshness, selectors
from seminars.feedback.selectors import speaker_talk_comments
from seminars.models import Talk, Workshop


def _public_roles():
    return Prefetch("roles", queryset=Role.objects.all(), to_attr="role_list")


class PersonListView(ListView):
    template_name = "people/person_list.html"
    context_object_name = "people"
    paginate_by = 60

    def get_queryset(self):
        pagecache.shows(freshness.PEOPLE_LIST)
        return Person.objects.listed().prefetch_related(_public_roles())


class PersonDetailView(DetailView):
    """A listed person's page. Unlisted people appear by name on programmes only."""

    template_name = "people/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.listed().prefetch_related(_public_roles())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programme"] = selectors.person_programme(self.object)
        context["recaps"] = selectors.person_recaps(self.object)
        pagecache.shows(freshness.person_tag(self.object.pk))
        return context


class FormErrorsMixin:
    """A failed submit answers 400, and the error summary, not a field, takes the focus.

    No field has `autofocus` (Django's auth forms set one on the first field): an empty form
    is read from the top of the page like any other, and after a failed submit the summary
    carries `autofocus`, which a page may give only one element.
    """

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs.pop("autofocus", None)
        return form

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class LoginView(FormErrorsMixin, auth_views.LoginView):
    """Email login; failures are counted per client address and email, per address, and per
    email (coproseries/ratelimit.py)."""

    form_class = EmailAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if login_attempts_exhausted(request, email=request.POST.get("username")):
            return login_limited(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        login_failed(self.request, email=self.request.POST.get("username"))
        return super().form_invalid(form)


class PasswordResetView(FormErrorsMixin, auth_views.PasswordResetView):
    form_class = EmailPasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("people:password_reset_done")
    extra_email_context = {"site_url": settings.SITE_URL}

    def post(self, request, *args, **kwargs):
        if password_reset_exceeded(request, email=request.POST.get("email")):
            return too_many_requests(
                request,
                "registration/password_reset_limited.html",
                window=settings.LOGIN_RATE_WINDOW,
            )
        return super().post(request, *args, **kwargs)


class PasswordResetConfirmView(FormErrorsMixin, auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("people:password_reset_complete")

    def form_valid(self, form):
        # The link proved the person holds the mailbox, and the old password is gone.
        login_failures_forgiven(self.request, email=form.user.email)
        return super().form_valid(form)


class InvitationAcceptView(PasswordResetConfirmView):
    """An invited speaker sets a password with their one-time link, then edits their profile."""

    template_name = "registration/invitation_accept.html"
    token_generator = invitation_token
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("people:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set and you are logged in.")
        return response


class PasswordChangeView(FormErrorsMixin, auth_views.PasswordChangeView):
    form_class = OwnPasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("people:password_change_done")


def _own_person(user):
    return Person.objects.filter(user=user).prefetch_related("roles").first()


def _with_preview(request, context, field):
    """A "Preview" submit re-shows the form with the Markdown rendered, saving nothing."""
    if request.method == "POST" and "preview" in request.POST:
        context["preview"] = render_markdown(request.POST.get(field, "")[:20000])
    return context


class ProfileView(LoginRequiredMixin, View):
    """The logged-in person's own profile: no URL names anyone else.

    A photo chosen before "Preview" is kept (people/photo_keeping.py) and shown as it will
    look, and so it is after a submit with errors: it is saved with the profile.
    """

    template_name = "people/profile.html"

    def _render(self, request, person, form, status=200):
        context = {"person": person, "form": form, "kept_photo": None}
        if person is not None:
            context.update(selectors.speaker_programme(person))
            context["talk_comments"] = speaker_talk_comments(person)
            context["wishes_form"] = _wishes_form(context["upcoming_items"])
            context["offers"] = payments_selectors.person_offers(person)
        if form is not None and form.is_bound:
            photo = form.photo_to_keep()
            if photo is None:
                kept_photo_forget(request)
            else:
                context["kept_photo"] = kept_photo_store(request, person=person, photo=photo)
                form.offer_photo_removal()
        return render(
            request, self.template_name, _with_preview(request, context, "bio"), status=status
        )

    def get(self, request):
        kept_photo_forget(request)
        person = _own_person(request.user)
        form = ProfileForm(instance=person) if person else None
        return self._render(request, person, form)

    def post(self, request):
        person = _own_person(request.user)
        if person is None:
            return self._render(request, None, None, status=403)
        kept = kept_photo_get(request, person=person)
        form = ProfileForm(request.POST, request.FILES, instance=person, kept_photo=kept)
        if "preview" in request.POST:
            form.is_valid()  # show any errors beside the preview, save nothing
            # The page shows the person as stored: validation wrote the form's values (and
            # the new photo) onto the instance.
            return self._render(request, Person.objects.get(pk=person.pk), form)
        if not form.is_valid():
            return self._render(request, Person.objects.get(pk=person.pk), form, status=400)
        try:
            services.person_profile_save(form=form, user=request.user)
        except services.PhotoNotStored:
            form.add_error(
                "photo",
                "We could not store your photo just now, so nothing has changed. "
                "Try again in a few minutes.",
            )
            return self._render(request, Person.objects.get(pk=person.pk), form, status=503)
        kept_photo_forget(request)
        messages.success(request, "Your profile is saved. The public page shows it now.")
        return redirect("people:profile")


def _wishes_form(upcoming_items, data=None):
    """The recording and photography wishes of a person's upcoming items; None without any."""
    if not upcoming_items:
        return None
    return RecordingWishesForm(data, links=[item.own_link for item in upcoming_items])


class RecordingWishesView(ProfileView):
    """Save what a speaker asks of their own upcoming talks and workshops (the form is on
    /profile/): a row of anyone else's is not in the form, so it cannot change."""

    def get(self, request):
        return redirect("people:profile")

    def post(self, request):
        person = _own_person(request.user)
        if person is None:
            return self._render(request, None, None, status=403)
        upcoming = selectors.speaker_programme(person)["upcoming_items"]
        form = _wishes_form(upcoming, request.POST)
        if form is not None and form.is_valid():
            services.person_recording_wishes_save(
                person=person, user=request.user, wishes=form.wishes()
            )
            messages.success(
                request,
                "Your recording and photography wishes are saved. The organisers see them now.",
            )
        return redirect(f"{reverse('people:profile')}#wishes-title")


class ProgrammeItemEditView(LoginRequiredMixin, View):
    """Edit the title and abstract of one of your own talks or workshops."""

    template_name = "people/programme_item_form.html"
    model = None  # Talk or Workshop
    people_link = ""  # the through relation naming the item's people

    def _item(self, request, pk):
        items = self.model.objects.select_related("seminar").filter(
            **{f"{self.people_link}__person__user": request.user}
        )
        return get_object_or_404(items, pk=pk)

    def _form(self, item, data=None):
        form_class = modelform_factory(self.model, form=ProgrammeItemForm)
        return form_class(data, instance=item)

    def _render(self, request, item, form, status=200):
        context = _with_preview(request, {"item": item, "form": form}, "abstract")
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        item = self._item(request, pk)
        return self._render(request, item, self._form(item))

    def post(self, request, pk):
        item = self._item(request, pk)
        form = self._form(item, request.POST)
        if "preview" in request.POST:
            form.is_valid()
            return self._render(request, item, form)
        if not form.is_valid():
            return self._render(request, self._item(request, pk), form, status=400)
        services.programme_item_edit(form=form, user=request.user)
        messages.success(request, f"“{form.instance.title}” is saved.")
        return redirect("people:profile")


class TalkEditView(ProgrammeItemEditView):
    model = Talk
    people_link = "speaker_links"


class WorkshopEditView(ProgrammeItemEditView):
    model = Workshop
    people_link = "facilitator_links"
