"""The organisers' page for emailing a seminar's registrants, and the record of what was sent.

Reached from a seminar's admin page ("Email registrants"); needs the
`seminars.email_registrants` permission, which the Organisers group has.
"""

import uuid

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.crypto import salted_hmac

from seminars.emails import registration_email_render, signed
from seminars.registrant_messages.models import RegistrantMessage
from seminars.registrant_messages.services import (
    RegistrantMessageAlreadySent,
    registrant_message_audience_counts,
    registrant_message_recipients,
    registrant_message_send,
    registrant_message_validate,
)

LINK_PLACEHOLDER = "[their own private registration link]"


class RegistrantMessageForm(forms.Form):
    subject = forms.CharField(max_length=200, strip=False)
    body = forms.CharField(
        label="Message",
        max_length=10000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
        help_text="Plain text. Each registrant's email starts “Dear <their name>,” and ends "
        "with the seminar's details and their private registration link.",
    )
    audience = forms.ChoiceField(
        label="Send to",
        choices=RegistrantMessage.Audience.choices,
        initial=RegistrantMessage.Audience.ALL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, seminar, **kwargs):
        super().__init__(*args, **kwargs)
        self.seminar = seminar
        counts = registrant_message_audience_counts(seminar=seminar)
        self.fields["audience"].choices = [
            (audience.value, f"{audience.label}: {counts[audience]}")
            for audience in RegistrantMessage.Audience
        ]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["subject"], data["body"] = registrant_message_validate(
                seminar=self.seminar, **data
            )
        except ValidationError as error:
            for field, field_errors in error.error_dict.items():
                self.add_error(field, field_errors)
        return data


def registrant_message_view(model_admin, request, object_id):
    """Compose, preview ("Preview") and send ("Send") a message to registrants.

    Mistakes re-show the form with a message by the field, as the admin's own forms do.
    """
    seminar = model_admin.get_object(request, unquote(object_id))
    if seminar is None:
        return model_admin._get_obj_does_not_exist_redirect(request, model_admin.opts, object_id)
    if not (
        request.user.has_perm("seminars.email_registrants")
        and model_admin.has_view_permission(request, seminar)
    ):
        raise PermissionDenied
    change_url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    preview = None
    if request.method == "POST":
        form = RegistrantMessageForm(request.POST, seminar=seminar)
        if form.is_valid():
            data = form.cleaned_data
            send_id = _send_id(request.POST.get("send_id")) if "send" in request.POST else None
            preview = _preview(seminar=seminar, send_id=send_id or uuid.uuid4(), **data)
            if "send" in request.POST and request.POST.get("previewed") != preview["key"]:
                # What is sent must be what the organiser saw: an edit needs a new look.
                model_admin.message_user(
                    request,
                    "The message changed since its preview. Check it below, then send it.",
                    messages.WARNING,
                )
            elif "send" in request.POST:
                try:
                    message = registrant_message_send(
                        seminar=seminar, sender=request.user, send_id=send_id, **data
                    )
                except ValidationError as error:  # the registrants changed meanwhile
                    form.add_error(None, error)
                except RegistrantMessageAlreadySent:
                    model_admin.message_user(
                        request,
                        "This message was sent already, so it was not sent again.",
                        messages.WARNING,
                    )
                    return redirect(f"{change_url}#registrant_messages-group")
                else:
                    people = "person" if message.recipient_count == 1 else "people"
                    model_admin.message_user(
                        request,
                        f"Your message “{message.subject}” is on its way to "
                        f"{message.recipient_count} {people}.",
                        messages.SUCCESS,
                    )
                    return redirect(f"{change_url}#registrant_messages-group")
    else:
        form = RegistrantMessageForm(seminar=seminar)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": seminar,
        "seminar": seminar,
        "title": f"Email the registrants of {seminar}",
        "form": form,
        "preview": preview,
        "change_url": change_url,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/seminars/seminar/email_registrants.html", context)


def _send_id(value):
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        return None


def _preview(*, seminar, subject, body, audience, send_id):
    """The email as its first recipient will see it, their private link replaced."""
    sample = registrant_message_recipients(seminar=seminar, audience=audience).select_related(
        "seminar", "seminar__venue"
    )[0]
    subject, text = registration_email_render(
        registration=sample,
        kind="organiser_message",
        context={"subject": subject, "body": body},
        manage_url=LINK_PLACEHOLDER,
    )
    recipients = registrant_message_recipients(seminar=seminar, audience=audience).count()
    key = salted_hmac(
        "registrant-message-preview",
        f"{seminar.pk}\0{send_id}\0{subject}\0{body}\0{audience}",
    ).hexdigest()
    return {
        "subject": subject,
        "body": signed(text),  # as email_send will send it
        "sample": sample,
        "recipients": recipients,
        "key": key,
        "send_id": send_id,
    }


class RegistrantMessageInline(admin.TabularInline):
    """What organisers have sent to this seminar's registrants: read only."""

    model = RegistrantMessage
    extra = 0
    can_delete = False
    fields = ["sent_at", "sender", "subject", "audience", "recipient_count", "body"]
    readonly_fields = fields
    verbose_name = "message sent to registrants"
    verbose_name_plural = "messages sent to registrants"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
