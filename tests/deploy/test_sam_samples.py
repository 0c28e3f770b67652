"""Every sample app (and the all-triggers app) gives a SAM template that cfn-lint accepts and
samtranslator turns into plain CloudFormation, with one Lambda function per handler whose
handler string loads the faaskit Handler object itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from faaskit.deploy import load_app
from tests.deploy.helpers import SAMPLES, functions_of, lint_errors, load_yaml, sam_transform

pytestmark = pytest.mark.parametrize("app", SAMPLES, ids=[p.parent.name for p in SAMPLES])


def test_cfn_lint_reports_no_errors(app: Path, built: Callable[[Path], Path]) -> None:
    template = built(app) / "aws" / "template.yaml"
    assert lint_errors(template) == []


def test_samtranslator_makes_plain_cloudformation(app: Path, built: Callable[[Path], Path]) -> None:
    template = load_yaml(built(app) / "aws" / "template.yaml")
    assert template["Transform"] == "AWS::Serverless-2016-10-31"
    plain = sam_transform(template)
    assert "Transform" not in plain
    types = {resource["Type"] for resource in plain["Resources"].values()}
    assert not any(t.startswith("AWS::Serverless::") for t in types)
    lambdas = [r for r in plain["Resources"].values() if r["Type"] == "AWS::Lambda::Function"]
    declared = load_app(str(app)).functions
    assert len(lambdas) == len(declared)


def test_one_function_per_handler_pointing_at_the_handler_object(
    app: Path, built: Callable[[Path], Path]
) -> None:
    loaded = load_app(str(app))
    functions = functions_of(load_yaml(built(app) / "aws" / "template.yaml"))
    handlers = sorted(f["Properties"]["Handler"] for f in functions.values())
    assert handlers == sorted(f"{loaded.module}.{fn.attr}" for fn in loaded.functions)
    for fn in loaded.functions:
        module, _, attr = f"{loaded.module}.{fn.attr}".rpartition(".")
        assert getattr(loaded.loaded, attr) is fn.handler
        assert module == loaded.module


def test_samtranslated_template_lints_without_errors(
    app: Path, built: Callable[[Path], Path], tmp_path: Path
) -> None:
    import json

    plain = sam_transform(load_yaml(built(app) / "aws" / "template.yaml"))
    path = tmp_path / "plain.json"
    path.write_text(json.dumps(plain), encoding="utf-8")
    assert lint_errors(path) == []
