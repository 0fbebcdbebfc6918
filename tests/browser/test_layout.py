"""What a reader sees at a phone's size and a desktop's, and in forced colours: measured in
chromium, not assumed from the CSS."""

import pytest

from tests.factories import PersonFactory, SeminarFactory, SeriesFactory, TalkFactory

SMALL_PHONE = {"width": 375, "height": 667}  # an iPhone SE: the smallest phone in common use
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def home(site):
    series = SeriesFactory(
        title="Re-imagining professionalism in mental health: towards co-production",
        strapline="Who counts as a professional in mental health, and how can power be shared?",
        description="A series of one-day seminars.\n\n" + "About the series. " * 40,
        funder="A research council",
    )
    SeminarFactory(series=series, title="Peer support and power", capacity=40, days_from_now=10)
    SeminarFactory(series=series, title="Policy, learning and co-production", days_from_now=60)
    return series


def box(page, selector):
    return page.locator(selector).bounding_box()


def test_on_a_small_phone_the_next_seminar_and_its_register_button_need_no_scrolling(
    new_page, home
):
    page = new_page(viewport=SMALL_PHONE)
    page.goto("/")

    assert page.locator("#next-availability").inner_text() == (
        "Registration is open: 40 places left."
    )
    register = box(page, "#next-register")
    assert register["y"] + register["height"] < SMALL_PHONE["height"]
    places = box(page, "#next-availability")
    assert places["y"] + places["height"] < SMALL_PHONE["height"]


def test_on_a_wide_screen_the_home_page_uses_the_width(new_page, home):
    page = new_page(viewport=WIDE)
    page.goto("/")

    next_seminar, about = box(page, ".home-next"), box(page, ".home-about")
    assert next_seminar["y"] == about["y"]  # side by side
    assert next_seminar["x"] + next_seminar["width"] < about["x"]
    # A lone card fills its section rather than standing in a narrow column.
    upcoming = box(page, "section[aria-labelledby=upcoming-title]")
    card = box(page, "section[aria-labelledby=upcoming-title] .card-list > li")
    assert card["width"] == upcoming["width"]


@pytest.mark.parametrize("viewport", [SMALL_PHONE, WIDE], ids=["phone", "desktop"])
def test_footer_links_are_a_list_of_comfortable_targets(new_page, site, viewport):
    page = new_page(viewport=viewport)
    page.goto("/")

    links = page.locator(".site-footer ul.footer-links > li > a")
    assert links.count() == 10
    sizes = {
        link.inner_text(): (link.bounding_box()["width"], link.bounding_box()["height"])
        for link in links.all()
    }
    # WCAG 2.5.8 (AA) asks for 24 by 24 CSS pixels; each link is at least 44 high.
    assert {text: w >= 24 and h >= 44 for text, (w, h) in sizes.items()} == dict.fromkeys(
        sizes, True
    )


SYSTEM_COLOUR = """(keyword) => {
  const probe = document.createElement("span");
  probe.style.color = keyword;
  document.body.append(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  return colour;
}"""


def test_the_voices_chart_takes_the_system_colours_in_forced_colours(page, site):
    seminar = SeminarFactory(slug="voices")
    TalkFactory(seminar=seminar, speakers=[PersonFactory()])
    page.emulate_media(forced_colors="active")
    page.goto("/seminars/voices/")

    track = page.locator(".voices-chart-track").first
    share = page.locator(".voices-chart-share").first
    painted = {
        "track": track.evaluate("(rect) => getComputedStyle(rect).fill"),
        "track edge": track.evaluate("(rect) => getComputedStyle(rect).stroke"),
        "share": share.evaluate("(rect) => getComputedStyle(rect).fill"),
    }

    assert painted == {
        "track": page.evaluate(SYSTEM_COLOUR, "Canvas"),
        "track edge": page.evaluate(SYSTEM_COLOUR, "CanvasText"),
        "share": page.evaluate(SYSTEM_COLOUR, "Highlight"),
    }
    assert painted["share"] != painted["track"]
