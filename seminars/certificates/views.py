"""A registrant's certificate of attendance, behind their private link."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.generic import DetailView

from seminars.certificates.selectors import certificate_availability, certificate_text
from seminars.views import PrivateRegistrationMixin


class CertificateView(PrivateRegistrationMixin, DetailView):
    """The PDF when it is available; otherwise a page saying why not (403)."""

    def get(self, request, *args, **kwargs):
        registration = self.object = self.get_object()
        seminar = registration.seminar
        availability = certificate_availability(registration)
        if not availability.available:
            return render(
                request,
                "seminars/certificates/unavailable.html",
                {"registration": registration, "seminar": seminar, "availability": availability},
                status=403,
            )
        text = certificate_text(registration)
        # fpdf2 takes 0.4 s to import: only when a certificate is asked for, not in every
        # web worker's first request.
        from seminars.certificates.pdf import certificate_pdf

        pdf = certificate_pdf(
            text,
            title=f"Certificate of attendance: {seminar.title}",
            author=seminar.series.title,
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="certificate-{seminar.slug}.pdf"'
        return response
