"""Slides, recordings and transcripts: speakers upload slides to their own talks on
/profile/, organisers in the admin; files are checked by content, stored under names nobody
can guess, and shown on the programme once published."""

import datetime as dt
import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from fpdf import FPDF
from PIL import Image

from seminars.materials.slides import MAX_SLIDES_BYTES
from seminars.models import Talk, Workshop
from tests.factories import (
    PersonFactory,
    SeminarFactory,
    TalkFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.html import form_data, page, page_with_status, text, texts

pytestmark = pytest.mark.django_db

SLIDES_NAME = re.compile(r"^slides/[0-9a-f]{32}/[a-z0-9-]+\.pdf$")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf_bytes(pages=1, text="Slides"):
    pdf = FPDF()
    pdf.set_font("helvetica", size=24)
    for number in range(pages):
        pdf.add_page()
        pdf.cell(text=f"{text} {number + 1}")
    return bytes(pdf.output())


def upload(content=None, name="my-talk.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type)


@pytest.fixture
def speaker(client):
    user = UserFactory(email="sam@example.org")
    person = PersonFactory(name="Sam Speaker", user=user)
    client.force_login(user)
    return person


@pytest.fixture
def talk(speaker):
    """A talk a week from now, by the speaker logged in."""
    return TalkFactory(
        title="Whose knowledge counts?",
        seminar=SeminarFactory(title="Sharing power", days_from_now=7),
        speakers=[speaker],
    )


def slides_url(item):
    kind = "talks" if isinstance(item, Talk) else "workshops"
    return f"/profile/{kind}/{item.pk}/slides/"


def programme_materials(client, item):
    soup = page(client.get(item.seminar.get_absolute_url()))
    return [
        (link.get_text(" ", strip=True), link["href"])
        for link in soup.select(f"#{item.anchor} ul.materials a")
    ]


def test_profile_links_to_each_items_slides(client, talk, speaker):
    workshop = WorkshopFactory(seminar=talk.seminar, title="Together", facilitators=[speaker])

    soup = page(client.get("/profile/"))

    assert [
        (link.get_text(strip=True), link["href"]) for link in soup.select("a[href$='/slides/']")
    ] == [
        ("Upload slides for “Whose knowledge counts?”", slides_url(talk)),
        ("Upload slides for “Together”", slides_url(workshop)),
    ]


def test_speaker_uploads_slides_stored_under_a_name_nobody_can_guess(client, talk, media):
    content = pdf_bytes(pages=3)

    response = client.post(slides_url(talk), {"slides": upload(content, name="../../x.exe")})

    assert response.status_code == 302
    talk.refresh_from_db()
    assert SLIDES_NAME.match(talk.slides.name), talk.slides.name
    assert talk.slides.name.endswith("/whose-knowledge-counts.pdf")
    assert talk.slides_size == len(content)
    assert default_storage.open(talk.slides.name).read() == content
    assert not talk.slides_public_before
    soup = page(client.get(response["Location"]))
    starts = timezone.localtime(talk.starts_at)
    assert text(soup, "p.notice") == (
        "The slides for “Whose knowledge counts?” are saved. They will be shown on the "
        f"programme from {starts.day} {starts:%B %Y, %H:%M}."
    )


def test_slides_are_hidden_from_the_programme_until_the_item_starts(client, talk, monkeypatch):
    client.post(slides_url(talk), {"slides": upload()})
    Talk.objects.filter(pk=talk.pk).update(slides_size=1_258_291)  # as a real deck might be
    talk.refresh_from_db()

    assert programme_materials(client, talk) == []
    client.logout()  # what a visitor sees
    assert programme_materials(client, talk) == []
    starts = talk.starts_at + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: starts)  # the talk has started
    assert programme_materials(client, talk) == [
        ("Slides for “Whose knowledge counts?” (PDF, 1.2\xa0MB)", talk.slides.url)
    ]


def test_speaker_may_publish_slides_before_the_seminar(client, talk):
    response = client.post(slides_url(talk), {"slides": upload(), "slides_public_before": "on"})

    talk.refresh_from_db()
    assert talk.slides_public_before
    assert text(page(client.get(response["Location"])), "p.notice") == (
        "The slides for “Whose knowledge counts?” are saved, and shown on the programme."
    )
    [(label, href)] = programme_materials(client, talk)
    assert label.startswith("Slides for “Whose knowledge counts?” (PDF, ")
    assert href == talk.slides.url


def test_programme_shows_recording_and_transcript_links(client):
    talk = TalkFactory(
        title="Recovery together",
        recording_url="https://video.example.org/recovery",
        transcript_url="https://video.example.org/recovery.vtt",
        slides_url="https://slides.example.org/recovery",
    )

    assert programme_materials(client, talk) == [
        ("Slides for “Recovery together”", "https://slides.example.org/recovery"),
        ("Recording of “Recovery together”", "https://video.example.org/recovery"),
        (
            "Transcript or captions of “Recovery together”",
            "https://video.example.org/recovery.vtt",
        ),
    ]


def test_replacing_slides_deletes_the_old_file(
    client, talk, media, django_capture_on_commit_callbacks
):
    client.post(slides_url(talk), {"slides": upload()})
    talk.refresh_from_db()
    old = talk.slides.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(slides_url(talk), {"slides": upload(pdf_bytes(pages=2))})

    talk.refresh_from_db()
    assert talk.slides.name != old
    assert not default_storage.exists(old)
    assert default_storage.exists(talk.slides.name)


def test_speaker_removes_their_slides(client, talk, django_capture_on_commit_callbacks):
    client.post(slides_url(talk), {"slides": upload()})
    talk.refresh_from_db()
    old = talk.slides.name
    soup = page(client.get(slides_url(talk)))
    assert text(soup, "#current-slides").startswith("Current slides: Whose knowledge counts?")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(slides_url(talk), {"remove_slides": "on"})

    talk.refresh_from_db()
    assert (talk.slides.name, talk.slides_size) == ("", None)
    assert not default_storage.exists(old)
    assert texts(page(client.get(response["Location"])), "p.notice")[-1] == (
        "The slides for “Whose knowledge counts?” are removed."
    )


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (png_bytes(), "This file is not a PDF. Please save or export your slides as a PDF, then "
         "upload that."),
        (b"%PDF-1.7\nthis is not really a PDF\n%%EOF", "This PDF could not be read: it may be "
         "damaged. Please export it again and upload it."),
        (pdf_bytes()[:200], "This PDF could not be read: it may be damaged. Please export it "
         "again and upload it."),
        (b"", "The submitted file is empty."),
        (b"%PDF-" + b"0" * MAX_SLIDES_BYTES, "The file is larger than 20 MB. Please upload a "
         "smaller PDF."),
    ],
    ids=["png named .pdf", "pdf header only", "truncated", "empty", "too big"],
)  # fmt: skip
def test_bad_files_are_refused_with_a_clear_message(client, talk, media, content, message):
    response = client.post(slides_url(talk), {"slides": upload(content)})

    soup = page_with_status(response, 400)
    assert texts(soup, ".error-summary li") == [message]
    talk.refresh_from_db()
    assert talk.slides.name == ""
    assert list(media.rglob("*.pdf")) == []


def test_a_password_protected_pdf_is_refused(client, talk):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    protected = bytes(pdf.output())

    soup = page_with_status(client.post(slides_url(talk), {"slides": upload(protected)}), 400)

    assert texts(soup, ".error-summary li") == [
        "This PDF is protected by a password, so visitors could not open it. Please upload a "
        "copy without a password."
    ]


def test_choosing_a_file_and_removing_at_once_is_refused(client, talk):
    client.post(slides_url(talk), {"slides": upload()})

    soup = page_with_status(
        client.post(slides_url(talk), {"slides": upload(), "remove_slides": "on"}), 400
    )

    assert texts(soup, ".error-summary li") == [
        "Please either choose a new file or remove the current slides, not both."
    ]


def test_another_speakers_talk_is_not_found(client, speaker):
    others = TalkFactory(speakers=[PersonFactory(name="Other Speaker")])
    workshop = WorkshopFactory(facilitators=[PersonFactory(name="Other Facilitator")])

    for item in [others, workshop]:
        assert client.get(slides_url(item)).status_code == 404
        assert client.post(slides_url(item), {"slides": upload()}).status_code == 404
        item.refresh_from_db()
        assert item.slides.name == ""


def test_slides_need_a_login(client, talk):
    client.logout()

    response = client.get(slides_url(talk))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_facilitator_uploads_slides_to_their_workshop(client, speaker):
    workshop = WorkshopFactory(title="Together", facilitators=[speaker])

    assert client.post(slides_url(workshop), {"slides": upload()}).status_code == 302

    assert Workshop.objects.get(pk=workshop.pk).slides_size == len(pdf_bytes())


def test_slides_page_names_the_item_and_its_choices(client, talk):
    soup = page(client.get(slides_url(talk)))

    assert text(soup, "h1") == "Slides for “Whose knowledge counts?”"
    assert text(soup, "#current-slides") == "No slides uploaded yet."
    assert soup.select_one("#id_slides")["accept"] == "application/pdf,.pdf"
    assert texts(soup, "label") == [
        "Search the site",
        "Slides (PDF, up to 20 MB)",
        "Publish slides before the seminar",
    ]


# The organisers' admin


def admin_talk_url(talk):
    return f"/admin/seminars/talk/{talk.pk}/change/"


@pytest.fixture
def organiser_client(organiser):
    """The organiser on a client of their own: the speaker is logged in on `client`."""
    client = Client()
    client.force_login(organiser)
    return client


def admin_post(client, talk, **changes):
    soup = page(client.get(admin_talk_url(talk)))
    data = form_data(soup.select_one("#talk_form"))
    return client.post(admin_talk_url(talk), {**data, **changes})


def test_organiser_uploads_slides_in_the_admin_checked_the_same_way(organiser_client, talk):
    soup = page(admin_post(organiser_client, talk, slides=upload(png_bytes())))
    assert texts(soup, ".field-slides .errorlist li") == [
        "This file is not a PDF. Please save or export your slides as a PDF, then upload that."
    ]

    response = admin_post(
        organiser_client,
        talk,
        slides=upload(),
        slides_public_before="on",
        transcript_url="https://video.example.org/t.vtt",
    )

    assert response.status_code == 302
    talk.refresh_from_db()
    assert SLIDES_NAME.match(talk.slides.name)
    assert (talk.slides_size, talk.slides_public_before, talk.transcript_url) == (
        len(pdf_bytes()),
        True,
        "https://video.example.org/t.vtt",
    )


def test_organiser_clears_slides_in_the_admin(
    organiser_client, talk, django_capture_on_commit_callbacks
):
    admin_post(organiser_client, talk, slides=upload())
    talk.refresh_from_db()
    old = talk.slides.name

    with django_capture_on_commit_callbacks(execute=True):
        admin_post(organiser_client, talk, **{"slides-clear": "on"})

    talk.refresh_from_db()
    assert (talk.slides.name, talk.slides_size) == ("", None)
    assert not default_storage.exists(old)


def test_saving_without_choosing_a_file_asks_for_one(client, talk):
    soup = page_with_status(client.post(slides_url(talk), {"slides_public_before": "on"}), 400)

    assert texts(soup, ".error-summary li") == ["Please choose your slides: a PDF file."]
    talk.refresh_from_db()
    assert not talk.slides_public_before


def test_slides_the_storage_cannot_write_change_nothing(client, talk, settings):
    client.post(slides_url(talk), {"slides": upload()})
    talk.refresh_from_db()
    before = (talk.slides.name, talk.slides_size)
    settings.MEDIA_ROOT = "/proc/coproseries-media"  # nothing can be written there

    response = client.post(slides_url(talk), {"slides": upload(pdf_bytes(pages=2))})

    soup = page_with_status(response, 503)
    assert texts(soup, ".error-summary li") == [
        "We could not store your slides just now, so nothing has changed. Please try again "
        "in a few minutes."
    ]
    talk.refresh_from_db()
    assert (talk.slides.name, talk.slides_size) == before
