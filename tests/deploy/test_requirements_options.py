"""pip options in the app's requirements.txt (``--index-url``, ``-f``, ``-c``, ``--hash``...):
kept by the loader, handed to pip as real arguments on AWS, copied into the Azure project.

Everything runs offline: the wheels are written by hand into ``tmp_path``.
"""

from __future__ import annotations

import hashlib
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from faaskit.deploy import Settings, build, load_app
from faaskit.exceptions import ConfigurationError
from tests.deploy.helpers import ROOT, write_wheel

HELLO = ROOT / "samples" / "hello_http" / "app.py"


def _app(tmp_path: Path, requirements: str, files: dict[str, str] | None = None) -> Path:
    """An app folder ``tmp_path/svc`` with ``requirements.txt`` and more ``files`` (by path
    relative to the app folder); returns the app file.
    """
    app = tmp_path / "svc"
    app.mkdir(exist_ok=True)
    (app / "app.py").write_text(HELLO.read_text(encoding="utf-8"), encoding="utf-8")
    (app / "requirements.txt").write_text(requirements, encoding="utf-8")
    for name, text in (files or {}).items():
        path = app / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return app / "app.py"


def _names(zip_path: Path) -> list[str]:
    with zipfile.ZipFile(zip_path) as archive:
        return archive.namelist()


# -- the loader ---------------------------------------------------------------------------------


def test_loader_keeps_every_option_form_in_order(tmp_path: Path) -> None:
    app = _app(
        tmp_path,
        "--index-url https://mirror.example/simple\n"
        "--extra-index-url=https://extra.example/simple  # second index\n"
        "-i https://short.example/simple\n"
        "--pre\n"
        "--trusted-host mirror.example\n"
        "--no-binary :none:\n"
        "-f ./wheels\n"
        "--find-links https://links.example/wheels\n"
        "-c constraints.txt\n"
        "tinydep==1.0 --hash=sha256:abc\n"
        "pkg>=1 \\\n"
        "    --hash=sha256:aaa \\\n"
        "    --hash=sha256:bbb  # pinned\n"
        "-r reqs/more.txt\n"
        "last\n",
        {
            "reqs/more.txt": "-c ../pins.txt\n"
            "-f local-wheels\n"
            "--constraint=sub/c2.txt\n"
            "-fdir\n"
            "--find-links https://links.example/other\n"
            "-c /abs/pins.txt\n"
            "otherdep\n"
            "-r https://example.com/remote.txt\n"
        },
    )
    assert load_app(str(app)).requirements == (
        "--index-url https://mirror.example/simple",
        "--extra-index-url=https://extra.example/simple",
        "-i https://short.example/simple",
        "--pre",
        "--trusted-host mirror.example",
        "--no-binary :none:",
        "-f ./wheels",
        "--find-links https://links.example/wheels",
        "-c constraints.txt",
        "tinydep==1.0 --hash=sha256:abc",
        "pkg>=1     --hash=sha256:aaa     --hash=sha256:bbb",
        # from reqs/more.txt: local paths now relative to the app root, URLs untouched
        "-c pins.txt",
        "-f reqs/local-wheels",
        "--constraint=reqs/sub/c2.txt",
        "-freqs/dir",
        "--find-links https://links.example/other",
        "-c /abs/pins.txt",
        "otherdep",
        "-r https://example.com/remote.txt",
        "last",
    )


@pytest.mark.parametrize(
    "line", ["-e ./lib", "--editable=git+https://x.example/r.git#egg=r", "-e."]
)
def test_editable_is_refused_naming_the_file_and_line(tmp_path: Path, line: str) -> None:
    app = _app(tmp_path, "tinydep\n-r reqs/dev.txt\n", {"reqs/dev.txt": f"# dev\n{line}\n"})
    with pytest.raises(ConfigurationError, match=r"reqs/dev\.txt:2: editable requirement"):
        load_app(str(app))


def test_path_requirement_outside_the_app_is_refused(tmp_path: Path) -> None:
    app = _app(tmp_path, "tinydep\n../elsewhere/lib-1.0-py3-none-any.whl\n")
    with pytest.raises(ConfigurationError, match=r"requirements\.txt:2: path requirement"):
        load_app(str(app))
    _app(tmp_path, "./wheels/lib-1.0-py3-none-any.whl\n")
    assert load_app(str(app)).requirements == ("./wheels/lib-1.0-py3-none-any.whl",)


# -- AWS: options reach pip ---------------------------------------------------------------------


def test_find_links_and_no_index_lines_reach_pip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import faaskit.deploy._package as package

    write_wheel(tmp_path / "svc" / "wheels", "tinydep")
    write_wheel(tmp_path / "svc" / "wheels", "boto3", "9.9")
    app = _app(tmp_path, "--no-index\n--find-links wheels\nboto3>=1.28\ntinydep\n")
    seen: list[list[str]] = []
    real = subprocess.run

    def spy(command: list[str], **kwargs: Any) -> Any:
        seen.append(list(command))
        return real(command, **kwargs)

    monkeypatch.setattr(package.subprocess, "run", spy)
    monkeypatch.chdir(tmp_path)  # the relative path is the app root's, not the cwd's
    build(str(app), target="aws", out=tmp_path / "out")
    names = _names(tmp_path / "out" / "aws" / "package.zip")
    assert "tinydep/__init__.py" in names
    assert not [n for n in names if n.startswith("boto3")]
    (command,) = [c for c in seen if "pip" in c]
    at = command.index("--find-links")
    assert command[at + 1] == str((tmp_path / "svc" / "wheels").resolve())
    assert at < command.index("tinydep") and "--no-index" in command
    assert "--only-binary=:all:" in command and "--platform" in command


def test_index_url_line_reaches_pip(tmp_path: Path) -> None:
    index = tmp_path / "index"
    wheel = write_wheel(index / "tinydep", "tinydep", "1.5")
    (index / "tinydep" / "index.html").write_text(f'<a href="{wheel.name}">{wheel.name}</a>\n')
    app = _app(tmp_path, f"-i {index.as_uri()}\ntinydep\n")
    build(str(app), target="aws", out=tmp_path / "out")
    assert "tinydep-1.5.dist-info/METADATA" in _names(tmp_path / "out" / "aws" / "package.zip")


@pytest.mark.parametrize(("pin", "version"), [("tinydep<2", "1.0"), ("", "2.0")])
def test_constraints_file_from_an_included_file_is_honoured(
    tmp_path: Path, pin: str, version: str
) -> None:
    wheels = tmp_path / "svc" / "wheels"
    write_wheel(wheels, "tinydep", "1.0")
    write_wheel(wheels, "tinydep", "2.0")
    app = _app(
        tmp_path,
        "--no-index\n-f wheels\n-r reqs/base.txt\n",
        {"reqs/base.txt": "-c pins.txt\ntinydep\n", "reqs/pins.txt": f"{pin}\n"},
    )
    assert "-c reqs/pins.txt" in load_app(str(app)).requirements
    build(str(app), target="aws", out=tmp_path / "out")
    names = _names(tmp_path / "out" / "aws" / "package.zip")
    assert f"tinydep-{version}.dist-info/METADATA" in names


def test_hashed_requirements_are_checked_by_pip(tmp_path: Path) -> None:
    wheel = write_wheel(tmp_path / "svc" / "wheels", "tinydep")
    good = hashlib.sha256(wheel.read_bytes()).hexdigest()
    app = _app(tmp_path, f"--no-index\n-f wheels\ntinydep==1.0 \\\n    --hash=sha256:{good}\n")
    build(str(app), target="aws", out=tmp_path / "one")
    assert "tinydep/__init__.py" in _names(tmp_path / "one" / "aws" / "package.zip")
    _app(tmp_path, f"--no-index\n-f wheels\ntinydep==1.0 --hash=sha256:{'0' * 64}\n")
    with pytest.raises(ConfigurationError, match=r"(?i)hash"):
        build(str(app), target="aws", out=tmp_path / "two")
    assert not (tmp_path / "two").exists()


def test_boto3_asked_for_beside_hashed_requirements_is_installed_on_its_own(
    tmp_path: Path,
) -> None:
    wheels = tmp_path / "svc" / "wheels"
    wheel = write_wheel(wheels, "tinydep")
    write_wheel(wheels, "boto3", "9.9")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    app = _app(tmp_path, f"--no-index\n-f wheels\ntinydep==1.0 --hash=sha256:{digest}\n")
    settings = Settings(pip_args=("--no-index", "-f", str(wheels)), include_boto3=True)
    build(str(app), target="aws", out=tmp_path / "out", settings=settings)
    names = _names(tmp_path / "out" / "aws" / "package.zip")
    assert "tinydep/__init__.py" in names and "boto3/__init__.py" in names


def test_wheel_path_requirement_is_resolved_against_the_app_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_wheel(tmp_path / "svc" / "wheels", "tinydep")
    app = _app(tmp_path, "--no-index\n./wheels/tinydep-1.0-py3-none-any.whl\n")
    monkeypatch.chdir(tmp_path)
    build(str(app), target="aws", out=tmp_path / "out")
    assert "tinydep/__init__.py" in _names(tmp_path / "out" / "aws" / "package.zip")


# -- Azure: options copied into the project -----------------------------------------------------


def test_azure_hashed_requirements_supply_what_the_project_needs(tmp_path: Path) -> None:
    pins = (
        "azure-functions==1.21.0 --hash=sha256:" + "a" * 64,
        "attrs==24.2.0 --hash=sha256:" + "b" * 64,
        "tinydep==1.0 --hash=sha256:" + "c" * 64,
    )
    app = _app(tmp_path, "\n".join(pins) + "\n")
    build(str(app), target="azure", out=tmp_path / "out")
    text = (tmp_path / "out" / "azure" / "requirements.txt").read_text(encoding="utf-8")
    assert text.splitlines() == list(pins)  # nothing unhashed for pip to refuse


def test_azure_hashed_requirements_missing_what_the_project_needs_are_refused(
    tmp_path: Path,
) -> None:
    app = _app(tmp_path, "tinydep==1.0 --hash=sha256:" + "c" * 64 + "\n")
    with pytest.raises(ConfigurationError, match=r"azure-functions.*attrs"):
        build(str(app), target="azure", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "line",
    ["-f file:///srv/wheels", "--find-links=file:///srv/wheels", "tinydep @ file:///srv/t.whl"],
)
def test_azure_refuses_file_urls_the_remote_build_cannot_read(tmp_path: Path, line: str) -> None:
    app = _app(tmp_path, line + "\n")
    with pytest.raises(ConfigurationError, match="file: URL"):
        build(str(app), target="azure", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_azure_requirements_carry_the_option_lines(tmp_path: Path) -> None:
    write_wheel(tmp_path / "svc" / "wheels", "tinydep")
    app = _app(
        tmp_path,
        "--index-url https://mirror.example/simple\n"
        "--pre\n"
        "-f wheels\n"
        "-r reqs/base.txt\n"
        "tinydep==1.0\n",
        {"reqs/base.txt": "-c pins.txt\nboto3\n", "reqs/pins.txt": "boto3<2\n"},
    )
    build(str(app), target="azure", out=tmp_path / "out")
    project = tmp_path / "out" / "azure"
    lines = (project / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "azure-functions"
    assert lines[-6:] == [
        "--index-url https://mirror.example/simple",
        "--pre",
        "-f wheels",
        "-c reqs/pins.txt",
        "boto3",
        "tinydep==1.0",
    ]
    # the paths pip reads from the project root are there
    assert (project / "reqs" / "pins.txt").read_text() == "boto3<2\n"
    assert (project / "wheels" / "tinydep-1.0-py3-none-any.whl").is_file()


@pytest.mark.parametrize(
    "line",
    ["-c ../outside.txt", "--find-links=/srv/wheels", "-f dist", "../lib/pkg-1.0.tar.gz"],
)
def test_azure_refuses_a_path_the_project_would_not_hold(tmp_path: Path, line: str) -> None:
    (tmp_path / "outside.txt").write_text("tinydep<2\n")
    if line.startswith("../"):  # a path requirement outside the app: the loader refuses it
        app = _app(tmp_path, "tinydep\n")
        (app.parent / "requirements.txt").write_text(f"tinydep\n{line}\n")
        with pytest.raises(ConfigurationError, match="outside the app folder"):
            build(str(app), target="azure", out=tmp_path / "out")
        return
    app = _app(tmp_path, f"tinydep\n{line}\n", {"dist/x.whl": "not copied: dist/ is skipped\n"})
    with pytest.raises(ConfigurationError, match=rf"{line!r}.*not be inside the generated"):
        build(str(app), target="azure", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()
