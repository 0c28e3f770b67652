"""``faaskit serve`` refuses a poll interval, retry delay or attempt count that cannot work."""

from __future__ import annotations

import pytest

from faaskit.cli import main


@pytest.mark.parametrize(
    "flags",
    [
        ["--poll", "0"],
        ["--poll", "-1"],
        ["--poll", "nan"],
        ["--poll", "soon"],
        ["--retry-delay", "-0.5"],
        ["--retry-delay", "inf"],
        ["--max-attempts", "0"],
        ["--max-attempts", "-2"],
        ["--max-attempts", "1.5"],
    ],
)
def test_bad_timing_flags_are_a_usage_error(
    flags: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "app.py", *flags])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert flags[0] in err
    assert "usage:" in err


def test_sensible_timing_flags_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    import faaskit.cli.serve as serve

    seen = {}

    def fake_run(args: object) -> int:
        seen.update(vars(args))
        return 0

    monkeypatch.setattr(serve, "run", fake_run)
    flags = ["--poll", "0.05", "--retry-delay", "0", "--max-attempts", "1"]
    assert main(["serve", "app.py", *flags]) == 0
    assert (seen["poll"], seen["retry_delay"], seen["max_attempts"]) == (0.05, 0.0, 1)
