"""Files a report writes: whole or not at all."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """`write` fills a file beside `path`, which then takes its place at once: a reader never sees it half written,
    nor a broken earlier copy."""
    # Beside the target, so os.replace stays on one file system; not mkstemp, whose 0600 would then lock the
    # bureau's colleagues out of the shared folder.
    temp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        write(temp)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path
