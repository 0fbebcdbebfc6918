"""Moving through a page with the keyboard alone, measuring that focus can be seen.

Focus is visible when enough pixels around the focused control change, between the control
unfocused and focused, by a contrast ratio of at least 3:1 (WCAG 1.4.11, 2.4.7 and 2.4.13):
a pale glow changes pixels, but none by enough to count.
"""

import collections
import io
import time

from PIL import Image

MARGIN = 8  # CSS px around the control where a focus ring may be drawn
MIN_RATIO = 3.0

ACTIVE_ELEMENT = """() => {
  const element = document.activeElement;
  return {
    tag: element.tagName.toLowerCase(),
    id: element.id,
    name: element.getAttribute("name") || "",
    text: (element.innerText || element.value || "").trim(),
  };
}"""

# The visible boxes of the element (one per line for a link that wraps), in viewport pixels.
VISIBLE_BOXES = """(element) => {
  const width = document.documentElement.clientWidth;
  const height = document.documentElement.clientHeight;
  return [...element.getClientRects()].map((rect) => ({
    left: Math.max(rect.left, 0),
    top: Math.max(rect.top, 0),
    right: Math.min(rect.right, width),
    bottom: Math.min(rect.bottom, height),
  })).filter((box) => box.right > box.left && box.bottom > box.top);
}"""


def _luminance(rgb):
    """WCAG relative luminance of an sRGB colour."""

    def linear(channel):
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(one, other):
    lighter, darker = sorted([_luminance(one), _luminance(other)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _shot(page, clip):
    png = page.screenshot(clip=clip, animations="disabled", caret="hide")
    return Image.open(io.BytesIO(png)).convert("RGB")


def _pixels(image):
    """(r, g, b) for each pixel of an RGB image, in order."""
    channels = iter(image.tobytes())
    return zip(channels, channels, channels, strict=True)


def _wait_for_scrolling_to_end(page):
    """Bootstrap scrolls smoothly to a focused field: measure once the page stands still.
    (Sampled from here: a page with JavaScript off runs no timers of an evaluated script.)"""
    position = None
    for _ in range(50):
        now = page.evaluate("() => [window.scrollX, window.scrollY]")
        if now == position:
            return
        position = now
        page.wait_for_timeout(40)


def focus_indicator(page, element):
    """(pixels that changed by >= 3:1 on focus, pixels needed): the element is focused.

    Needed: as many pixels as a ring 1 CSS px thick around each visible box of the element
    (half of what WCAG 2.4.13, AAA, asks: a ring round a link in a paragraph lands partly on
    the dark text of the lines above and below, which cannot change by 3:1). A pale glow
    changes no pixel by 3:1 at all. The element is blurred for the unfocused picture, then focused
    again (by script: the browser keeps showing focus as it would after a key press).
    """
    # A slow machine may not have started the smooth scroll when the page first stands
    # still: wait (up to 2 s) until the focused element is on screen, or fail below.
    deadline = time.monotonic() + 2
    _wait_for_scrolling_to_end(page)
    while not (boxes := element.evaluate(VISIBLE_BOXES)) and time.monotonic() < deadline:
        page.wait_for_timeout(40)
        _wait_for_scrolling_to_end(page)
    assert boxes, f"the focused element is not on screen: {page.evaluate(ACTIVE_ELEMENT)}"
    viewport = page.viewport_size
    left = max(min(box["left"] for box in boxes) - MARGIN, 0)
    top = max(min(box["top"] for box in boxes) - MARGIN, 0)
    right = min(max(box["right"] for box in boxes) + MARGIN, viewport["width"])
    bottom = min(max(box["bottom"] for box in boxes) + MARGIN, viewport["height"])
    clip = {"x": left, "y": top, "width": right - left, "height": bottom - top}
    focused = _shot(page, clip)
    element.evaluate("(element) => element.blur()")
    unfocused = _shot(page, clip)
    element.evaluate("(element) => element.focus()")
    # Each pair of colours (unfocused, focused) is measured once, however many pixels have it.
    pairs = collections.Counter(zip(_pixels(unfocused), _pixels(focused), strict=True))
    changed = sum(
        count
        for (before, after), count in pairs.items()
        if before != after and contrast_ratio(before, after) >= MIN_RATIO
    )
    needed = sum(2 * ((box["right"] - box["left"]) + (box["bottom"] - box["top"])) for box in boxes)
    return changed, int(needed)


def assert_focus_visible(page):
    element = page.evaluate_handle("document.activeElement")
    changed, needed = focus_indicator(page, element)
    active = page.evaluate(ACTIVE_ELEMENT)
    assert changed >= needed, (
        f"focus is not visible on {active}: {changed} pixels changed by 3:1, {needed} needed"
    )


def tab_to(page, *, name=None, text=None, limit=60):
    """Press Tab until the focused element has a field name or starts with a text.

    Every element the focus passes must show it: an invisible or pale focus fails the test.
    """
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE_ELEMENT)
        assert_focus_visible(page)
        if (name is not None and active["name"] == name) or (
            text is not None and active["text"].startswith(text)
        ):
            return active
    raise AssertionError(f"Tab never reached name={name!r} text={text!r}")


def active_element(page):
    return page.evaluate(ACTIVE_ELEMENT)
