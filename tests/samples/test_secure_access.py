"""``samples/secure_access`` (book ch. 7): a signed-in caller reads the partner's report; the
build grants only the partner bucket (by its ARN in the other account), resolves the secret
from the secret store, and places the function in the VPC.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from faaskit.deploy import build
from tests.deploy.helpers import functions_of, lint_errors, load_yaml

APP = Path(__file__).resolve().parents[2] / "samples" / "secure_access" / "app.py"


def get(url: str, token: str | None = None) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_a_signed_in_caller_reads_a_partner_report(
    platform: str, faaskit_server: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DB_PASSWORD", "local-only")
    server = faaskit_server(APP, platform=platform)
    server.cloud.blobs("partner-reports").put("2026-q1.csv", b"region,total\neu,12\n")
    base = f"{server.url}/api" if platform == "azure" else server.url

    assert get(f"{base}/reports/2026-q1.csv")[0] == 401
    token = server.token("ada")
    assert get(f"{base}/reports/2026-q1.csv", token) == (200, b"region,total\neu,12\n")
    assert get(f"{base}/reports/missing.csv", token)[0] == 404

    monkeypatch.delenv("DB_PASSWORD")
    status, body = get(f"{base}/reports/2026-q1.csv", token)
    assert status == 503 and b"secret" in body and b"local-only" not in body


def test_the_template_grants_only_the_partner_bucket_in_the_vpc(tmp_path: Path) -> None:
    build(str(APP), target="aws", out=tmp_path)
    template = tmp_path / "aws" / "template.yaml"
    assert lint_errors(template) == []
    document = load_yaml(template)
    [function] = functions_of(document).values()
    props = function["Properties"]
    text = json.dumps(props)
    assert "partner-reports-222233334444" in text
    assert "s3:PutObject" not in text and "s3:DeleteObject" not in text
    assert "local-only" not in json.dumps(document)
    vpc = {**document["Globals"]["Function"], **props}["VpcConfig"]
    assert vpc["SubnetIds"] == ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
    assert not any(r["Type"] == "AWS::S3::Bucket" for r in document["Resources"].values()), (
        "the partner's bucket is not created here"
    )
