"""Retries with backoff for the failures that pass by themselves, and only those.

The warehouse file takes one writer: a step that finds it held by another process (an `emstat` command, a
notebook someone left open, the history sensor) waits and tries again. Anything else, a failed check above
all, is not retried: a second attempt would give the same answer later.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
from dagster import RetryRequested

MAX_RETRIES = 4
FIRST_WAIT_S = 2.0


def is_transient(exc: BaseException | None) -> bool:
    # GX wraps the lock error twice (SQLAlchemy's OperationalError, then its TestConnectionError): look down the chain.
    while exc is not None:
        if isinstance(exc, duckdb.IOException) and "Could not set lock on file" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def backoff_seconds(retry_number: int) -> float:
    """2, 4, 8, 16 s: about half a minute in all, longer than any other step holds the file."""
    return FIRST_WAIT_S * 2**retry_number


@contextmanager
def transient_retries(retry_number: int) -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        if not is_transient(exc):
            raise
        raise RetryRequested(max_retries=MAX_RETRIES, seconds_to_wait=backoff_seconds(retry_number)) from exc
