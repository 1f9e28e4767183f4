"""The committed field reference is the contract as code says it, not a second copy that can drift."""

from __future__ import annotations

from pathlib import Path

from ingest.contract import SOURCES
from ingest.contract_doc import render_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-contract.md"


def test_committed_reference_matches_the_contract():
    assert DOC.read_text(encoding="utf-8") == render_markdown() + "\n", (
        "docs/data-contract.md is out of date: run `emstat contract > docs/data-contract.md`"
    )


def test_every_field_and_chinese_name_is_documented():
    text = render_markdown()
    for source in SOURCES:
        assert f"## {source.name} — {source.label}" in text
        for field in source.fields:
            assert f"| `{field.name}` | {field.label} |" in text
