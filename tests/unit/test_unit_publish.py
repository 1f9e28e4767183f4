"""dagster_project.publish.publication: the served copy and the time it was published change together, in one rename."""

from __future__ import annotations

import json
from datetime import datetime

import duckdb

from dagster_project.publish.publication import MANIFEST_NAME, last_publication, publish

FIRST, SECOND = datetime(2026, 1, 1, 2, 0), datetime(2026, 1, 2, 2, 0)


def test_a_kill_between_the_copy_and_the_manifest_leaves_the_copy_telling_its_own_time(tmp_path):
    warehouse, target = tmp_path / "warehouse.duckdb", tmp_path / "published" / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table figures as select 1 as accidents")
    publish(warehouse, target, FIRST)
    manifest = target.with_name(MANIFEST_NAME).read_text(encoding="utf-8")
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update figures set accidents = 2")
    publish(warehouse, target, SECOND)
    # As if killed after the copy's rename and before published.json was replaced: the old manifest is back.
    target.with_name(MANIFEST_NAME).write_text(manifest, encoding="utf-8")
    assert json.loads(manifest)["published_at"] == FIRST.isoformat()
    assert last_publication(target).published_at == SECOND
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("select accidents, (select published_at from ops.publication) from figures").fetchone() == (
            2,
            SECOND,
        )


def test_a_copy_published_before_copies_recorded_their_time_is_read_from_the_manifest(tmp_path):
    target = tmp_path / "published" / "warehouse.duckdb"
    target.parent.mkdir()
    with duckdb.connect(str(target)) as con:
        con.execute("create table figures as select 1 as accidents")
    assert last_publication(target) is None
    target.with_name(MANIFEST_NAME).write_text(json.dumps({"published_at": FIRST.isoformat(), "size_bytes": 1}))
    assert last_publication(target).published_at == FIRST
