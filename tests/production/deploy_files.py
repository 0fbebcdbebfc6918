"""The deploy/ files, read and filled in exactly as an operator would: envsubst-style
`${NAME}` placeholders, systemd's unit and EnvironmentFile syntax."""

import re
import shlex
from pathlib import Path

DEPLOY_DIR = Path(__file__).resolve().parents[2] / "deploy"
APP_DIR = DEPLOY_DIR.parent

# Only `${NAME}` in capitals: nginx's own `$lower_case` variables and systemd's `$MAINPID` stay.
PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


def placeholders(path):
    return set(PLACEHOLDER.findall(Path(path).read_text()))


def render(path, values):
    """The file with every placeholder filled in; a placeholder without a value is an error,
    so a new one in deploy/ cannot go unnoticed by the rehearsal."""
    text = Path(path).read_text()
    missing = placeholders(path) - values.keys()
    if missing:
        raise KeyError(f"{path} needs values for {sorted(missing)}")
    return PLACEHOLDER.sub(lambda match: str(values[match[1]]), text)


def render_to(path, values, target):
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(path, values))
    return target


def parse_unit(text):
    """A systemd unit as {section: {key: value}} (the last value wins, as for ExecStart=
    in a plain service; comments and blank lines dropped)."""
    sections, current = {}, None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, _, value = line.partition("=")
        current[key.strip()] = value.strip()
    return sections


def parse_environment_file(text):
    """KEY=value lines as systemd's EnvironmentFile= reads them (no quoting is used here)."""
    environment = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        key, _, value = line.partition("=")
        environment[key.strip()] = value.strip()
    return environment


def service_command(unit_text):
    """What systemd would run for a service: (argv, working directory, environment file)."""
    service = parse_unit(unit_text)["Service"]
    return (
        shlex.split(service["ExecStart"]),
        service["WorkingDirectory"],
        service["EnvironmentFile"],
    )
