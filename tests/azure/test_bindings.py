"""faaskit_azure._bindings: the .NET times Azure bindings carry parse to UTC datetimes."""

from __future__ import annotations

import datetime as _dt
import json
import subprocess
from pathlib import Path

import pytest

# Event Grid (eventTime), the timer (ScheduleStatus) and blob properties carry .NET times:
# 7-digit or trimmed fractions and a "Z" suffix, which datetime.fromisoformat refuses before
# Python 3.11; faaskit (and Azure Functions) support Python 3.10.
NET_TIMES = {
    "2017-06-26T18:41:00.9584103Z": "2017-06-26T18:41:00.958410+00:00",
    "2022-03-28T15:40:00.0105419-05:00": "2022-03-28T20:40:00.010541+00:00",
    "2022-03-28T15:40:00.01-05:00": "2022-03-28T20:40:00.010000+00:00",
    "2024-03-10T12:00:00Z": "2024-03-10T12:00:00+00:00",
    "2024-03-10T12:00:00": "2024-03-10T12:00:00+00:00",
}


PY310 = Path(__file__).resolve().parents[2] / ".venv310" / "bin" / "python"


def test_net_times_parse_to_utc() -> None:
    from faaskit_azure._bindings import parse_time

    parsed = {text: parse_time(text, source="t", field="f") for text in NET_TIMES}
    assert parsed == {k: _dt.datetime.fromisoformat(v) for k, v in NET_TIMES.items()}


@pytest.mark.skipif(not PY310.exists(), reason="no .venv310 (Python 3.10)")
def test_net_times_parse_on_python_3_10() -> None:
    root = Path(__file__).resolve().parents[2]
    script = (
        "import json, sys\n"
        f"sys.path[:0] = [{str(root)!r}, {str(root / 'adapters')!r}]\n"
        "from faaskit_azure._bindings import parse_time\n"
        "texts = json.loads(sys.argv[1])\n"
        "print(json.dumps({t: parse_time(t, source='t', field='f').isoformat() for t in texts}))\n"
    )
    done = subprocess.run(
        [str(PY310), "-c", script, json.dumps(list(NET_TIMES))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    parsed = {k: _dt.datetime.fromisoformat(v) for k, v in json.loads(done.stdout).items()}
    assert parsed == {k: _dt.datetime.fromisoformat(v) for k, v in NET_TIMES.items()}
