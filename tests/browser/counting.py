"""Counting what a person does in a browser, as the browser itself reports it.

A script in every page of the context (popups included) reports to Python:

- a **page load**: each document the browser loads in a window or a popup (not in a frame),
  once, as it starts. A redirect after a form is one load; a file download is no load, as
  no page opens; a popup's add form and the page that closes it after Save are two.
- an **action**, one per:
  - click: a trusted `mousedown` (a label's click passed to its box is not one more);
  - edit of a field: the first trusted `input` event in a field (typing), or a `change`
    on a `<select>` (a choice from a list), counted once until the person does something
    else (one field typed, key by key, is one action); boxes and buttons count as clicks;
  - key pressed for its own sake: Enter, Escape, Tab, the arrows (not the letters typed).

Opening an address (the first `page.goto`) is a page load, not an action.
"""

SCRIPT = """(() => {
  if (window.top !== window) return;
  const report = (kind, what, page = "") => window.__userEvent(kind, what, page);
  // Each document reports itself as it starts, and again when ready and when loaded (a
  // report sent before the browser has set up a new popup's page may be lost); Python
  // counts each document once. A popup's first page reuses the window of its empty page
  // ("about:blank") where this script ran, so the listeners below are set once a window.
  const loaded = () => {
    if (location.href === "about:blank") return;
    document.__counted ??= `${Date.now()}-${Math.random()}`;
    report("load", location.pathname, document.__counted);
  };
  loaded();
  if (window.__counting) return;
  window.__counting = true;
  addEventListener("DOMContentLoaded", loaded);
  addEventListener("load", loaded);
  const describe = (element) =>
    element.id || element.name || (element.textContent || "").trim().slice(0, 40)
    || element.tagName.toLowerCase();
  let editing = null;
  addEventListener("mousedown", (event) => {
    if (!event.isTrusted) return;
    editing = null;
    report("click", describe(event.target));
  }, true);
  addEventListener("keydown", (event) => {
    const own = event.key.length > 1 && !["Shift", "Control", "Alt", "Meta"].includes(event.key);
    if (!event.isTrusted || !own) return;
    editing = null;
    report("key", event.key);
  }, true);
  const edited = (event) => {
    const field = event.target;
    if (!field.matches || !field.matches("input, select, textarea")) return;
    if (["checkbox", "radio", "submit", "button"].includes(field.type)) return;
    const typed = event.type === "input" && event.isTrusted;
    const chosen = event.type === "change" && field.matches("select");
    if (!(typed || chosen) || field === editing) return;
    editing = field;
    report("edit", describe(field));
  };
  addEventListener("input", edited, true);
  addEventListener("change", edited, true);
})();"""


class UserEvents:
    """The actions and page loads in one browser context, from the moment it is made."""

    def __init__(self, context):
        self.log = []
        self._documents = set()
        context.expose_binding("__userEvent", self._record)
        context.add_init_script(script=SCRIPT)

    def _record(self, source, kind, what, document):
        if kind == "load":
            if document in self._documents:
                return
            self._documents.add(document)
        self.log.append((kind, what))

    @property
    def actions(self):
        return [(kind, what) for kind, what in self.log if kind != "load"]

    @property
    def page_loads(self):
        return [what for kind, what in self.log if kind == "load"]
