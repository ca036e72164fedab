"""The harness's C loops cost what a plain C program costs: instruction counts from callgrind (exact, so
this can be asserted without timing noise) within 10% on every loop (tools/bench_instructions.py)."""

from __future__ import annotations

from .conftest import load_tool


def test_harness_loops_within_ten_percent_of_plain_c() -> None:
    rows = load_tool("bench_instructions").measure()
    assert len(rows) == 4
    for row in rows:
        assert row.plain > 0 and row.harness > 0, row
        assert row.ratio <= 1.10, f"{row.case}: harness {row.harness:.2f} vs plain C {row.plain:.2f} instructions"
