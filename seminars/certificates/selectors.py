"""Whether a registrant may have a certificate of attendance, and what it says."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import dateformat, timezone

from seminars.identity import series_identity
from seminars.models import Registration, Talk, Workshop


@dataclass(frozen=True)
class CertificateAvailability:
    """`available`, or the reason why not, in words for the registrant."""

    available: bool
    message: str = ""
    offered: bool = True  # whether the seminar offers certificates at all


def _when(moment):
    return dateformat.format(timezone.localtime(moment), "j F Y, H:i")


def certificate_availability(registration, *, now=None):
    """A certificate is for a confirmed registrant marked as arrived, once the seminar (not
    cancelled, with certificates turned on by its organisers) has ended."""
    now = now or timezone.now()
    seminar = registration.seminar
    if not seminar.certificates_enabled:
        return CertificateAvailability(
            False,
            "The organisers do not offer certificates of attendance for this seminar.",
            offered=False,
        )
    if seminar.is_cancelled:
        return CertificateAvailability(
            False, "This seminar was cancelled, so there are no certificates of attendance."
        )
    if registration.status != Registration.Status.CONFIRMED:
        return CertificateAvailability(
            False,
            "A certificate of attendance is for people with a confirmed place, and this "
            "registration does not have one.",
        )
    if now < seminar.ends_at:
        return CertificateAvailability(
            False,
            "Certificates of attendance are ready here once the seminar has ended, on "
            f"{_when(seminar.ends_at)}, for everyone the organisers marked as arrived.",
        )
    if registration.attended_at is None:
        contact = series_identity().contact_email
        return CertificateAvailability(
            False,
            "The organisers did not record you as arriving, so there is no certificate for "
            f"this registration. If you were there, please write to them at {contact}.",
        )
    return CertificateAvailability(True)


CPD_BASIS = "Counted from the programme's talks and workshops, breaks excluded."
CPD_BASIS_WHOLE_DAY = "Counted from the seminar's start to its end."


def programme_spans(seminar):
    """When each talk and workshop of a seminar starts and ends, in order."""
    return sorted(
        [
            *Talk.objects.filter(seminar=seminar).values_list("starts_at", "ends_at"),
            *Workshop.objects.filter(seminar=seminar).values_list("starts_at", "ends_at"),
        ]
    )


def programme_minutes(seminar, spans):
    """The CPD time of a seminar, in minutes: the time covered by its talks and workshops
    (`spans`), each moment counted once (parallel workshops overlap) and breaks between
    items left out; the seminar's whole length when it has no programme."""
    if not spans:
        return round((seminar.ends_at - seminar.starts_at) / timedelta(minutes=1))
    total = timedelta()
    current_start, current_end = spans[0]
    for starts, ends in spans[1:]:
        if starts > current_end:
            total += current_end - current_start
            current_start, current_end = starts, ends
        else:
            current_end = max(current_end, ends)
    total += current_end - current_start
    return round(total / timedelta(minutes=1))


def duration_in_words(minutes):
    """ "3 hours 30 minutes", "1 hour", "45 minutes"."""
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


def _dates(seminar):
    starts, ends = timezone.localtime(seminar.starts_at), timezone.localtime(seminar.ends_at)
    if starts.date() == ends.date():
        return f"{dateformat.format(starts, 'l j F Y, H:i')} to {ends:%H:%M} (UK time)"
    return (
        f"{dateformat.format(starts, 'l j F Y, H:i')} to "
        f"{dateformat.format(ends, 'l j F Y, H:i')} (UK time)"
    )


def _where(registration):
    seminar = registration.seminar
    if seminar.venue_id is None or (
        seminar.is_hybrid and registration.attendance == Registration.Attendance.ONLINE
    ):
        return "Online"
    return str(seminar.venue)


@dataclass(frozen=True)
class CertificateText:
    """What a certificate says, line by line, as drawn and as read back."""

    series: str
    name: str
    seminar: str
    dates: str
    where: str
    cpd: str
    issued: str
    cpd_basis: str

    def lines(self):
        return [
            self.series,
            "Certificate of attendance",
            "This certifies that",
            self.name,
            "attended the seminar",
            self.seminar,
            self.dates,
            self.where,
            self.cpd,
            self.cpd_basis,
            self.issued,
        ]


def certificate_text(registration, *, today=None):
    seminar = registration.seminar
    today = today or timezone.localdate()
    spans = programme_spans(seminar)
    minutes, has_programme = programme_minutes(seminar, spans), bool(spans)
    return CertificateText(
        series=seminar.series.title,
        name=registration.name,
        seminar=seminar.title,
        dates=_dates(seminar),
        where=_where(registration),
        cpd=f"{duration_in_words(minutes)} of CPD activity",
        cpd_basis=CPD_BASIS if has_programme else CPD_BASIS_WHOLE_DAY,
        issued=f"Issued on {dateformat.format(today, 'j F Y')} by the organisers of the series.",
    )
