"""Bootstrap cut down to the rules the site's pages can use: `make css`.

Reads the vendored, complete `bootstrap.min.css` (kept as the source) and every class the
public templates and the forms' Python name, and writes `bootstrap.trimmed.css` beside it:
a rule stays when one of its selectors can match (each class it needs is one the site uses);
rules about elements alone (Bootstrap's reboot) always stay. Colour modes (`data-bs-theme`)
and components' JavaScript hooks (`data-bs-*`) go unless a template names them; keyframes go
unless a kept rule runs them; custom properties go when nothing kept reads them.

The Django admin is left out: it does not load Bootstrap. `tests/test_trimmed_bootstrap.py`
fails when the trimmed file is not what this script makes from the templates of the day, and
when a rendered page carries a Bootstrap class the trimmed file lacks.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FULL = ROOT / "static/vendor/bootstrap/bootstrap.min.css"
TRIMMED = ROOT / "static/vendor/bootstrap/bootstrap.trimmed.css"
TEMPLATES = ROOT / "templates"
# Only the admin's templates: they style themselves and never load Bootstrap.
SKIPPED_TEMPLATES = TEMPLATES / "admin"
# Python that names classes for crispy-forms' layouts (`Div(..., css_class="d-none")`).
PYTHON_SOURCES = [ROOT / "seminars", ROOT / "people"]
# The site's own stylesheets, which set some of Bootstrap's custom properties and read others.
SITE_CSS = ROOT / "static/css"

HEADER = "/*! Trimmed to the classes the site uses by tools/trim_bootstrap.py (`make css`). */"

# What a template tag becomes while class attributes are read: a tag that prints (`{{ x }}`)
# or one that only decides (`{% if %}`, `{# #}`). Neither is a name or a space, so a name
# glued to one is seen.
PRINTS, LOGIC = "\x00", "\x01"
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
CLASS_ATTRIBUTE = re.compile(r"""\bclass=(?:"([^"]*)"|'([^']*)')""")
# crispy-forms' tag that gives a field's widget its classes: `{% crispy_field field 'class' 'x' %}`.
TAG_CLASS = re.compile(r"""\{%\s*crispy_field\s[^%]*?["']class["']\s+(?:"([^"]*)"|'([^']*)')""")
PYTHON_CLASS = re.compile(r"""\bcss_class=(?:"([^"]*)"|'([^']*)')""")
# A token that can be a class name: what is left when template tags are taken out may be
# a half of a name built in the template, which the check below refuses.
CLASS_NAME = re.compile(r"-?[_a-zA-Z][_a-zA-Z0-9-]*")
SELECTOR_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
SELECTOR_ATTRIBUTE = re.compile(r"\[\s*([_a-zA-Z][_a-zA-Z0-9-]*)")
CUSTOM_PROPERTY = re.compile(r"(--[_a-zA-Z0-9-]+)\s*:")
VAR_READ = re.compile(r"var\(\s*(--[_a-zA-Z0-9-]+)")


def template_files():
    for path in sorted(TEMPLATES.rglob("*.html")):
        if SKIPPED_TEMPLATES not in path.parents:
            yield path


def classes_in_template(text):
    """Class names in a template's class attributes. A name that a template tag builds
    (`btn-{{ kind }}`, `btn{% if x %}-primary{% endif %}`) cannot be read, so it is refused
    rather than guessed."""
    names = set()
    for match in TAG_CLASS.finditer(text):
        names.update((match.group(1) if match.group(1) is not None else match.group(2)).split())
    marked = TEMPLATE_TAG.sub(lambda tag: PRINTS if tag.group(0)[1] == "{" else LOGIC, text)
    for match in CLASS_ATTRIBUTE.finditer(marked):
        value = match.group(1) if match.group(1) is not None else match.group(2)
        for token in value.split():
            pieces = [piece for piece in re.split(f"[{PRINTS}{LOGIC}]", token) if piece]
            glued_to_output = PRINTS in token.strip(LOGIC) and pieces
            if glued_to_output or len(pieces) > 1 or any(p.endswith("-") for p in pieces):
                raise ValueError(f"a class name built by a template tag: {token!r}")
            names.update(piece for piece in pieces if CLASS_NAME.fullmatch(piece))
    return names


def used_classes():
    names = set()
    for path in template_files():
        names |= classes_in_template(path.read_text())
    for folder in PYTHON_SOURCES:
        for path in sorted(folder.rglob("*.py")):
            for match in PYTHON_CLASS.finditer(path.read_text()):
                names.update((match.group(1) or match.group(2) or "").split())
    return names


def used_attributes():
    text = "".join(path.read_text() for path in template_files())
    return set(re.findall(r"\b(data-bs-[a-z-]+)=", text))


# Parsing: minified CSS as Bootstrap ships it, in blocks. A block is a rule
# (selector, declarations), an at-rule with blocks inside (@media), or a statement.


def _skip_string(css, start):
    quote = css[start]
    i = start + 1
    while css[i] != quote:
        i += 2 if css[i] == "\\" else 1
    return i + 1


def _closing_brace(css, start):
    """Index of the brace closing the one at `start`, skipping strings."""
    depth, i = 0, start
    while True:
        char = css[i]
        if char in "\"'":
            i = _skip_string(css, i)
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1


def parse(css):
    """[(prelude, body)]: body is a list of blocks for @media and @supports, text otherwise,
    None for a statement (`@charset ...;`). Comments come back as (comment, None)."""
    blocks, i = [], 0
    while i < len(css):
        if css[i].isspace():
            i += 1
        elif css.startswith("/*", i):
            end = css.index("*/", i) + 2
            blocks.append((css[i:end], None))
            i = end
        else:
            j = i
            while css[j] not in "{;":
                j = _skip_string(css, j) if css[j] in "\"'" else j + 1
            prelude = css[i:j].strip()
            if css[j] == ";":
                blocks.append((prelude + ";", None))
                i = j + 1
                continue
            end = _closing_brace(css, j)
            inner = css[j + 1 : end]
            nested = prelude.startswith(("@media", "@supports", "@layer", "@container"))
            blocks.append((prelude, parse(inner) if nested else inner))
            i = end + 1
    return blocks


def serialise(blocks):
    parts = []
    for prelude, body in blocks:
        if body is None:
            parts.append(prelude)
        elif isinstance(body, list):
            parts.append(prelude + "{" + serialise(body) + "}")
        else:
            parts.append(prelude + "{" + body + "}")
    return "".join(parts)


def split_selectors(selector_list):
    """Split on the commas between selectors, not those inside :not(...)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(selector_list):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(selector_list[start:i])
            start = i + 1
    parts.append(selector_list[start:])
    return parts


def _without_negations(selector):
    # `:not(.btn-check)` matches everywhere a class that is never used is missing.
    out, i = [], 0
    while i < len(selector):
        if selector.startswith(":not(", i):
            depth, i = 1, i + 5
            while depth:
                depth += {"(": 1, ")": -1}.get(selector[i], 0)
                i += 1
        else:
            out.append(selector[i])
            i += 1
    return "".join(out)


def selector_can_match(selector, classes, attributes):
    positive = _without_negations(selector)
    if not set(SELECTOR_CLASS.findall(positive)) <= classes:
        return False
    return all(
        name in attributes
        for name in SELECTOR_ATTRIBUTE.findall(positive)
        if name.startswith("data-bs-")
    )


def styled_classes(css):
    """Every class some rule of a stylesheet styles (outside `:not(...)`)."""
    names = set()
    for prelude, _body in _all_bodies(parse(css)):
        if not prelude.startswith("@"):
            for selector in split_selectors(prelude):
                names.update(SELECTOR_CLASS.findall(_without_negations(selector)))
    return names


def trim_rules(blocks, classes, attributes):
    kept = []
    for prelude, body in blocks:
        if body is None or prelude.startswith("@keyframes"):
            kept.append((prelude, body))
        elif isinstance(body, list):
            inner = trim_rules(body, classes, attributes)
            if inner:
                kept.append((prelude, inner))
        elif prelude.startswith("@"):
            kept.append((prelude, body))
        else:
            selectors = [
                s for s in split_selectors(prelude) if selector_can_match(s, classes, attributes)
            ]
            if selectors:
                kept.append((",".join(selectors), body))
    return kept


def _declarations(body):
    parts, depth, start, i = [], 0, 0, 0
    while i < len(body):
        char = body[i]
        if char in "\"'":
            i = _skip_string(body, i)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == ";" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
        i += 1
    parts.append(body[start:])
    return [part for part in parts if part.strip()]


def _all_bodies(blocks):
    for prelude, body in blocks:
        if isinstance(body, list):
            yield from _all_bodies(body)
        elif body is not None:
            yield prelude, body


def prune_unread(blocks, site_css):
    """Drop custom properties nothing reads and keyframes nothing runs, until none is left."""
    while True:
        text = serialise(blocks) + site_css
        read = set(VAR_READ.findall(text))
        running = " ".join(
            body for prelude, body in _all_bodies(blocks) if not prelude.startswith("@keyframes")
        )
        changed = False

        def keep(prelude, body, read=read, running=running):
            nonlocal changed
            if prelude.startswith("@keyframes"):
                name = prelude.split()[1]
                if not re.search(rf"animation(?:-name)?:[^;}}]*\b{re.escape(name)}\b", running):
                    changed = True
                    return None
                return body
            declarations = _declarations(body)
            wanted = [
                d
                for d in declarations
                if not (m := CUSTOM_PROPERTY.match(d.strip())) or m.group(1) in read
            ]
            if len(wanted) != len(declarations):
                changed = True
            return ";".join(wanted) if wanted else None

        blocks = _map(blocks, keep)
        if not changed:
            return blocks


def _map(blocks, keep):
    out = []
    for prelude, body in blocks:
        if body is None:
            out.append((prelude, body))
        elif isinstance(body, list):
            inner = _map(body, keep)
            if inner:
                out.append((prelude, inner))
        else:
            new_body = keep(prelude, body)
            if new_body is not None:
                out.append((prelude, new_body))
    return out


def trimmed_css(full_css, classes, attributes, site_css):
    blocks = parse(full_css)
    licence = [block for block in blocks if block[0].startswith(("@charset", "/*!"))]
    rules = [block for block in blocks if block not in licence]
    rules = prune_unread(trim_rules(rules, classes, attributes), site_css)
    return serialise(licence) + HEADER + "\n" + serialise(rules) + "\n"


def site_stylesheets():
    return "".join(path.read_text() for path in sorted(SITE_CSS.glob("*.css")))


def build():
    return trimmed_css(FULL.read_text(), used_classes(), used_attributes(), site_stylesheets())


def main():
    text = build()
    TRIMMED.write_text(text)
    print(f"{TRIMMED.relative_to(ROOT)}: {len(text.encode()):,} bytes from {FULL.stat().st_size:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
