"""The runs: what each did (from its Dagster events) and its record in the run history (ops.runs, ops.run_files)."""
