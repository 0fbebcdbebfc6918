"""The accessibility statement, in the form the Public Sector Bodies Accessibility Regulations
2018 prescribe, and the footer link to it and to the organisers on every page."""

import pytest

from tests.factories import SeminarFactory
from tests.html import links, page, texts


@pytest.fixture(autouse=True)
def contact(settings):
    """No series names its own contact here: the site's organisers' address stands in."""
    settings.DEFAULT_FROM_EMAIL = "Co-production seminars <seminars@example.ac.uk>"
    settings.ORGANISERS_EMAIL = "seminars@example.ac.uk"
    settings.SITE_NAME = "Co-production seminars"


@pytest.mark.django_db
def test_the_statement_has_every_section_the_regulations_ask_for(client):
    soup = page(client.get("/accessibility/"))

    assert texts(soup, "h1") == ["Accessibility statement for Co-production seminars"]
    assert texts(soup, "main h2") == [
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "What we're doing to improve accessibility",
        "Preparation of this accessibility statement",
    ]
    assert texts(soup, "main h3") == ["Compliance status", "Non-accessible content"]
    statement = " ".join(texts(soup, "main"))
    assert "This website is fully compliant with the Web Content Accessibility" in statement
    assert "This statement was prepared on 2 December 2026." in statement
    assert links(soup, "#contact + p") == [
        ("seminars@example.ac.uk", "mailto:seminars@example.ac.uk")
    ]
    assert (
        "contact the Equality Advisory and Support Service (EASS)",
        "https://www.equalityadvisoryservice.com/",
    ) in links(soup, "main")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/seminars/", "/privacy/", "/accessibility/", "/event/"])
def test_every_page_links_the_statement_and_the_organisers_in_its_footer(client, url):
    SeminarFactory(slug="event")
    if url == "/event/":
        url = "/seminars/event/"

    footer = links(page(client.get(url)), ".site-footer")

    assert ("Accessibility", "/accessibility/") in footer
    assert ("Contact the organisers", "mailto:seminars@example.ac.uk") in footer
