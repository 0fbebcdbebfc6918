"""The site serves Bootstrap trimmed to the classes it uses (tools/trim_bootstrap.py). These
tests fail when a template or a form starts using a Bootstrap class the trimmed file lacks,
so the file cannot fall behind the pages without anyone noticing."""

import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from people.models import Person, User
from seminars.management.commands.load_demo import (
    ORGANISER_EMAIL,
    SPEAKER_PERSON_SLUG,
    demo_load,
    demo_logins_ensure,
)
from tests.factories import UserFactory
from tools import trim_bootstrap
from tools.trim_bootstrap import (
    FULL,
    TRIMMED,
    build,
    classes_in_template,
    styled_classes,
    template_files,
    trimmed_css,
)

BOOTSTRAP = styled_classes(FULL.read_text())
TRIMMED_CLASSES = styled_classes(TRIMMED.read_text())
# Pages that are not HTML, or not Bootstrap's: feeds, calendars, files, the admin.
VISITOR_START = ["/", "/search/?q=peer+support", "/subscribe/", "/accounts/login/"]
# The demo's contributor whose offer is accepted: the expense claim form.
CONTRIBUTOR_SLUG = "bilal-sample"
NOT_PAGES = re.compile(r"^/(admin|static|media)/|/feed/|\.ics$|/receipt/|/certificate/|/data/")


def test_the_trimmed_file_is_what_the_script_makes_today():
    # Not compared with ==: pytest would print 24 KB of minified CSS on one line.
    stale = TRIMMED.read_text() != build()
    assert not stale, "static/vendor/bootstrap/bootstrap.trimmed.css is stale: run `make css`"


def test_every_bootstrap_class_in_a_template_is_in_the_trimmed_file():
    missing = {
        path.relative_to(trim_bootstrap.ROOT).as_posix(): sorted(
            (classes_in_template(path.read_text()) & BOOTSTRAP) - TRIMMED_CLASSES
        )
        for path in template_files()
    }
    assert {path: names for path, names in missing.items() if names} == {}, "run `make css`"


def test_the_trimmed_file_keeps_the_licence_and_drops_what_no_page_uses():
    text = TRIMMED.read_text()

    assert text.startswith('@charset "UTF-8";/*!\n * Bootstrap  v5.3.9')
    assert "Licensed under MIT" in text
    assert {"btn", "btn-primary", "form-control", "is-invalid", "visually-hidden"} <= (
        TRIMMED_CLASSES
    )
    assert not {"modal", "carousel", "navbar", "col-md-6", "btn-warning"} & TRIMMED_CLASSES
    assert "data-bs-theme" not in text
    assert len(text) < len(FULL.read_text()) / 5


def test_a_rule_stays_while_one_of_its_selectors_can_match():
    css = (
        ".a,.b{color:red}.b{color:blue}p{margin:0}:not(.b)+.a{top:0}"
        "@media (min-width:1px){.b{left:0}.a .b,.a{right:0}}"
        "[data-bs-theme=dark]{--bs-x:1}.a{--bs-y:2;--bs-z:3;width:var(--bs-y)}"
        "@keyframes spin{to{top:0}}@keyframes fade{to{top:0}}.a:hover{animation:spin 1s}"
    )

    assert trimmed_css(css, {"a"}, set(), "") == (
        f"{trim_bootstrap.HEADER}\n"
        ".a{color:red}p{margin:0}:not(.b)+.a{top:0}@media (min-width:1px){.a{right:0}}"
        ".a{--bs-y:2;width:var(--bs-y)}@keyframes spin{to{top:0}}.a:hover{animation:spin 1s}\n"
    )


@pytest.mark.parametrize(
    "markup", ['<a class="btn-{{ kind }}">', '<a class="btn{% if x %}-primary{% endif %}">']
)
def test_a_class_name_built_by_a_template_tag_is_refused(markup):
    with pytest.raises(ValueError, match="a class name built by a template tag"):
        classes_in_template(markup)


def test_classes_beside_template_tags_are_read():
    markup = (
        '<div class="mb-3{% if errors %} is-invalid{% endif %} {{ extra }}">'
        "{% crispy_field field 'class' 'form-select' %}"
    )

    assert classes_in_template(markup) == {"mb-3", "is-invalid", "form-select"}


def _crawl(client, start):
    """Every page of the site reachable by links from `start`: {path: soup}."""
    seen, queue, pages = set(start), list(start), {}
    while queue:
        path = queue.pop(0)
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        pages[path] = soup = BeautifulSoup(response.content, "html.parser")
        for link in soup.find_all("a", href=True):
            parts = urlsplit(link["href"])
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            ours = parts.netloc in ("", "testserver") and target.startswith("/")
            if ours and target not in seen and not NOT_PAGES.search(parts.path):
                seen.add(target)
                queue.append(target)
    return pages


def _forms_sent_empty(client, pages):
    """Each form that asks for something, sent with nothing in it: its page with errors.
    Forms that only confirm (cancel, delete, log out) have no fields and are not sent."""
    shown = {}
    for path, soup in pages.items():
        for form in soup.select("form[method=post]"):
            fields = form.select("input:not([type=hidden]):not([type=submit]), select, textarea")
            action = form.get("action") or path
            if fields and action not in shown and not NOT_PAGES.search(action):
                response = client.post(action, {})
                shown[action] = BeautifulSoup(response.content, "html.parser")
    return shown


def _classes(soup):
    return {name for element in soup.find_all(class_=True) for name in element["class"]}


@pytest.mark.django_db
def test_every_bootstrap_class_on_the_demo_pages_is_in_the_trimmed_file(client, settings, tmp_path):
    """Classes that Python adds (crispy-forms' widgets, layouts) are seen only on rendered
    pages: every page of the demo reachable by links, to a visitor with a registration, to
    the demo speaker, to a contributor with an accepted offer and to an organiser at the door,
    and every form sent empty."""
    settings.MEDIA_ROOT = tmp_path
    settings.REGISTRATION_RATE_LIMIT = settings.LOGIN_RATE_LIMIT = 1000
    demo = demo_load()
    demo_logins_ensure()
    registrations = [s.registrations.order_by("-pk").first() for s in demo["seminars"]]
    contributor = Person.objects.get(slug=CONTRIBUTOR_SLUG)
    contributor.user = UserFactory(email="bilal@example.org")
    contributor.save()

    pages = {}
    visitor = [r.get_absolute_url() for r in registrations if r] + VISITOR_START
    for user, start in [
        (None, visitor),
        (Person.objects.get(slug=SPEAKER_PERSON_SLUG).user, ["/profile/"]),
        (contributor.user, ["/profile/"]),
        (
            User.objects.get(email=ORGANISER_EMAIL),
            [reverse("admin:seminars_seminar_check_in", args=[demo["seminars"][1].pk])],
        ),
    ]:
        if user:
            client.force_login(user)
        seen = _crawl(client, start)
        pages |= seen | _forms_sent_empty(client, seen)

    missing = {
        path: sorted((_classes(soup) & BOOTSTRAP) - TRIMMED_CLASSES) for path, soup in pages.items()
    }
    assert len(pages) > 60
    assert {"/profile/", "/subscribe/", "/voices/"} <= set(pages)
    assert any(path.endswith("/claims/new/") for path in pages)
    assert any(path.endswith("/feedback/") for path in pages)
    assert any(path.endswith("/check-in/") for path in pages)
    assert "is-invalid" in _classes(pages["/subscribe/"])
    assert {path: names for path, names in missing.items() if names} == {}
