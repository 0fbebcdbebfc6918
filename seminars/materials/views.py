"""Speakers' slides on `/profile/`: upload, replace or remove the slides of their own talks
and workshops. Organisers do the same in the admin."""

import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.forms import modelform_factory
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import dateformat, timezone
from django.views import View

from coproseries.storage import STORAGE_ERRORS, storage_error_reason
from people.services import programme_item_edit
from seminars.materials.forms import SlidesForm
from seminars.models import Talk, Workshop

logger = logging.getLogger(__name__)

NOT_STORED_MESSAGE = (
    "We could not store your slides just now, so nothing has changed. Please try again in a "
    "few minutes."
)


class ProgrammeItemSlidesView(LoginRequiredMixin, View):
    """The slides of one of your own talks or workshops: anyone else's answers 404."""

    template_name = "seminars/materials/slides_form.html"
    model = None  # Talk or Workshop
    people_link = ""  # the through relation naming the item's people

    def _item(self, request, pk):
        items = self.model.objects.select_related("seminar").filter(
            **{f"{self.people_link}__person__user": request.user}
        )
        return get_object_or_404(items, pk=pk)

    def _form(self, item, data=None, files=None):
        return modelform_factory(self.model, form=SlidesForm)(data, files, instance=item)

    def _render(self, request, item, form, status=200):
        return render(request, self.template_name, {"item": item, "form": form}, status=status)

    def get(self, request, pk):
        item = self._item(request, pk)
        return self._render(request, item, self._form(item))

    def post(self, request, pk):
        item = self._item(request, pk)
        form = self._form(item, request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, self._item(request, pk), form, status=400)
        try:
            item = programme_item_edit(form=form, user=request.user)
        except STORAGE_ERRORS as error:
            logger.error("Slides could not be stored: %s", storage_error_reason(error))
            form.add_error("slides", NOT_STORED_MESSAGE)
            return self._render(request, self._item(request, pk), form, status=503)
        messages.success(request, _saved_message(item))
        return redirect("people:profile")


def _saved_message(item):
    if not item.slides:
        return f"The slides for “{item.title}” are removed."
    if item.slides_published:
        return f"The slides for “{item.title}” are saved, and shown on the programme."
    starts = dateformat.format(timezone.localtime(item.starts_at), "j F Y, H:i")
    return (
        f"The slides for “{item.title}” are saved. They will be shown on the programme from "
        f"{starts}."
    )


class TalkSlidesView(ProgrammeItemSlidesView):
    model = Talk
    people_link = "speaker_links"


class WorkshopSlidesView(ProgrammeItemSlidesView):
    model = Workshop
    people_link = "facilitator_links"
