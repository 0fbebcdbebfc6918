"""Subscribers in the admin: how many, never a list of addresses on screen.

The addresses leave only through "Download addresses (CSV)", a POST that needs the
`seminars.export_subscribers` permission and is written to the admin's log.
"""

import csv

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from seminars.subscriptions.forms import SubscribeForm
from seminars.subscriptions.models import SeminarNotice, Subscriber
from seminars.subscriptions.services import subscriber_email_canonical


class SubscriberAdmin(admin.ModelAdmin):
    """Only a summary page and the export: no changelist, no page per address."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "",
                self.admin_site.admin_view(self.summary_view),
                name="seminars_subscriber_changelist",
            ),
            path(
                "export/",
                self.admin_site.admin_view(require_POST(self.export_view)),
                name="seminars_subscriber_export",
            ),
            path(
                "remove/",
                self.admin_site.admin_view(require_POST(self.remove_view)),
                name="seminars_subscriber_remove",
            ),
        ]

    def summary_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        subscribers = Subscriber.objects.all()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Subscribers to new-seminar emails",
            "confirmed": subscribers.filter(confirmed_at__isnull=False).count(),
            "unconfirmed": subscribers.filter(confirmed_at__isnull=True).count(),
            "notices": SeminarNotice.objects.select_related("seminar")[:20],
            "can_export": request.user.has_perm("seminars.export_subscribers"),
            "can_remove": self.has_delete_permission(request),
        }
        return TemplateResponse(request, "admin/seminars/subscriber/summary.html", context)

    def export_view(self, request):
        if not request.user.has_perm("seminars.export_subscribers"):
            raise PermissionDenied
        subscribers = Subscriber.objects.confirmed().order_by("confirmed_at", "pk")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"subscribers-{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        writer = csv.writer(response)
        writer.writerow(["email", "confirmed_at"])
        count = 0
        for subscriber in subscribers.iterator():
            writer.writerow([subscriber.email, subscriber.confirmed_at.isoformat()])
            count += 1
        LogEntry.objects.create(
            user_id=request.user.pk,
            action_flag=CHANGE,
            change_message=f"Downloaded {count} subscriber addresses.",
            object_repr="Subscribers",
        )
        return response

    def remove_view(self, request):
        """Remove one address on its owner's request, without showing who else is there."""
        if not self.has_delete_permission(request):
            raise PermissionDenied
        form = SubscribeForm(request.POST)
        if form.is_valid():
            email = subscriber_email_canonical(form.cleaned_data["email"])
            deleted, _ = Subscriber.objects.filter(email=email).delete()
            if deleted:
                self.message_user(request, "That address is removed.", messages.SUCCESS)
            else:
                self.message_user(request, "That address was not subscribed.", messages.INFO)
        else:
            self.message_user(request, "Please enter a whole email address.", messages.ERROR)
        return redirect("admin:seminars_subscriber_changelist")
