"""faaskit's AWS adapter: Lambda event shapes, the Lambda context and native responses.

Nothing here is imported by ``import faaskit``; the core loads :mod:`faaskit_aws.adapter` when
a Lambda invocation first arrives.
"""

from __future__ import annotations

__all__: list[str] = []
