"""``faaskit doctor`` and the ``azure-runtime`` extra name exactly what ``AzureHost`` needs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from faaskit.testing.harness_check import AZURE_RUNTIME, missing
from tests.cli.helpers import faaskit

ROOT = Path(__file__).resolve().parents[2]
PY313 = Path("/root/.pyenv/versions/3.13.0/bin/python3.13")
VENV313 = ROOT / ".venv313" / "bin" / "python"
needs_313 = pytest.mark.skipif(not PY313.exists(), reason="no Python 3.13 here")


@needs_313
def test_a_bare_python_313_is_told_every_missing_distribution(tmp_path: Path) -> None:
    subprocess.run([str(PY313), "-m", "venv", "--without-pip", str(tmp_path / "bare")], check=True)
    bare = tmp_path / "bare" / "bin" / "python"

    done = faaskit("doctor", "--python313", str(bare), cwd=tmp_path)

    assert done.returncode == 1
    wanted = [dist for _, dist in AZURE_RUNTIME]
    assert f"lacks: {', '.join(wanted)}" in done.stdout
    assert f"install: {bare} -m pip install faaskit[azure-runtime]" in done.stdout


@pytest.mark.skipif(not VENV313.exists(), reason="no .venv313")
def test_the_prepared_interpreter_has_everything(tmp_path: Path) -> None:
    assert missing(str(VENV313)) == []
    done = faaskit("doctor", "--python313", str(VENV313), cwd=tmp_path)
    assert f"ok       Azure runtime harness ({VENV313})" in done.stdout


def test_the_extra_requires_exactly_what_the_check_looks_for(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w",
         str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    [wheel] = tmp_path.glob("faaskit-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(name).decode()
    required = {
        line.split(":", 1)[1].split(";")[0].strip().split(">")[0].split("=")[0].strip()
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:") and "extra == 'azure-runtime'" in line
    }
    assert required == {dist for _, dist in AZURE_RUNTIME}
    assert "Provides-Extra: schema" in metadata
