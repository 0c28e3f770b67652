"""Timing shared by the benchmarks that compare faaskit with a bare handler and its peers."""

from __future__ import annotations

import timeit
from collections.abc import Callable, Mapping
from typing import Any


def make_handlers(
    contenders: Mapping[str, Callable[[], Any]], check: Callable[[Any], None], width: int
) -> dict[str, Any]:
    """Each contender's handler, checked once; one whose package is missing is skipped."""
    handlers: dict[str, Any] = {}
    for name, make in contenders.items():
        try:
            handlers[name] = make()
        except ImportError as exc:
            print(f"{name:{width}s} skipped ({exc})")
            continue
        check(handlers[name])
    return handlers


def best_of(
    handlers: Mapping[str, Any], event: Any, context: Any, *, number: int, repeat: int
) -> dict[str, float]:
    """Microseconds per call of each handler: the best of ``repeat`` runs of ``number`` calls.

    The repeats go round-robin, so that a burst of machine noise hits every contender alike.
    """
    best = dict.fromkeys(handlers, float("inf"))
    for _ in range(repeat):
        for name, handler in handlers.items():
            elapsed = timeit.timeit(lambda h=handler: h(event, context), number=number)
            best[name] = min(best[name], elapsed / number * 1e6)
    return best


def best_of_silent(
    contenders: Mapping[str, Callable[[], Callable[[], Any]]], *, number: int, repeat: int
) -> tuple[dict[str, float], list[str]]:
    """Microseconds per call of each contender's call, with stdout sent to ``os.devnull``
    (the sink contenders that print write to), and the lines naming skipped contenders.

    Each maker returns a no-argument call; one whose package is missing is skipped. The
    repeats go round-robin, as in :func:`best_of`.
    """
    import os
    import sys

    calls: dict[str, Callable[[], Any]] = {}
    skipped: list[str] = []
    real_stdout = sys.stdout
    with open(os.devnull, "w") as sink:
        sys.stdout = sink  # before the makers: loggers bind their stream when made
        try:
            for name, make in contenders.items():
                try:
                    calls[name] = make()
                except ImportError as exc:
                    skipped.append(f"{name} skipped ({exc})")
            best = dict.fromkeys(calls, float("inf"))
            for _ in range(repeat):
                for name, call in calls.items():
                    elapsed = timeit.timeit(call, number=number)
                    best[name] = min(best[name], elapsed / number * 1e6)
        finally:
            sys.stdout = real_stdout
    return best, skipped
