"""Text that must stay on one line: refused with a message where it enters, made safe where
it leaves (calendars, email headers), so that odd text already stored never fails a page.

A title with a line break once made its calendar and every registration email for it fail:
iCalendar property values and email headers cannot hold a raw line break.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

# Line breaks as Unicode counts them (str.splitlines), and every other control character.
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def _is_control(character):
    return unicodedata.category(character) == "Cc" or character in _LINE_BREAKS


def single_line(value):
    """Validator for single-line fields (titles, names): no line breaks, no control
    characters. Forms, the admin's included, show the message under the field."""
    if any(_is_control(character) for character in value):
        raise ValidationError(
            "Enter this on one line: line breaks and control characters cannot be used here.",
            code="single_line",
        )


def one_line(text):
    """`text` on one line, whatever is stored: breaks and tabs become a space, other control
    characters go."""
    text = re.sub(f"[\t{_LINE_BREAKS}]", " ", text or "")
    text = "".join(character for character in text if not _is_control(character))
    return re.sub(" {2,}", " ", text).strip()


def printable_lines(text):
    """`text` with its lines kept (as \\n) and every other control character removed."""
    lines = (text or "").replace("\r\n", "\n").splitlines()
    return "\n".join(
        "".join(character for character in line.replace("\t", " ") if not _is_control(character))
        for line in lines
    )
