"""Certificates of attendance: the PDF read back with pypdf, who may have one and when, and
what the registrant's private page says about it."""

import datetime as dt
import io
import logging

import pytest
from django.utils import timezone
from pypdf import PdfReader

from seminars.certificates.selectors import duration_in_words
from seminars.checkin.services import walk_in_add
from seminars.models import Registration
from tests.factories import (
    RegistrationFactory,
    SeminarFactory,
    SeriesFactory,
    TalkFactory,
    VenueFactory,
    WorkshopFactory,
)
from tests.html import page, page_with_status, text

pytestmark = pytest.mark.django_db

LONDON = dt.timezone(dt.timedelta(0))  # January: UK time is UTC


def at(hour, minute=0):
    return dt.datetime(2026, 1, 13, hour, minute, tzinfo=LONDON)


@pytest.fixture
def seminar():
    """A past seminar, 10:00 to 16:00, with 3 hours 30 minutes of programme: two talks
    with a break between them, and two workshops at the same time."""
    seminar = SeminarFactory(
        series=SeriesFactory(title="Re-imagining professionalism"),
        title="Sharing power",
        slug="sharing-power",
        starts_at=at(10),
        ends_at=at(16),
        venue=VenueFactory(name="Northbridge Hall", city="Northbridge"),
        certificates_enabled=True,
    )
    TalkFactory(seminar=seminar, starts_at=at(10), ends_at=at(11))
    TalkFactory(seminar=seminar, starts_at=at(11), ends_at=at(12))  # then lunch
    WorkshopFactory(seminar=seminar, starts_at=at(13), ends_at=at(14, 30))
    WorkshopFactory(seminar=seminar, starts_at=at(13, 30), ends_at=at(14, 30))
    return seminar


def arrived(seminar, name="Sam Visitor", **fields):
    return RegistrationFactory(seminar=seminar, name=name, attended_at=seminar.starts_at, **fields)


def certificate_url(registration):
    return f"/registrations/{registration.token}/certificate/"


def pdf_lines(response):
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text().splitlines()


def test_certificate_says_who_attended_what_when_where_and_for_how_long(client, seminar):
    registration = arrived(seminar)

    response = client.get(certificate_url(registration))

    assert response.status_code == 200
    today = timezone.localdate()
    assert pdf_lines(response) == [
        "Re-imagining professionalism",
        "Certificate of attendance",
        "This certifies that",
        "Sam Visitor",
        "attended the seminar",
        "Sharing power",
        "Tuesday 13 January 2026, 10:00 to 16:00 (UK time)",
        "Northbridge Hall, Northbridge",
        "3 hours 30 minutes of CPD activity",
        "Counted from the programme's talks and workshops, breaks excluded.",
        f"Issued on {today.day} {today:%B %Y} by the organisers of the series.",
    ]


def test_certificate_is_a_private_download_named_after_the_seminar(client, seminar):
    response = client.get(certificate_url(arrived(seminar)))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="certificate-sharing-power.pdf"'
    assert set(response["Cache-Control"].split(", ")) >= {"private", "no-store"}
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response.content.startswith(b"%PDF-")
    metadata = PdfReader(io.BytesIO(response.content)).metadata
    assert (metadata.title, metadata.author) == (
        "Certificate of attendance: Sharing power",
        "Re-imagining professionalism",
    )


@pytest.mark.parametrize("name", ["Zoë Ngozi-Ó Briain", "Łukasz Żółć", "渡辺 美咲", "Σοφία Ἀθηνᾶ"])
def test_certificate_draws_names_in_any_script(client, seminar, name):
    response = client.get(certificate_url(arrived(seminar, name=name)))

    assert pdf_lines(response)[3] == name


def test_certificate_of_an_online_attendee_says_online(client, seminar):
    seminar.online_url = "https://meet.example.org/room"
    seminar.save()
    registration = arrived(seminar, attendance=Registration.Attendance.ONLINE)

    assert pdf_lines(client.get(certificate_url(registration)))[7] == "Online"


def test_certificate_without_a_programme_counts_the_whole_seminar(client, seminar):
    seminar.talks.all().delete()
    seminar.workshops.all().delete()

    lines = pdf_lines(client.get(certificate_url(arrived(seminar))))

    assert lines[8:10] == [
        "6 hours of CPD activity",
        "Counted from the seminar's start to its end.",
    ]


def test_walk_in_gets_a_certificate_too(client, seminar):
    walker = walk_in_add(seminar=seminar, name="Door Person", email="door@example.org")

    assert pdf_lines(client.get(certificate_url(walker)))[3] == "Door Person"


@pytest.mark.parametrize(
    ("minutes", "words"),
    [(210, "3 hours 30 minutes"), (60, "1 hour"), (45, "45 minutes"), (61, "1 hour 1 minute")],
)
def test_duration_in_words(minutes, words):
    assert duration_in_words(minutes) == words


def refusal(client, registration):
    soup = page_with_status(client.get(certificate_url(registration)), 403)
    assert text(soup, "h1") == "No certificate of attendance"
    return text(soup, "#certificate-reason")


def test_no_certificate_for_someone_not_marked_as_arrived(client, seminar):
    registration = RegistrationFactory(seminar=seminar)

    assert refusal(client, registration) == (
        "The organisers did not record you as arriving, so there is no certificate for this "
        "registration. If you were there, please write to them at "
        "seminars@localhost."
    )


def test_no_certificate_before_the_seminar_ends(client):
    seminar = SeminarFactory(days_from_now=0, certificates_enabled=True)
    seminar.starts_at = timezone.now() - dt.timedelta(hours=1)
    seminar.ends_at = timezone.now() + dt.timedelta(hours=1)
    seminar.save()
    ends = timezone.localtime(seminar.ends_at)

    assert refusal(client, arrived(seminar)) == (
        "Certificates of attendance are ready here once the seminar has ended, on "
        f"{ends.day} {ends:%B %Y, %H:%M}, for everyone the organisers marked as arrived."
    )


def test_no_certificate_when_the_organisers_offer_none(client, seminar):
    seminar.certificates_enabled = False
    seminar.save()

    assert refusal(client, arrived(seminar)) == (
        "The organisers do not offer certificates of attendance for this seminar."
    )


def test_no_certificate_for_a_cancelled_registration(client, seminar):
    registration = arrived(seminar, status=Registration.Status.CANCELLED)

    assert refusal(client, registration).startswith(
        "A certificate of attendance is for people with a confirmed place"
    )


def test_no_certificate_for_a_cancelled_seminar(client, seminar):
    seminar.status = "cancelled"
    seminar.save()

    assert refusal(client, arrived(seminar)) == (
        "This seminar was cancelled, so there are no certificates of attendance."
    )


def test_no_certificate_behind_an_unknown_or_erased_link(client, seminar):
    registration = arrived(seminar, purged_at=timezone.now())

    assert client.get(certificate_url(registration)).status_code == 404
    assert client.get("/registrations/not-a-token/certificate/").status_code == 404


def test_private_page_links_to_the_certificate_once_available(client, seminar):
    registration = arrived(seminar)

    soup = page(client.get(registration.get_absolute_url()))

    [link] = soup.select("#certificate a")
    assert (link.get_text(strip=True), link["href"]) == (
        "Download your certificate of attendance for Sharing power (PDF)",
        certificate_url(registration),
    )


def test_private_page_says_why_there_is_no_certificate_yet(client, seminar):
    registration = RegistrationFactory(seminar=seminar)

    soup = page(client.get(registration.get_absolute_url()))

    assert soup.select("#certificate a") == []
    assert text(soup, "#certificate p").startswith("The organisers did not record you")


def test_private_page_says_nothing_of_certificates_the_organisers_do_not_offer(client, seminar):
    seminar.certificates_enabled = False
    seminar.save()

    assert page(client.get(arrived(seminar).get_absolute_url())).select("#certificate") == []


def test_drawing_a_certificate_logs_no_letter_of_the_name(client, seminar, caplog):
    # 𓀀 is in no vendored font: fpdf2 would name it in a warning.
    registration = arrived(seminar, name="渡辺 Zoë 𓀀")

    with caplog.at_level(logging.DEBUG):
        assert client.get(certificate_url(registration)).status_code == 200

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert not set("渡辺ë𓀀") & set(logged)
    assert not {"uni6E21", "edieresis"} & set(logged.replace(",", " ").replace("'", " ").split())


def test_organisers_turn_certificates_on_in_the_seminars_after_the_seminar_section(
    organiser_client,
):
    seminar = SeminarFactory()

    soup = page(organiser_client.get(f"/admin/seminars/seminar/{seminar.pk}/change/"))

    [fieldset] = [
        fieldset
        for fieldset in soup.select("fieldset")
        if fieldset.select_one("h2") and "After the seminar" in fieldset.select_one("h2").text
    ]
    assert fieldset.select_one("label[for=id_certificates_enabled]").get_text(strip=True) == (
        "Certificates of attendance"
    )
    assert not fieldset.select_one("#id_certificates_enabled").has_attr("checked")
