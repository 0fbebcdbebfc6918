"""The admin's lists at 1280 px: the columns organisers need fit beside the menu and the
filters, with no horizontal scroll, as a superuser sees them (every menu entry shown)."""

import pytest

from seminars.management.commands.load_demo import demo_load
from seminars.models import Seminar
from seminars.services import registration_create
from tests.factories import PersonFactory, UserFactory

PASSWORD = "a superuser's long password"
VIEWPORT = {"width": 1280, "height": 800}

LISTS = {
    "/admin/seminars/seminar/": ["Title", "No.", "Date", "Venue", "Status", "Places taken"],
    "/admin/seminars/registration/": ["Name", "Email", "Seminar", "Status", "Workshop", "Date"],
    "/admin/people/person/": ["Name", "Affiliation", "Listed", "Roles shown", "Login"],
}

MEASURE = """() => {
  const table = document.querySelector('#result_list');
  const container = table.parentElement;
  const right = container.getBoundingClientRect().right;
  return {
    scrollWidth: table.scrollWidth,
    clientWidth: container.clientWidth,
    hidden: [...table.querySelectorAll('thead th')]
      .filter((th) => th.getBoundingClientRect().right > right + 0.5)
      .map((th) => th.innerText.trim()),
  };
}"""


@pytest.fixture
def busy_admin(site, settings, tmp_path):
    """The demo, with long names and addresses where lists are most often crowded."""
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_load()
    UserFactory(email="admin@example.org", is_staff=True, is_superuser=True, password=PASSWORD)
    hybrid = Seminar.objects.get(number=3)
    workshop = hybrid.workshops.first()
    for number, name in enumerate(
        ["Alexandra Longname-Example", "Christopher Placeholder-Smythe", "Bo Short"]
    ):
        registration_create(
            seminar=hybrid,
            name=name,
            email=f"person{number}@a-rather-long-organisation-name.example.org",
            organisation="Northbridge Community Mental Health Team (fictional)",
            workshop=workshop,
        )
    PersonFactory(
        name="Maximilian Extraordinarily-Longsurname",
        affiliation="The Northbridge and Eastmoor Joint Research Institute (fictional)",
    )


@pytest.mark.parametrize("url", list(LISTS))
def test_admin_list_fits_at_1280_px_without_horizontal_scroll(new_page, busy_admin, url):
    page = new_page(viewport=VIEWPORT)
    page.goto("/admin/login/")
    page.locator("#id_username").fill("admin@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(url)

    measured = page.evaluate(MEASURE)
    assert measured["scrollWidth"] <= measured["clientWidth"], measured
    assert measured["hidden"] == []
    headers = page.locator("#result_list thead th:not(.action-checkbox-column)")
    assert [header.strip().capitalize() for header in headers.all_inner_texts()] == [
        header.capitalize() for header in LISTS[url]
    ]
    for header in headers.all():
        assert header.is_visible()
    assert page.locator("#nav-sidebar").is_visible()  # beside the admin's own menu
