"""Which of the app's files ship: everything under its root except what never belongs in a
deployment (tests, dotfiles, logs, local settings, keys and secrets, caches), and except what
the app's ``.faaskitignore`` (gitignore syntax) adds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from faaskit.exceptions import ConfigurationError

__all__ = ["DEFAULT_IGNORE", "IGNORE_FILE", "shipped_files"]

IGNORE_FILE = ".faaskitignore"
DEFAULT_IGNORE = (
    # caches, environments and build output
    "__pycache__/", "*.py[cod]", "*.egg-info/", "node_modules/", "venv/", "build/", "dist/",
    # dotfiles and dot-folders: .env, .git, .venv, .aws-sam, editor settings, ...
    ".*",
    # tests, local entry points and build configuration
    "tests/", "test/", "conftest.py", "test_*.py", "*_test.py", "__main__.py", "faaskit.toml",
    # logs, local settings, keys and secrets
    "*.log", "local.settings.json", "*.pem", "*.key", "*.p12", "*.pfx", "secrets*",
)  # fmt: skip
"""gitignore patterns no deployment ships; a ``.faaskitignore`` beside the app adds more."""


def _spec(lines: Iterable[str], source: str) -> Callable[[str], bool]:
    try:
        import pathspec
    except ImportError as exc:  # pragma: no cover - pathspec ships with faaskit[build]
        raise ConfigurationError(
            "faaskit build needs the 'pathspec' package: pip install 'faaskit[build]'"
        ) from exc
    try:
        spec: Any = pathspec.GitIgnoreSpec.from_lines(list(lines))
    except (ValueError, TypeError) as exc:
        raise ConfigurationError(f"{source}: {exc}") from exc
    match: Callable[[str], bool] = spec.match_file
    return match


def _rules(root: Path) -> Callable[[str], bool]:
    lines = list(DEFAULT_IGNORE)
    ignore = root / IGNORE_FILE
    if ignore.is_file():
        try:
            lines += ignore.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigurationError(f"cannot read {ignore}: {exc}") from exc
    return _spec(lines, str(ignore))


def shipped_files(
    root: Path, entries: Iterable[str] = (), *, skip: Iterable[Path] = (), keep: Path | None = None
) -> list[Path]:
    """The files under ``root`` (only under its ``entries`` when given) that ship, sorted,
    relative to ``root``. ``skip`` lists folders left out whatever the rules say (the build's
    own output); ``keep`` is the app's module file: a rule that leaves it out is an error.
    """
    excluded = _rules(root)
    skipped = [s.resolve() for s in skip]
    tops = [root / entry for entry in entries] or [root]
    found: list[Path] = []
    for top in tops:
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            rel = path.relative_to(root)
            if not path.is_file() or any(s in path.resolve().parents for s in skipped):
                continue
            # a pattern naming a folder ("tests/") matches the files inside it
            if excluded(rel.as_posix()):
                if keep is not None and path.resolve() == keep.resolve():
                    raise ConfigurationError(
                        f"{rel.as_posix()} is the app's module, but the build leaves it out "
                        f"(a rule of {IGNORE_FILE} or of faaskit's defaults matches it: "
                        f"{', '.join(DEFAULT_IGNORE)}); rename it or change {IGNORE_FILE}"
                    )
                continue
            found.append(rel)
    return found
