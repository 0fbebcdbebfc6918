"""The privacy notice: who is responsible, the lawful basis and the period for each kind of
data, the right to complain; and one retention period, said the same way on the form, the
registrant's page, the notice and every email to a registrant."""

import pytest
from django.core import mail
from django.core.management import call_command

from seminars.management.commands.load_demo import demo_load
from seminars.models import Registration
from tests.factories import SeminarFactory, SeriesFactory
from tests.html import links, page, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def series():
    return SeriesFactory(
        title="Re-imagining professionalism in mental health",
        short_name="Co-production in mental health",
        contact_email="organisers@example.org",
        contact_phone="0113 496 0000",
        data_controller="Example University",
    )


def section(soup, anchor):
    """The words under one heading of the notice, up to the next heading."""
    heading = soup.select_one(f"h2#{anchor}")
    paragraphs = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        paragraphs.append(" ".join(sibling.get_text(" ", strip=True).split()))
    return " ".join(paragraphs)


def test_the_notice_names_the_data_controller_and_how_to_reach_them(client, series):
    soup = page(client.get("/privacy/"))

    assert section(soup, "controller") == (
        "The data controller is Example University. This means they decide how your personal "
        "data is used, and they are responsible for it. To ask about your data, email "
        "organisers@example.org or phone 0113 496 0000."
    )
    assert ("organisers@example.org", "mailto:organisers@example.org") in links(soup, "main")


def test_without_a_controller_set_the_organisers_of_the_series_are_named(client, series):
    series.data_controller = ""
    series.save()

    soup = page(client.get("/privacy/"))

    assert section(soup, "controller").startswith(
        "The data controller is the organisers of Co-production in mental health. "
    )


def test_each_kind_of_data_has_its_lawful_basis_and_period(client, settings, series):
    settings.REGISTRATION_PURGE_DAYS = 90
    settings.SUBSCRIPTION_CONFIRM_DAYS = 7
    settings.LOG_RETENTION_DAYS = 30

    soup = page(client.get("/privacy/"))

    registrations, needs = section(soup, "registrations"), section(soup, "needs")
    assert "Our lawful basis is legitimate interests" in registrations
    assert "Your details are deleted 90 days after the seminar ends." in registrations
    assert "special category data" in needs
    assert "Our lawful basis is your explicit consent." in needs
    assert "Your details are deleted 90 days after the seminar ends." in needs
    assert "Our lawful basis is your consent." in section(soup, "subscriptions")
    assert "we delete the address after 7 days" in section(soup, "subscriptions")
    speakers = section(soup, "speakers")
    assert "a photo" in speakers and "only with your consent" in speakers
    assert "When you replace or remove a photo, we delete the old one." in speakers
    assert "ask us to remove your profile" in speakers
    logs = section(soup, "logs")
    assert "Our lawful basis is legitimate interests. We delete them after 30 days." in logs


def test_the_notice_gives_the_right_to_complain_to_the_ico(client, series):
    soup = page(client.get("/privacy/"))

    assert section(soup, "complaints") == (
        "If you are unhappy with how we have used your data, please tell us first. You also "
        "have the right to complain to the Information Commissioner's Office (ICO): "
        "ico.org.uk , phone 0303 123 1113."
    )
    assert ("ico.org.uk", "https://ico.org.uk/make-a-complaint/") in links(soup, "#complaints ~ p")


def registration_page(client, seminar):
    data = {
        "name": "Ann Able",
        "email": "ann@example.org",
        "consent": "on",
        "access_requirements": "Step-free access",
    }
    client.post(f"/seminars/{seminar.slug}/register/", data)
    registration = Registration.objects.get()
    return page(client.get(registration.get_absolute_url()))


@pytest.mark.parametrize(
    ("days", "sentence"),
    [
        (45, "Your details are deleted 45 days after the seminar ends."),
        (1, "Your details are deleted 1 day after the seminar ends."),
    ],
)
def test_the_form_the_notice_the_private_page_and_emails_state_one_period(
    client, settings, series, mail_queue, days, sentence
):
    """Read each as its reader does: the period is the setting's, in the same words."""
    settings.REGISTRATION_PURGE_DAYS = days
    seminar = SeminarFactory(series=series, slug="open", capacity=10)

    form = page(client.get("/seminars/open/register/"))
    notice = page(client.get("/privacy/"))
    private = registration_page(client, seminar)
    call_command("send_mail", verbosity=0)
    [email] = mail.outbox

    assert (
        texts(form, "#id_access_requirements_helptext, #id_dietary_requirements_helptext")
        == [f"Only the organisers see this, to make the day work for you. {sentence}"] * 2
    )
    assert text(notice, "#retention") == (
        f"How long we keep them: {sentence} After that we keep only a count of how many "
        "people came, with no names."
    )
    assert text(private, "#retention") == (
        f"Only the organisers see your details. {sentence} Privacy notice ."
    )
    assert f"\nOnly the organisers see your details. {sentence}\n" in email.body
    # Nowhere says it another way.
    for soup in (form, notice, private):
        assert "after the seminar." not in soup.get_text()


def test_the_demo_names_a_fictional_controller_and_phone(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo_load()

    soup = page(client.get("/privacy/"))

    assert section(soup, "controller").startswith(
        "The data controller is Example Seminars Partnership (a fictional organisation, for "
        "the demo). "
    )
    assert section(soup, "controller").endswith(
        "email organisers@example.org or phone 0113 496 0000."
    )
