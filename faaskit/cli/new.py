"""``faaskit new NAME [--template T]`` and ``faaskit new --list``: start a project from a template.

The templates are the sample apps under ``samples/`` (one source): the wheel ships them as
``faaskit/cli/templates/<folder>`` (hatch ``force-include``), a source checkout reads them from
``samples/``. They are tooling: ``faaskit build`` never copies ``faaskit.cli`` into an artifact.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import attrs

from faaskit.exceptions import ConfigurationError, ProjectExistsError

__all__ = ["TEMPLATES", "Template", "add_parser", "create", "run", "template_root"]


@attrs.frozen(kw_only=True)
class Template:
    """One project template: its name, the sample folder holding it and what it shows."""

    name: str
    folder: str
    summary: str

    @property
    def placeholder(self) -> str:
        """The project name the template's files use, replaced by the new project's name."""
        return f"{self.name}-app"


TEMPLATES: tuple[Template, ...] = (
    Template(name="minimal", folder="minimal", summary="one HTTP route, the smallest project"),
    Template(
        name="http-api",
        folder="http_api",
        summary="CRUD HTTP API with JWT auth, throttling and request validation",
    ),
    Template(
        name="blob-pipeline",
        folder="blob_pipeline",
        summary="upload -> result object -> queue message (S3 / Blob Storage)",
    ),
    Template(
        name="queue-worker",
        folder="queue_worker",
        summary="one message at a time, per-message failures, dead letters (SQS / Queue Storage)",
    ),
    Template(
        name="topic-fanout",
        folder="topic_fanout",
        summary="publish to a topic and subscribe to it (SNS / Service Bus topic)",
    ),
    Template(
        name="scheduled-job",
        folder="scheduled_job",
        summary="a job on a schedule (EventBridge rule / timer trigger)",
    ),
    Template(
        name="event-consumer",
        folder="event_consumer",
        summary="events matching a pattern on an event bus (EventBridge / Event Grid)",
    ),
    Template(
        name="stream-processor",
        folder="stream_processor",
        summary="ordered stream records with checkpointing (Kinesis / Event Hubs)",
    ),
)

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,38}[A-Za-z0-9]")
_SKIPPED = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".faaskit"})
_SKIPPED_TOP = frozenset({"build"})
_TEXT_SUFFIXES = frozenset({".md", ".toml", ".txt", ".py", ".cfg", ".json", ".gitignore"})


def template_root() -> Path:
    """The folder holding the templates: inside the installed wheel, else the checkout's
    ``samples/``.
    """
    shipped = Path(__file__).resolve().parent / "templates"
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parents[2] / "samples"


def find(name: str) -> Template:
    """The template called ``name``; an unknown name lists the known ones."""
    for template in TEMPLATES:
        if template.name == name:
            return template
    known = ", ".join(t.name for t in TEMPLATES)
    raise ConfigurationError(f"unknown template {name!r}; choose one of: {known}")


def check_name(name: str) -> None:
    """Refuse a project name that is not usable as a folder, stack and Function App name."""
    if not _NAME.fullmatch(name) or "--" in name:
        raise ConfigurationError(
            f"invalid project name {name!r}: use 2 to 40 letters, digits and single hyphens, "
            "starting with a letter and ending with a letter or digit (it names the folder, "
            "the CloudFormation stack and the Function App)"
        )


def _files(source: Path) -> list[Path]:
    out: list[Path] = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if any(part in _SKIPPED for part in rel.parts) or rel.parts[0] in _SKIPPED_TOP:
            continue
        if path.is_file() and not path.name.endswith((".pyc", ".pyo")):
            out.append(rel)
    return out


def create(name: str, template: str = "minimal", *, parent: Path | None = None) -> Path:
    """Write a new project ``parent/name`` from ``template``; returns its folder.

    Raises :class:`ConfigurationError` for an invalid name or unknown template and
    :class:`ProjectExistsError` when the folder exists and is not empty; nothing is written then.
    """
    check_name(name)
    chosen = find(template)
    source = template_root() / chosen.folder
    if not (source / "app.py").is_file():
        raise ConfigurationError(f"template {chosen.name!r} is missing from {source}")
    target = (parent or Path.cwd()) / name
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ProjectExistsError(
            f"{target} already exists and is not empty; choose another name or remove it"
        )
    files = _files(source)
    target.mkdir(parents=True, exist_ok=True)
    for rel in files:
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        data = (source / rel).read_bytes()
        if rel.suffix in _TEXT_SUFFIXES or rel.name in _TEXT_SUFFIXES:
            data = data.replace(chosen.placeholder.encode(), name.encode())
        dest.write_bytes(data)
    return target


def add_parser(subparsers: Any) -> None:
    """Declare ``faaskit new``."""
    parser = subparsers.add_parser(
        "new",
        help="start a project from a template",
        description="Create the folder NAME holding a project made from a template: app.py, "
        "faaskit.toml, requirements.txt, tests, a README with the commands and a .gitignore.",
        epilog="examples:\n  faaskit new --list\n  faaskit new shop --template http-api",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("name", nargs="?", metavar="NAME", help="the project (and folder) name")
    parser.add_argument(
        "--template", "-t", default="minimal", metavar="T", help="default: minimal (see --list)"
    )
    parser.add_argument("--list", action="store_true", help="list the templates and stop")


def run(args: argparse.Namespace) -> int:
    """List the templates, or create the project and say what to do next."""
    if args.list:
        width = max(len(t.name) for t in TEMPLATES)
        for template in TEMPLATES:
            print(f"{template.name:<{width}}  {template.summary}")
        return 0
    if not args.name:
        raise ConfigurationError("give the project NAME (faaskit new NAME --template T)")
    target = create(args.name, args.template)
    print(f"created {target} from the {args.template} template")
    print(f"next: cd {args.name} && pytest, then read README.md")
    return 0
