"""Organisers and feedback: their question per seminar, the results page (small counts
hidden), and moderating comments about talks before speakers see them.

There is no list of responses: one response with its involvement beside it would undo the
hiding of small counts. A named response shows on its registration's page only.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from seminars.feedback.models import FeedbackResponse, FeedbackSettings, TalkComment
from seminars.feedback.selectors import (
    SMALL_COUNT,
    seminar_feedback_question,
    seminar_feedback_results,
)
from seminars.feedback.services import talk_comments_moderate

RESULTS_PERMISSION = "seminars.view_feedbackresponse"


class FeedbackSettingsInline(admin.StackedInline):
    model = FeedbackSettings
    fields = ["question"]
    extra = 1
    max_num = 1
    can_delete = False
    verbose_name = "feedback question"
    verbose_name_plural = "Feedback after the seminar"


class SeminarFeedbackMixin:
    """For SeminarAdmin: the organisers' question inline, and the results page."""

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), FeedbackSettingsInline]

    def get_urls(self):
        results = path(
            "<path:object_id>/feedback/",
            self.admin_site.admin_view(self.feedback_results_view),
            name="seminars_seminar_feedback",
        )
        return [results, *super().get_urls()]

    def feedback_results_view(self, request, object_id):
        seminar = self.get_object(request, unquote(object_id))
        if seminar is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not (
            request.user.has_perm(RESULTS_PERMISSION) and self.has_view_permission(request, seminar)
        ):
            raise PermissionDenied
        comments_url = reverse("admin:seminars_talkcomment_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": seminar,
            "seminar": seminar,
            "title": f"Feedback on {seminar}",
            "results": seminar_feedback_results(seminar),
            "question": seminar_feedback_question(seminar),
            "small_count": SMALL_COUNT,
            "change_url": reverse("admin:seminars_seminar_change", args=[seminar.pk]),
            "comments_url": f"{comments_url}?talk__seminar__id__exact={seminar.pk}",
        }
        return TemplateResponse(request, "seminars/feedback/admin_results.html", context)


@admin.register(TalkComment)
class TalkCommentAdmin(admin.ModelAdmin):
    """Comments about talks wait here until an organiser approves or rejects each one.
    Nothing names the person who wrote them."""

    list_display = ["excerpt", "talk", "seminar", "status", "submitted_on", "moderated_at"]
    list_filter = ["status", "talk__seminar"]
    list_select_related = ["talk", "talk__seminar"]
    actions = ["approve_selected", "reject_selected"]
    fields = ["talk", "body", "status", "submitted_on", "moderated_at", "moderated_by"]
    readonly_fields = ["talk", "body", "submitted_on", "moderated_at", "moderated_by"]

    def has_add_permission(self, request):
        return False  # comments come from attendees' feedback only

    @admin.display(description="comment")
    def excerpt(self, comment):
        return comment.body if len(comment.body) <= 120 else f"{comment.body[:117]}…"

    @admin.display(description="seminar", ordering="talk__seminar")
    def seminar(self, comment):
        return comment.talk.seminar

    def save_model(self, request, obj, form, change):
        # Only the status can change here; it goes through the service, which records who.
        if "status" in form.changed_data:
            talk_comments_moderate(
                comments=TalkComment.objects.filter(pk=obj.pk),
                status=obj.status,
                moderator=request.user,
            )

    def _moderate(self, request, queryset, status, done):
        changed = talk_comments_moderate(comments=queryset, status=status, moderator=request.user)
        noun = "comment" if changed == 1 else "comments"
        self.message_user(request, f"{changed} {noun} {done}.", messages.SUCCESS)

    @admin.action(description="Approve: show to the talk's speakers", permissions=["change"])
    def approve_selected(self, request, queryset):
        self._moderate(request, queryset, TalkComment.Status.APPROVED, "approved")

    @admin.action(description="Reject: never show to the speakers", permissions=["change"])
    def reject_selected(self, request, queryset):
        self._moderate(request, queryset, TalkComment.Status.REJECTED, "rejected")


class FeedbackResponseInline(admin.StackedInline):
    """For RegistrationAdmin: the registrant's own named response, read only. Anonymous
    responses are never here."""

    model = FeedbackResponse
    fk_name = "registration"
    fields = ["accessible", "heard", "differently", "organiser_answer", "comment", "talk"]
    readonly_fields = fields
    can_delete = False
    extra = 0
    max_num = 0
    verbose_name = "feedback (not anonymous)"
    verbose_name_plural = "feedback (not anonymous)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="comment on a talk")
    def talk(self, response):
        comment = getattr(response, "talk_comment", None)
        if comment is None:
            return "-"
        return format_html(
            "“{}” on {} ({})", comment.body, comment.talk, comment.get_status_display()
        )


class RegistrationFeedbackMixin:
    """For RegistrationAdmin: the registrant's named response, when there is one (only
    then, so that the registration's form posts no more than it did)."""

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if obj is not None and FeedbackResponse.objects.filter(registration=obj).exists():
            return [*inlines, FeedbackResponseInline]
        return inlines
