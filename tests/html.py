"""Read pages the way a visitor does: by the text in elements, not by raw markup."""

from bs4 import BeautifulSoup


def page(response):
    return page_with_status(response, 200)


def page_with_status(response, status):
    assert response.status_code == status, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def texts(soup, selector):
    """The visible text of every element matching a CSS selector, whitespace collapsed."""
    return [_collapse(element.get_text(" ", strip=True)) for element in soup.select(selector)]


def text(soup, selector):
    found = texts(soup, selector)
    assert len(found) == 1, f"{selector!r} matched {len(found)} elements"
    return found[0]


def links(soup, selector):
    """(text, href) of every link inside elements matching a selector."""
    return [
        (_collapse(a.get_text(" ", strip=True)), a.get("href"))
        for element in soup.select(selector)
        for a in element.find_all("a")
    ]


def _collapse(value):
    return " ".join(value.split())


def form_data(form):
    """What a browser submits for a form, before any button: {name: [values]}."""
    data = {}
    for field in form.select("input, select, textarea"):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        if field.name == "select":
            options = field.select("option[selected]") or (
                [] if field.has_attr("multiple") else field.select("option")[:1]
            )
            data.setdefault(name, []).extend(option.get("value", option.text) for option in options)
            continue
        kind = field.get("type", "text")
        if kind in {"submit", "button", "image", "reset", "file"}:
            continue
        if kind in {"checkbox", "radio"} and not field.has_attr("checked"):
            continue
        if field.name == "textarea":
            value = field.text.removeprefix("\n")
        else:
            value = field.get("value", "on" if kind in {"checkbox", "radio"} else "")
        data.setdefault(name, []).append(value)
    return data
