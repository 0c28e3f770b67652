"""What the real-runtime harnesses need, and what an interpreter lacks of it.

``faaskit.testing.azure_host.AzureHost`` runs the Azure Functions Python runtime in a Python
3.13 interpreter (``$FAASKIT_PY313``, ``.venv313``, ``python3.13`` on ``PATH``) that needs the
distributions of the ``azure-runtime`` extra: ``azure-functions-runtime`` (the worker),
``azure-functions-runtime-v1`` (its generated protobuf classes ship as ``tests.protos``),
``azure-functions``, ``protobuf`` and ``grpcio``; ``pip install "faaskit[azure-runtime]"`` into
that interpreter installs exactly these. ``faaskit.testing.LambdaRuntime`` needs
``awslambdaric`` in the interpreter running the tests (``faaskit[lambda-runtime]``).
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence

__all__ = ["AZURE_RUNTIME", "LAMBDA_RUNTIME", "missing", "pip_command"]

AZURE_RUNTIME: tuple[tuple[str, str], ...] = (
    ("azure_functions_runtime", "azure-functions-runtime"),
    ("tests.protos.FunctionRpc_pb2", "azure-functions-runtime-v1"),
    ("azure.functions", "azure-functions"),
    ("google.protobuf", "protobuf"),
    ("grpc", "grpcio"),
)
"""(module the harness imports, distribution providing it) for :class:`AzureHost`."""

LAMBDA_RUNTIME: tuple[tuple[str, str], ...] = (("awslambdaric", "awslambdaric"),)
"""(module, distribution) for :class:`LambdaRuntime`."""

_PROBE = """
import importlib, sys
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception:
        print(name)
"""


def missing(python: str, needs: Sequence[tuple[str, str]] = AZURE_RUNTIME) -> list[str]:
    """The distributions of ``needs`` whose module ``python`` cannot import (run from ``/``
    with ``-E -P``, so no project folder named ``tests`` shadows ``tests.protos``).
    """
    modules = [module for module, _ in needs]
    done = subprocess.run(
        [python, "-E", "-P", "-c", _PROBE, *modules],
        capture_output=True,
        text=True,
        timeout=120,
        cwd="/",
        check=False,
    )
    if done.returncode != 0:
        return [dist for _, dist in needs]
    absent = set(done.stdout.split())
    return [dist for module, dist in needs if module in absent]


def pip_command(python: str, extra: str = "azure-runtime") -> list[str]:
    """The command installing faaskit's ``extra`` into ``python``."""
    return [python, "-m", "pip", "install", f"faaskit[{extra}]"]
