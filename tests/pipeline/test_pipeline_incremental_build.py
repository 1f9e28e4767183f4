"""A build after a month's files adds only what those loads revised to the incremental models, with the
figures a rebuild from every record gives; an edited earlier row or changed code rebuilds them all."""

from __future__ import annotations

import json

import duckdb
import pytest

from dagster_project.warehouse.build_inputs import rebuild_reason
from ingest.raw_state import read_states
from tests.pipeline.conftest import FIXTURES, run_dbt
from tests.runner import run_emstat

INCREMENTAL = (
    "fct_accident_revisions",
    "fct_accidents",
    "fct_inspection_revisions",
    "fct_inspections",
    "fct_penalty_revisions",
    "fct_penalties",
)


def _rebuilt_because(home) -> str | None:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("select rebuilt_because from ops.build_inputs").fetchone()[0]


def _build(home) -> None:
    built = run_emstat(home, "build")
    assert built.returncode == 0, built.stdout + built.stderr


def _rows(home, model: str) -> list[tuple]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(f"select * from marts.{model} order by all").fetchall()


def _ingest(home, *folders: str) -> None:
    ingested = run_emstat(home, "ingest", *(str(FIXTURES / folder) for folder in folders))
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr


@pytest.mark.slow
def test_a_later_load_is_added_to_what_the_last_build_made(built_home, tmp_path):
    home = built_home.copy_to(tmp_path / "home")
    assert _rebuilt_because(home) == "no published build to add the new loads to"

    _ingest(home, "revision", "enforcement")
    _build(home)
    assert _rebuilt_because(home) is None
    _ingest(home, "enforcement_revision")
    _build(home)
    assert _rebuilt_because(home) is None
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        # The 补报 of C2 (2 deaths where the first return said 1) is its current revision, the second of two.
        assert con.execute(
            "select deaths, revision_count, newest_load_id = (select max(load_id) from raw.files "
            "where source = 'accidents') from marts.fct_accidents where accident_id = 'C2'"
        ).fetchall() == [(2, 2, True)]
        assert con.execute(
            "select revision_number, deaths, is_current, known_until is null "
            "from marts.fct_accident_revisions where accident_id = 'C2' order by 1"
        ).fetchall() == [(1, 1, False, False), (2, 2, True, True)]
        # The second build adds J1's 补报 (4 hazards, 1 major, where the first return said 3 and 0), a new J4,
        # and the revocation of penalty 1号; J2, J3 and 2号 stay as the first build made them.
        assert con.execute(
            "select inspection_id, hazards_found, major_hazards_found, is_case_filed "
            "from marts.fct_inspections order by 1"
        ).fetchall() == [("J1", 4, 1, True), ("J2", 2, 1, True), ("J3", 0, 0, False), ("J4", 1, 0, False)]
        assert con.execute(
            "select revision_number, hazards_found, is_current, known_until is null "
            "from marts.fct_inspection_revisions where inspection_id = 'J1' order by 1"
        ).fetchall() == [(1, 3, False, False), (2, 4, True, True)]
        assert con.execute(
            "select penalty_id, is_revoked, fine_amount_yuan from marts.fct_penalties order by 1"
        ).fetchall() == [("青应急罚〔2025〕1号", True, 20000), ("青应急罚〔2025〕2号", False, 3000)]
        assert con.execute("select count(*) from marts.fct_penalty_revisions").fetchone()[0] == 3
    added = {model: _rows(home, model) for model in INCREMENTAL}

    # dbt rebuilding the same models from every record finds exactly the same rows.
    rebuilt = run_dbt(home, tmp_path / "target", "run", "--full-refresh", "--quiet", "--select", *INCREMENTAL)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert {model: _rows(home, model) for model in INCREMENTAL} == added


@pytest.mark.slow
def test_an_edited_earlier_row_rebuilds_every_record(shelf, tmp_path):
    # The pipeline home after `emstat ingest fixtures/revision` and `emstat build`.
    home = shelf.get("pipeline_revised").copy_to(tmp_path / "home")
    # A hand edit of an accident no later load revised: only a rebuild from every record shows it.
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        accident, deaths = con.execute(
            "select accident_id, deaths from marts.fct_accidents where revision_count = 1 order by accident_id limit 1"
        ).fetchone()
        con.execute("update raw.accidents set deaths = deaths + 5 where accident_id = ?", [accident])
    _build(home)
    assert _rebuilt_because(home) == "raw.accidents no longer holds the rows the last published build was made from"
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert (
            con.execute("select deaths from marts.fct_accidents where accident_id = ?", [accident]).fetchone()[0]
            == deaths + 5
        )


def _warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute("create table raw.accidents (accident_id varchar, deaths integer, _load_id bigint)")
    con.execute("create table raw.codes (list_name varchar, code varchar)")
    con.execute("insert into raw.accidents values ('A1', 1, 1), ('A2', 0, 2)")
    con.execute("insert into raw.codes values ('industries', 'road')")
    return con


def _published(con, code: str = "code-1") -> tuple[str, str]:
    return code, json.dumps(
        {table: state.recorded for table, state in read_states(con, ["accidents", "codes"]).items()}
    )


def _now(con, published) -> dict:
    seen = {table: state[0] for table, state in json.loads(published[1]).items()}
    return read_states(con, ["accidents", "codes"], seen)


def test_later_loads_are_added_and_anything_else_rebuilds():
    con = _warehouse()
    published = _published(con)
    assert rebuild_reason(published, "code-1", _now(con, published)) is None
    con.execute("insert into raw.accidents values ('A1', 2, 3), ('A3', 0, 3)")  # a 补报 and a new accident
    assert rebuild_reason(published, "code-1", _now(con, published)) is None

    assert rebuild_reason(None, "code-1", _now(con, published)) == "no published build to add the new loads to"
    assert (
        rebuild_reason(published, "code-2", _now(con, published)) == "the code changed since the last published build"
    )
    con.execute("update raw.accidents set deaths = 7 where accident_id = 'A2'")
    assert (
        rebuild_reason(published, "code-1", _now(con, published))
        == "raw.accidents no longer holds the rows the last published build was made from"
    )


def test_a_deleted_row_or_changed_code_list_rebuilds():
    con = _warehouse()
    published = _published(con)
    con.execute("delete from raw.accidents where accident_id = 'A1'")
    assert (
        rebuild_reason(published, "code-1", _now(con, published))
        == "raw.accidents no longer holds the rows the last published build was made from"
    )

    con = _warehouse()
    published = _published(con)
    con.execute("insert into raw.codes values ('industries', 'fire')")  # the code lists carry no load
    assert (
        rebuild_reason(published, "code-1", _now(con, published))
        == "raw.codes no longer holds the rows the last published build was made from"
    )


def test_an_incremental_model_reads_one_record_source_besides_the_file_ledger_and_code_lists():
    """What the guard relies on: a later load of any other table, say a new 区划 file re-parenting a township,
    could change rows the model already holds, and only an edit makes the guard rebuild. The appraisal's record
    groups are the one model that reads more: it groups again every year a revision of any of its three sources
    touched, and every year when the rules' filters ask about other delays (tests/appraisal)."""
    from dagster_project.warehouse.project import dbt_manifest

    manifest = json.loads(dbt_manifest().read_text(encoding="utf-8"))
    nodes = {**manifest["nodes"], **manifest["sources"]}

    def sources_under(unique_id: str) -> set[str]:
        node = nodes[unique_id]
        if node["resource_type"] == "source":
            return {node["name"]}
        return set().union(*(sources_under(parent) for parent in node["depends_on"]["nodes"]))

    incremental = {
        node["name"]: sources_under(unique_id) - {"files", "codes"}
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["config"]["materialized"] == "incremental"
    }
    assert incremental == {
        "fct_accident_revisions": {"accidents"},
        "fct_accidents": {"accidents"},
        "fct_inspection_revisions": {"inspections"},
        "fct_inspections": {"inspections"},
        "fct_penalty_revisions": {"penalties"},
        "fct_penalties": {"penalties"},
        "int_appraisal__record_groups": {"accidents", "inspections", "penalties", "filters"},
    }
