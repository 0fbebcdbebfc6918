from django.conf import settings
from django.views.generic import TemplateView

from people.models import Role


class PrivacyView(TemplateView):
    """The privacy notice: who is responsible, what is kept, why, for how long, and the
    right to complain. The controller and contact come from the series (seminars/identity.py),
    the periods from settings."""

    template_name = "seminars/privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            confirm_days=settings.SUBSCRIPTION_CONFIRM_DAYS,
            log_days=settings.LOG_RETENTION_DAYS,
            receipt_days=settings.RECEIPT_RETENTION_DAYS,
        )


class AccessibilityView(TemplateView):
    """The accessibility statement, in the form the 2018 Regulations prescribe."""

    template_name = "seminars/accessibility.html"


class GlossaryView(TemplateView):
    """The words the site uses, in plain English: the organisers' roles (with their own
    descriptions) and the site's other terms. One query, however many roles."""

    template_name = "seminars/glossary.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, roles=list(Role.objects.all()))
