"""Downloads for organisers: registrations as CSV that spreadsheets open safely."""

import csv
import zoneinfo

LONDON = zoneinfo.ZoneInfo("Europe/London")

REGISTRATION_CSV_HEADER = [
    "seminar",
    "name",
    "email",
    "pronouns",
    "organisation",
    "involvement",
    "attendance",
    "companion or personal assistant",
    "workshop",
    "status",
    "access needs",
    "access requirements",
    "access request",
    "dietary requirements",
    "not to be photographed",
    "registered at",
    "details updated at",
    "cancelled at",
]

# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """The cell as text, with a leading quote when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _london_iso(moment):
    return moment.astimezone(LONDON).isoformat(timespec="seconds") if moment else ""


def registrations_csv_write(*, registrations, stream):
    """Write registrations to a text stream as CSV, starting with a byte order mark.

    The mark makes Excel read the file as UTF-8 rather than the local code page.
    Select `seminar`, `role` and `workshop` with the registrations, and annotate their needs
    (`with_access_needs`), to avoid a query per row. The organisers' note on access stays
    in the admin: a file is easily passed on.
    """
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow(REGISTRATION_CSV_HEADER)
    for registration in registrations:
        writer.writerow(
            spreadsheet_safe(value)
            for value in [
                registration.seminar.title,
                registration.name,
                registration.email,
                registration.pronouns,
                registration.organisation,
                registration.involvement,
                registration.get_attendance_display(),
                "yes" if registration.with_companion else "",
                registration.workshop.title if registration.workshop else "",
                registration.get_status_display(),
                ", ".join(need.name for need in registration.access_need_list),
                registration.access_requirements,
                registration.get_access_request_status_display(),
                registration.dietary_requirements,
                "yes" if registration.do_not_photograph else "",
                _london_iso(registration.created_at),
                _london_iso(registration.details_updated_at),
                _london_iso(registration.cancelled_at),
            ]
        )
