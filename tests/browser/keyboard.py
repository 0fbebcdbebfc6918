"""Moving through a page with the keyboard alone, checking that focus can be seen."""

FOCUS_IS_VISIBLE = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return outlined || style.boxShadow !== "none";
}"""

ACTIVE_ELEMENT = """() => {
  const element = document.activeElement;
  return {
    tag: element.tagName.toLowerCase(),
    id: element.id,
    name: element.getAttribute("name") || "",
    text: (element.innerText || element.value || "").trim(),
  };
}"""


def tab_to(page, *, name=None, text=None, limit=60):
    """Press Tab until the focused element has a field name or starts with a text.

    Every element the focus passes must show it: an invisible focus fails the test.
    """
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE_ELEMENT)
        assert page.evaluate(FOCUS_IS_VISIBLE), f"focus is not visible on {active}"
        if (name is not None and active["name"] == name) or (
            text is not None and active["text"].startswith(text)
        ):
            return active
    raise AssertionError(f"Tab never reached name={name!r} text={text!r}")


def active_element(page):
    return page.evaluate(ACTIVE_ELEMENT)
