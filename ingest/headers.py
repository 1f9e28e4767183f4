"""Header and token normalisation: how a clerk's spelling of a column or a code is matched to the contract."""

from __future__ import annotations

import re
import unicodedata

# A trailing unit in brackets, half- or full-width: 直接经济损失(万元), 面积（亩）, loss [yuan].
_UNIT_SUFFIX = re.compile(r"^(?P<name>.*?)\s*[\(\[【](?P<unit>[^\)\]】]*)[\)\]】]\s*$")
_SPACES = re.compile(r"\s+")


def normalise_token(text: str) -> str:
    """Fold width, case and spacing so that 'Ｄｅａｔｈｓ ', 'deaths' and 'DEATHS' compare equal."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    return _SPACES.sub("", folded)


def split_unit(header: str) -> tuple[str, str | None]:
    """'直接经济损失（万元）' -> ('直接经济损失', '万元'); a header without brackets has no unit."""
    folded = unicodedata.normalize("NFKC", header).strip()
    match = _UNIT_SUFFIX.match(folded)
    if not match or not match.group("name"):
        return normalise_token(folded), None
    return normalise_token(match.group("name")), normalise_token(match.group("unit"))
