"""The feedback form behind a registrant's private link, after the seminar."""

from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import DetailView

from seminars.feedback import selectors, services
from seminars.feedback.forms import FeedbackForm
from seminars.views import PrivateRegistrationMixin

EMPTY = (
    "Answer at least one question before you send the form. Every question is optional, "
    "but an empty form tells the organisers nothing."
)


class FeedbackView(PrivateRegistrationMixin, DetailView):
    """GET shows the form; POST stores the answers once and shows the thank-you page.

    A link that no longer works gets the usual "page not found" (404); a registration that
    cannot answer (the seminar has not ended, or the place was cancelled) a page saying
    why (403); one that has answered already a page saying so (409 when sent again)."""

    template_name = "seminars/feedback/form.html"
    context_object_name = "registration"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        state = selectors.registration_feedback_state(self.object)
        if state != selectors.OPEN:
            return self._render_state(state)
        return self._render(self._form())

    def post(self, request, *args, **kwargs):
        self.object = registration = self.get_object()
        state = selectors.registration_feedback_state(registration)
        if state != selectors.OPEN:
            return self._render_state(state, status=409 if state == selectors.ANSWERED else 403)
        form = self._form(data=request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            services.feedback_response_create(registration=registration, **form.response_fields())
        except services.FeedbackEmpty:
            form.add_error(None, EMPTY)
            return self._render(form, status=400)
        except services.FeedbackAlreadyGiven:
            return self._render_state(selectors.ANSWERED, status=409)
        except services.FeedbackClosed:
            return self._render_state(selectors.CLOSED, status=403)
        return redirect(reverse("seminars:feedback_sent", kwargs={"token": registration.token}))

    def _form(self, data=None):
        seminar = self.object.seminar
        role = self.object.role
        return FeedbackForm(
            data=data,
            question=selectors.seminar_feedback_question(seminar),
            talks=selectors.seminar_feedback_talks(seminar),
            role_name=role.name if role else "",
        )

    def _render(self, form, status=200):
        context = self.get_context_data(object=self.object, form=form)
        context["seminar"] = self.object.seminar
        return self.render_to_response(context, status=status)

    def _render_state(self, state, status=None):
        statuses = {selectors.ANSWERED: 200, selectors.NOT_YET: 403, selectors.CLOSED: 403}
        context = self.get_context_data(object=self.object, state=state)
        context["seminar"] = self.object.seminar
        return self.response_class(
            request=self.request,
            template="seminars/feedback/unavailable.html",
            context=context,
            status=status or statuses[state],
            using=self.template_engine,
        )


class FeedbackSentView(PrivateRegistrationMixin, DetailView):
    """Thank you: shown after the answers are stored. Reloading it sends nothing."""

    template_name = "seminars/feedback/sent.html"
    context_object_name = "registration"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if selectors.registration_feedback_state(self.object) != selectors.ANSWERED:
            return redirect(reverse("seminars:feedback", kwargs={"token": self.object.token}))
        context = self.get_context_data(object=self.object, seminar=self.object.seminar)
        return self.render_to_response(context)
