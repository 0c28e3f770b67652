"""Review findings on ``faaskit build``: what the package holds, and unique SAM logical ids."""

from __future__ import annotations

import sys
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import pytest

from faaskit.deploy import build, load_app, validate

HELLO = Path(__file__).resolve().parents[2] / "samples" / "hello_http" / "app.py"


def _names(zip_path: Path) -> list[str]:
    with zipfile.ZipFile(zip_path) as archive:
        return archive.namelist()


def test_building_into_the_app_folder_still_ships_the_app(tmp_path: Path) -> None:
    app = tmp_path / "my app"
    app.mkdir()
    (app / "app.py").write_text(HELLO.read_text(encoding="utf-8"), encoding="utf-8")
    for _ in range(2):  # the second build must not ship the first one's output
        build(str(app / "app.py"), target="aws", out=app)
        names = _names(app / "aws" / "package.zip")
        assert "app.py" in names
        assert not [n for n in names if n.startswith(("aws/", "azure/"))]


def _template(tmp_path: Path, body: str) -> dict[str, Any]:
    from faaskit_aws.deploy import template

    (tmp_path / "app.py").write_text(textwrap.dedent(body), encoding="utf-8")
    app = load_app("app.py", cwd=tmp_path)
    validate(app)
    return template(app)


def _source(resources: dict[str, Any], function: str, key: str) -> Any:
    event = next(iter(resources[function]["Properties"]["Events"].values()))
    return event["Properties"][key]


@pytest.mark.parametrize(
    ("factory", "names", "key", "name_property"),
    [
        ("queue", ("orders-1", "orders1"), "Queue", "QueueName"),
        ("blob", ("data-2024", "data2024"), "Bucket", "BucketName"),
        ("topic", ("alerts-7", "alerts7"), "Topic", "TopicName"),
        ("stream", ("clicks-1", "clicks1"), "Stream", "Name"),
    ],
)
def test_resources_whose_names_differ_only_by_a_dash_stay_apart(
    tmp_path: Path, factory: str, names: tuple[str, str], key: str, name_property: str
) -> None:
    first, second = names
    resources = _template(
        tmp_path,
        f"""
        import faaskit

        @faaskit.handler(faaskit.{factory}({first!r}))
        def first(event, ctx):
            return None

        @faaskit.handler(faaskit.{factory}({second!r}))
        def second(event, ctx):
            return None
        """,
    )["Resources"]
    refs = [_source(resources, f"{fn}Function", key) for fn in ("First", "Second")]
    ids = [ref.get("Ref") or ref["Fn::GetAtt"][0] for ref in refs]
    assert [resources[i]["Properties"][name_property] for i in ids] == [first, second]


def test_a_queue_named_like_another_queues_dead_letter_queue_stays_apart(tmp_path: Path) -> None:
    resources = _template(
        tmp_path,
        """
        import faaskit

        @faaskit.handler(faaskit.queue("jobs"))
        def first(event, ctx):
            return None

        @faaskit.handler(faaskit.queue("jobs-dead-letter"))
        def second(event, ctx):
            return None
        """,
    )["Resources"]
    queues = sorted(
        r["Properties"]["QueueName"]
        for r in resources.values()
        if r["Type"] == "AWS::SQS::Queue"
        if "QueueName" in r["Properties"]
    )
    assert queues == ["jobs", "jobs-dead-letter", "jobs-dead-letter-dlq", "jobs-dlq"]


def test_a_file_that_imports_its_own_package_by_name_is_not_shipped_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from faaskit.exceptions import ConfigurationError

    package = tmp_path / "proj" / "reviewpkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "util.py").write_text("GREETING = 'hi'\n", encoding="utf-8")
    (package / "app.py").write_text(
        textwrap.dedent(
            """
            import faaskit
            from reviewpkg.util import GREETING

            @faaskit.handler(faaskit.http("GET", "/hi"))
            def hello(req, ctx):
                return {"greeting": GREETING}
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path / "proj"))  # as `python -m faaskit` adds the cwd
    for name in ("reviewpkg", "reviewpkg.util"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    with pytest.raises(ConfigurationError, match=r"reviewpkg\.app"):
        build("reviewpkg/app.py", target="aws", out=tmp_path / "out", cwd=tmp_path / "proj")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("module", ["json", "queue", "attrs", "faaskit_aws"])
def test_an_app_named_like_a_module_the_runtime_already_has_is_refused(
    tmp_path: Path, module: str
) -> None:
    from faaskit.exceptions import ConfigurationError

    (tmp_path / f"{module}.py").write_text(HELLO.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConfigurationError, match=rf"'{module}'.*rename"):
        build(str(tmp_path / f"{module}.py"), target="aws", out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_requirements_may_include_other_requirement_files(tmp_path: Path) -> None:
    app = tmp_path / "svc"
    (app / "reqs").mkdir(parents=True)
    (app / "app.py").write_text(HELLO.read_text(encoding="utf-8"), encoding="utf-8")
    (app / "requirements.txt").write_text("-r reqs/base.txt\nrequests  # http\n")
    (app / "reqs" / "base.txt").write_text("--requirement=more.txt\ntinydep>=1\n")
    (app / "reqs" / "more.txt").write_text("otherdep\n-r ../requirements.txt\n")
    assert load_app("app.py", cwd=app).requirements == ("otherdep", "tinydep>=1", "requests")
