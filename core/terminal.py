"""Consoles that never hand a control character from the data to the terminal.

A cell of a township's file, a file name or a region name may hold an escape sequence (clearing the screen,
retitling the window, rewriting what was printed) or a bidirectional override that makes a figure read
backwards. Whatever emstat prints passes through here, each such character shown as its escape (\\u001b), which
in a JSON document is that same character again: a reader of `--format json` gets the value as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.console import Console
from rich.segment import Segment

# C0 and C1 controls but the line break and the tab; DEL; the marks and overrides of bidirectional text.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    return CONTROL.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class SafeConsole(Console):
    """A rich Console whose output holds no control character but those of its own styling."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        # The one place every printed text passes, after rich has laid it out and before it adds its styles.
        return super()._render_buffer(
            segment if segment.control else Segment(visible(segment.text), segment.style, segment.control)
            for segment in buffer
        )
