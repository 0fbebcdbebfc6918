from crispy_forms.helper import FormHelper
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from seminars.materials.slides import slides_check


class SlidesFormMixin:
    """The slides of a talk or workshop, in a model form: a new upload is checked by its
    content and stored under a fresh, unguessable name with its size; the file it replaces
    or removes is deleted once the change is committed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._previous_slides = self.instance.slides.name if self.instance.pk else ""
        if "slides" in self.fields:
            self.fields["slides"].widget.attrs["accept"] = "application/pdf,.pdf"

    def clean_slides(self):
        slides = self.cleaned_data.get("slides")
        if isinstance(slides, UploadedFile):
            checked = slides_check(slides)
            self.instance.slides_size = checked.size
            return checked
        if not slides:
            self.instance.slides_size = None
        return slides

    def save(self, commit=True):
        item = super().save(commit)
        previous = self._previous_slides
        if previous and item.slides.name != previous:
            storage = item.slides.storage
            # Robust: a storage that fails to delete leaves an orphan file, not a failed save.
            transaction.on_commit(lambda: storage.delete(previous), robust=True)
        return item


class SlidesForm(SlidesFormMixin, forms.ModelForm):
    """A speaker uploads, replaces or removes the slides of their own talk or workshop."""

    remove_slides = forms.BooleanField(required=False, label="Remove the current slides")

    class Meta:
        fields = ["slides", "slides_public_before"]
        labels = {
            "slides": "Slides (PDF, up to 20 MB)",
            "slides_public_before": "Publish slides before the seminar",
        }
        help_texts = {
            "slides": "Export or save your slides as a PDF first. A new file replaces the "
            "current one.",
            "slides_public_before": "Tick to show them on the programme as soon as they are "
            "saved. Otherwise they appear when your session starts.",
        }
        widgets = {"slides": forms.FileInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.slides:
            del self.fields["remove_slides"]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned_data = super().clean()
        if not self.instance.slides and "slides" not in self.changed_data:
            if not self.has_error("slides"):
                self.add_error("slides", "Please choose your slides: a PDF file.")
            return cleaned_data
        if cleaned_data.get("remove_slides") and not self.has_error("slides"):
            if "slides" in self.changed_data:  # a new file was chosen too
                self.add_error(
                    "remove_slides",
                    "Please either choose a new file or remove the current slides, not both.",
                )
            else:
                cleaned_data["slides"] = False
                self.instance.slides_size = None
        return cleaned_data


class MaterialsAdminForm(SlidesFormMixin, forms.ModelForm):
    """The organisers' talk and workshop forms: the same checks on the slides."""
