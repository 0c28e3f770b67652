import json
import urllib.request
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app.py"


@pytest.mark.parametrize("platform", ["aws", "azure"])
def test_hello_answers_through_each_cloud_path(faaskit_server, platform):
    server = faaskit_server(APP, platform=platform)
    with urllib.request.urlopen(f"{server.url}/hello/ada?greeting=Hi") as response:
        assert response.status == 200
        body = json.load(response)
    assert body == {"message": "Hi, ada!", "platform": platform}


def test_hello_called_directly(faaskit_invoke, aws_events):
    from app import hello

    response = faaskit_invoke(hello, aws_events.apigw_v2(method="GET", path="/hello/bob"))
    assert response["statusCode"] == 200
    assert json.loads(response["body"])["message"] == "Hello, bob!"
