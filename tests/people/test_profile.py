import base64
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from people.models import Role
from seminars.models import Seminar, Talk
from tests.factories import (
    PersonFactory,
    SeminarFactory,
    TalkFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.html import page, page_with_status, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def speaker(client):
    user = UserFactory(email="sam@example.org")
    person = PersonFactory(name="Sam Speaker", slug="sam-speaker", user=user, email=user.email)
    client.force_login(user)
    return person


def profile_data(person, **overrides):
    return {
        "name": person.name,
        "pronouns": person.pronouns,
        "affiliation": person.affiliation,
        "bio": person.bio,
        "website": person.website,
        "roles": [role.pk for role in person.roles.all()],
        "show_roles": "on" if person.show_roles else "",
        "is_listed": "on" if person.is_listed else "",
        **overrides,
    }


def jpeg_with_gps(width=1200, height=900):
    image = Image.new("RGB", (width, height), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    exif.get_ifd(0x8825)[2] = (53.0, 48.0, 0.0)  # GPSLatitude
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("holiday.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_speaker_edits_own_profile_and_the_public_page_shows_it(client, speaker):
    roles = list(Role.objects.filter(slug__in=["carer", "academic"]))

    response = client.post(
        "/profile/",
        profile_data(
            speaker,
            name="Sam Q. Speaker",
            pronouns="they/them",
            affiliation="Leeds Mind",
            bio="I work on **peer support**.",
            website="https://sam.example.org",
            roles=[role.pk for role in roles],
        ),
    )

    assert response.status_code == 302
    speaker.refresh_from_db()
    assert (
        speaker.name,
        speaker.slug,
        speaker.pronouns,
        speaker.affiliation,
        speaker.bio,
        speaker.website,
        sorted(speaker.roles.values_list("name", flat=True)),
    ) == (
        "Sam Q. Speaker",
        "sam-speaker",
        "they/them",
        "Leeds Mind",
        "I work on **peer support**.",
        "https://sam.example.org",
        ["Academic", "Carer"],
    )
    saved = page(client.get("/profile/"))
    assert text(saved, "p.notice") == "Your profile is saved. The public page shows it now."
    public = page(client.get("/people/sam-speaker/"))
    assert text(public, "h1") == "Sam Q. Speaker (they/them)"
    assert text(public, ".prose") == "I work on peer support ."
    assert texts(public, ".role-list li") == ["Academic", "Carer"]


def test_speaker_hides_roles_and_unlists_themself(client, speaker):
    speaker.roles.set(Role.objects.filter(slug="expert-by-experience"))

    client.post("/profile/", profile_data(speaker, show_roles=""))
    assert texts(page(client.get("/people/sam-speaker/")), ".role-list li") == []

    client.post("/profile/", profile_data(speaker, show_roles="", is_listed=""))
    assert client.get("/people/sam-speaker/").status_code == 404
    assert "Sam Speaker" not in texts(page(client.get("/people/")), "h2")


def test_speaker_cannot_change_fields_organisers_control(client, speaker):
    other_user = UserFactory()

    client.post(
        "/profile/",
        profile_data(speaker, slug="taken-over", user=other_user.pk, email="new@example.org"),
    )

    speaker.refresh_from_db()
    assert (speaker.slug, speaker.user.email, speaker.email) == (
        "sam-speaker",
        "sam@example.org",
        "sam@example.org",
    )


def test_preview_shows_sanitised_markdown_and_saves_nothing(client, speaker):
    response = client.post(
        "/profile/",
        profile_data(speaker, bio="Hello *there* <script>alert(1)</script>", preview="1"),
    )

    soup = page(response)
    assert text(soup, ".preview .prose") == "Hello there"
    assert soup.select(".preview script") == []
    assert (
        soup.select_one("#id_bio").get_text().lstrip("\n")
        == "Hello *there* <script>alert(1)</script>"
    )
    speaker.refresh_from_db()
    assert speaker.bio == ""


def test_empty_name_and_huge_bio_get_messages_and_save_nothing(client, speaker):
    response = client.post("/profile/", profile_data(speaker, name="", bio="x" * 6000))

    soup = page_with_status(response, 400)
    assert texts(soup, "#error-summary li") == [
        "Enter your name.",
        "Keep this under 5,000 characters.",
    ]
    speaker.refresh_from_db()
    assert (speaker.name, speaker.bio) == ("Sam Speaker", "")


def test_photo_is_re_encoded_square_without_metadata_and_shown_with_size_and_alt(client, speaker):
    client.post("/profile/", {**profile_data(speaker), "photo": jpeg_with_gps()})

    speaker.refresh_from_db()
    with speaker.photo.open("rb") as stored:
        data = stored.read()
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("JPEG", (800, 800))
    assert dict(image.getexif()) == {}
    assert b"SecretCameraMaker" not in data
    assert speaker.photo.name.startswith("people/") and "holiday" not in speaker.photo.name
    img = page(client.get("/people/sam-speaker/")).select_one("main img")
    assert (img["alt"], img["width"], img["height"]) == ("Photo of Sam Speaker", "200", "200")
    assert img["src"] == speaker.photo.url


PHOTO_HINT = (
    "JPEG, PNG, WebP or HEIC (the format of many phone photos), up to 20 MB: a large photo "
    "is made smaller. It is cropped to a square, and location and camera details are removed."
)


def test_the_photo_field_shows_its_hint_and_the_current_photo_as_a_picture(client, speaker):
    soup = page(client.get("/profile/"))
    assert text(soup, "label[for=id_photo]") == "Photo (optional)"
    assert text(soup, "#id_photo_helptext") == PHOTO_HINT
    assert soup.select_one("#id_photo")["aria-describedby"] == "id_photo_helptext"
    # Nothing to remove yet.
    assert (soup.select(".profile-photos"), soup.select("#id_remove_photo")) == ([], [])

    client.post("/profile/", {**profile_data(speaker), "photo": jpeg_with_gps()})
    speaker.refresh_from_db()

    soup = page(client.get("/profile/"))
    figure = soup.select_one(".profile-photos figure")
    img = figure.select_one("img")
    assert (img["src"], img["alt"]) == (speaker.photo.url, "Photo of Sam Speaker")
    assert text(figure, "figcaption") == "Your current photo"
    # The file's name in the storage is nowhere on the page, only its picture.
    assert speaker.photo.name not in soup.select_one("main").get_text()
    assert text(soup, "label[for=id_remove_photo]") == "Remove my photo"
    assert soup.select_one("#id_remove_photo")["type"] == "checkbox"


def test_removing_the_photo_deletes_it_and_its_file(
    client, speaker, media, django_capture_on_commit_callbacks
):
    client.post("/profile/", {**profile_data(speaker), "photo": jpeg_with_gps()})
    speaker.refresh_from_db()
    stored = media / speaker.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/profile/", profile_data(speaker, remove_photo="on"))

    assert response.status_code == 302
    speaker.refresh_from_db()
    assert (speaker.photo.name, stored.exists()) == ("", False)
    assert page(client.get("/people/sam-speaker/")).select("main img") == []


def test_removing_and_choosing_a_photo_at_once_is_refused(client, speaker):
    client.post("/profile/", {**profile_data(speaker), "photo": jpeg_with_gps()})
    speaker.refresh_from_db()
    kept = speaker.photo.name

    response = client.post(
        "/profile/",
        {**profile_data(speaker, remove_photo="on"), "photo": jpeg_with_gps(600, 600)},
    )

    soup = page_with_status(response, 400)
    assert texts(soup, "#error-summary li") == [
        "Choose a new photo or remove your photo, not both."
    ]
    speaker.refresh_from_db()
    assert speaker.photo.name == kept


def _kept_photo_token(soup):
    return soup.select_one("input[name=kept_photo]")["value"]


def test_preview_keeps_the_chosen_photo_and_save_stores_it(client, speaker, media):
    response = client.post(
        "/profile/",
        {**profile_data(speaker, bio="New *bio*", preview="1"), "photo": jpeg_with_gps()},
    )

    soup = page(response)
    # Only the new photo: there is no current one yet, and it can still be dropped.
    assert texts(soup, ".profile-photos figcaption") == [
        "Your new photo, not saved yet: it is saved when you save your profile."
    ]
    assert text(soup, "label[for=id_remove_photo]") == "Remove my photo"
    kept = soup.select_one("#kept-photo")
    img = kept.select_one("img")
    assert (img["alt"], img["src"][:23]) == ("The new photo you chose", "data:image/jpeg;base64,")
    shown = base64.b64decode(img["src"][23:])
    assert Image.open(io.BytesIO(shown)).size == (800, 800)
    speaker.refresh_from_db()
    assert (speaker.photo.name, speaker.bio, list(media.iterdir())) == ("", "", [])

    # Save, without choosing the file again: the browser cannot keep it, the site has.
    response = client.post(
        "/profile/",
        profile_data(speaker, bio="New *bio*", kept_photo=_kept_photo_token(soup)),
    )

    assert response.status_code == 302
    speaker.refresh_from_db()
    assert speaker.bio == "New *bio*"
    with speaker.photo.open("rb") as stored:
        assert stored.read() == shown
    assert "profile_kept_photo" not in client.session


def test_a_kept_photo_survives_a_save_with_errors(client, speaker):
    soup = page(
        client.post("/profile/", {**profile_data(speaker, preview="1"), "photo": jpeg_with_gps()})
    )

    response = client.post(
        "/profile/", profile_data(speaker, name="", kept_photo=_kept_photo_token(soup))
    )

    soup = page_with_status(response, 400)
    assert texts(soup, "#error-summary li") == ["Enter your name."]
    assert soup.select_one("#kept-photo img") is not None
    client.post("/profile/", profile_data(speaker, kept_photo=_kept_photo_token(soup)))
    speaker.refresh_from_db()
    assert speaker.photo.name.startswith("people/")


def test_a_kept_photo_is_not_saved_by_a_form_opened_afresh(client, speaker):
    soup = page(
        client.post("/profile/", {**profile_data(speaker, preview="1"), "photo": jpeg_with_gps()})
    )
    token = _kept_photo_token(soup)

    assert page(client.get("/profile/")).select("#kept-photo, input[name=kept_photo]") == []
    client.post("/profile/", profile_data(speaker, kept_photo=token))

    speaker.refresh_from_db()
    assert speaker.photo.name == ""


def test_a_kept_photo_is_dropped_when_the_photo_is_removed(client, speaker):
    client.post("/profile/", {**profile_data(speaker), "photo": jpeg_with_gps()})
    soup = page(
        client.post(
            "/profile/",
            {**profile_data(speaker, preview="1"), "photo": jpeg_with_gps(600, 600)},
        )
    )

    client.post(
        "/profile/",
        profile_data(speaker, remove_photo="on", kept_photo=_kept_photo_token(soup)),
    )

    speaker.refresh_from_db()
    assert speaker.photo.name == ""


def test_a_heic_photo_from_a_phone_is_stored_as_a_jpeg(client, speaker):
    image = Image.new("RGB", (4032, 3024), "blue")
    buffer = io.BytesIO()
    image.save(buffer, "HEIF")
    upload = SimpleUploadedFile("IMG_4032.HEIC", buffer.getvalue(), content_type="image/heic")

    response = client.post("/profile/", {**profile_data(speaker), "photo": upload})

    assert response.status_code == 302
    speaker.refresh_from_db()
    with speaker.photo.open("rb") as stored:
        assert Image.open(stored).format == "JPEG"
    assert speaker.photo.name.endswith(".jpg")


def test_a_file_over_20_mb_is_refused_with_a_message(client, speaker):
    upload = SimpleUploadedFile("huge.jpg", b"\xff" * (20 * 1024 * 1024 + 1))

    response = client.post("/profile/", {**profile_data(speaker), "photo": upload})

    soup = page_with_status(response, 400)
    assert texts(soup, "#error-summary li") == [
        "The photo must be smaller than 20 MB. Choose a smaller file."
    ]
    assert text(soup, "#id_photo_error") == (
        "Error: The photo must be smaller than 20 MB. Choose a smaller file."
    )


def test_replacing_a_photo_removes_the_old_file(
    client, speaker, media, django_capture_on_commit_callbacks
):
    client.post("/profile/", {**profile_data(speaker), "photo": jpeg_with_gps()})
    speaker.refresh_from_db()
    first = media / speaker.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/profile/", {**profile_data(speaker), "photo": jpeg_with_gps(600, 600)})

    speaker.refresh_from_db()
    assert first.exists() is False
    assert (media / speaker.photo.name).exists()
    assert sorted(path.name for path in (media / "people").iterdir()) == [
        speaker.photo.name.removeprefix("people/")
    ]


@pytest.mark.faults
def test_a_photo_the_storage_cannot_write_leaves_the_profile_and_old_photo(
    client, speaker, media, settings, caplog
):
    client.post("/profile/", {**profile_data(speaker), "photo": jpeg_with_gps()})
    speaker.refresh_from_db()
    kept = speaker.photo.name
    # The storage goes away: a directory no one may create, even root (the disk refusing).
    settings.MEDIA_ROOT = "/proc/coproseries-media"

    response = client.post(
        "/profile/",
        {**profile_data(speaker, name="A New Name"), "photo": jpeg_with_gps(640, 480)},
    )

    soup = page_with_status(response, 503)
    assert texts(soup, "#error-summary li") == [
        "We could not store your photo just now, so nothing has changed. "
        "Try again in a few minutes."
    ]
    speaker.refresh_from_db()
    assert (speaker.name, speaker.photo.name) == ("Sam Speaker", kept)
    assert sorted(path.name for path in (media / "people").iterdir()) == [
        kept.removeprefix("people/")
    ]
    assert "sam@example.org" not in caplog.text


def test_a_bad_photo_is_refused_and_the_old_one_kept(client, speaker):
    client.post("/profile/", {**profile_data(speaker), "photo": jpeg_with_gps()})
    speaker.refresh_from_db()
    kept = speaker.photo.name

    response = client.post(
        "/profile/",
        {
            **profile_data(speaker),
            "photo": SimpleUploadedFile("me.jpg", b"not an image", content_type="image/jpeg"),
        },
    )

    soup = page_with_status(response, 400)
    assert texts(soup, "#error-summary li") == [
        "This file is not a photo that can be read. Choose a JPEG, PNG, WebP or HEIC image."
    ]
    speaker.refresh_from_db()
    assert speaker.photo.name == kept


def test_profile_lists_own_items_including_drafts_and_past(client, speaker):
    upcoming = SeminarFactory(title="Soon", days_from_now=20, status=Seminar.Status.DRAFT)
    past = SeminarFactory(title="Before", days_from_now=-200)
    TalkFactory(seminar=upcoming, title="My next talk", speakers=[speaker])
    WorkshopFactory(seminar=past, title="My old workshop", facilitators=[speaker])
    TalkFactory(title="Someone else's talk", speakers=[PersonFactory()])

    soup = page(client.get("/profile/"))

    assert texts(soup, "#items-title ~ ul h4") == ["My next talk", "My old workshop"]
    assert texts(soup, "#items-title ~ ul .kind")[0] == "Talk · not public yet"


def test_speaker_edits_own_talk_title_and_abstract(client, speaker):
    talk = TalkFactory(title="Old title", speakers=[speaker, PersonFactory()], room="Room 1")

    response = client.post(
        f"/profile/talks/{talk.pk}/",
        {"title": "New title", "abstract": "What I will say.", "room": "Elsewhere"},
    )

    assert response.status_code == 302
    talk.refresh_from_db()
    assert (talk.title, talk.abstract, talk.room) == ("New title", "What I will say.", "Room 1")
    public = page(client.get(talk.seminar.get_absolute_url()))
    assert text(public, f"#talk-{talk.slug} h3") == "New title"


def test_speaker_edits_own_workshop(client, speaker):
    workshop = WorkshopFactory(title="Circle", facilitators=[speaker])

    client.post(f"/profile/workshops/{workshop.pk}/", {"title": "Circle", "abstract": "Come."})

    workshop.refresh_from_db()
    assert workshop.abstract == "Come."


def test_speaker_cannot_reach_someone_elses_items(client, speaker):
    other_talk = TalkFactory(title="Not mine", speakers=[PersonFactory()])
    other_workshop = WorkshopFactory(title="Not mine either", facilitators=[PersonFactory()])

    for url in [f"/profile/talks/{other_talk.pk}/", f"/profile/workshops/{other_workshop.pk}/"]:
        assert client.get(url).status_code == 404
        assert client.post(url, {"title": "Hijacked", "abstract": ""}).status_code == 404
    assert list(Talk.objects.values_list("title", flat=True)) == ["Not mine"]


def test_anonymous_visitors_are_sent_to_log_in(client):
    talk = TalkFactory()

    for url in ["/profile/", f"/profile/talks/{talk.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"
    assert client.post("/profile/", {"name": "x"}).status_code == 302


def test_speaker_changes_are_logged_for_organisers(client, speaker, organiser):
    talk = TalkFactory(title="Draft title", speakers=[speaker])
    client.post("/profile/", profile_data(speaker, affiliation="Leeds Mind"))
    client.post(f"/profile/talks/{talk.pk}/", {"title": "Final title", "abstract": ""})

    entries = LogEntry.objects.order_by("action_time")
    assert [(e.user.email, e.object_repr, e.get_change_message()) for e in entries] == [
        ("sam@example.org", "Sam Speaker", "Changed Affiliation (optional)."),
        ("sam@example.org", "Final title", "Changed Title."),
    ]
    organiser_client = Client()
    organiser_client.force_login(organiser)
    changelist = page(organiser_client.get(reverse("admin:admin_logentry_changelist")))
    assert texts(changelist, "td.field-object_repr") == ["Final title", "Sam Speaker"]
    history = page(organiser_client.get(reverse("admin:people_person_history", args=[speaker.pk])))
    assert "Changed Affiliation (optional)." in texts(history, "td")


def test_profile_page_query_count_is_constant(client, speaker, django_assert_num_queries):
    for days in range(5):
        TalkFactory(seminar=SeminarFactory(days_from_now=days + 1), speakers=[speaker])
    # The eighth looks for payment offers (tests/people/payments/ counts a profile with some),
    # the ninth for approved comments on their talks (tests/seminars/test_feedback.py).
    with django_assert_num_queries(9):
        client.get("/profile/")


def test_profile_fields_say_what_the_browser_may_fill_in(client, speaker):
    soup = page(client.get("/profile/"))

    assert [
        (f["name"], f.get("autocomplete"))
        for f in soup.select("#id_name, #id_affiliation, #id_website")
    ] == [
        ("name", "name"),
        ("affiliation", "organization"),
        ("website", "url"),
    ]
