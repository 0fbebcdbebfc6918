"""axe-core and the Nu HTML Checker, run over the pages a browser test visits.

Both come from npm (package.json); `make test` installs them. A failing check prints every
violation with the elements it found, so the fix can start from the test output.
"""

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
# A JVM that lives a few seconds: the quick compiler only and one garbage-collector thread
# halve the checker's CPU time and its wall time on two cores (same messages). The quick
# compiler's frames are larger, and the checker needs deep stacks for its schema: give it room.
VNU = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss16m", "-jar", str(VNU_JAR)]
# The WCAG 2.2 A and AA rules, and axe's best practices too (heading order, landmarks).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => ({
      target: node.target.join(" "),
      summary: node.failureSummary,
    })),
  }));
}"""


def axe_violations(page):
    """Every violation axe-core finds on the whole page, as readable lines."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    lines = []
    for violation in page.evaluate(RUN_AXE, AXE_TAGS):
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}: {summary}")
    return lines


def vnu_errors(documents, folder):
    """Nu HTML Checker errors for {label: html}, as readable lines, one java run for all."""
    paths = {}
    for number, (label, html) in enumerate(documents.items()):
        path = Path(folder) / f"{number:03d}-{re.sub(r'[^a-z0-9]+', '-', label.lower())}.html"
        path.write_text(html, encoding="utf-8")
        paths[str(path.resolve())] = label
    result = subprocess.run(
        [*VNU, "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    lines = []
    for message in messages:
        url = message.get("url", "")
        label = paths.get(url.removeprefix("file:"), url)
        where = f"line {message.get('lastLine', '?')}"
        lines.append(f"{label} ({where}): {message['message']}  {message.get('extract', '')!r}")
    assert result.returncode in (0, 1), result.stderr
    assert result.returncode == 0 or lines, result.stderr
    return lines


@dataclass
class PageChecks:
    """Run axe on each state a test reaches, and keep the HTML the server sent for vnu."""

    page: object
    violations: list = field(default_factory=list)
    documents: dict = field(default_factory=dict)
    _responses: list = field(default_factory=list)

    def __post_init__(self):
        self.page.on(
            "response",
            lambda response: (
                self._responses.append(response)
                if response.request.resource_type == "document"
                else None
            ),
        )

    def check(self, label, *, status=200):
        """Check the whole page, Django's admin's parts too: axe on what the browser shows,
        the Nu checker (at the end) on the HTML the server sent."""
        self.page.wait_for_load_state()
        response = self._responses[-1]
        assert response.status == status, f"{label}: {response.status} {response.url}"
        self.documents[label] = response.text()
        where = f"{label} [{self.page.url}]"
        self.violations += [f"{where} {line}" for line in axe_violations(self.page)]

    def assert_clean(self, folder):
        problems = self.violations + vnu_errors(self.documents, folder)
        assert not problems, "\n".join(["", *problems])
