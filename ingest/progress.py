"""Progress of a load, for whoever shows it (the command line's progress bar), without the loader
knowing who listens. Loads run inside a Dagster step, so the listener cannot be passed down as an argument."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class FileProgress:
    file: str
    index: int  # 1-based position of the file in this load
    total: int  # files in this load
    rows: int  # rows read from the file so far (all of them once done)
    seconds: float
    done: bool


Listener = Callable[[FileProgress], None]
_listeners: list[Listener] = []


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def publish(event: FileProgress) -> None:
    for listener in list(_listeners):
        listener(event)
