"""`kit bench` end to end in quick mode: table, JSON and PNG; exact instruction counts repeat; --compare; refusals.

Steps: run `kit bench --quick` through the command line (in process) on DPDK's own drivers (stack, net_ring0).
Verify: the files are written, every row has a rate and an instruction count, the reference's ratios are 1,
two runs give identical instruction counts, and bad input gives one line on stderr and exit status 2.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kit.cli import main

pytestmark = pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(["bench", *argv])
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def _instructions(path: Path) -> dict[str, float]:
    return {r["key"]: r["instructions"] for r in json.loads(path.read_text())["rows"]}


def test_mempool_quick_twice_same_instructions_and_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    rc, out, _ = _run(capsys, "--mempool", "stack", "--quick", "--reps", "2", "--out", str(first))
    assert rc == 0
    assert "| stack * | 0 | 1 | 32 | 1 |" in out and "ring_mp_mc" in out and "ring_sp_sc" in out
    data = json.loads((first / "mempool-stack.json").read_text())
    assert data["kind"] == "mempool" and data["reps"] == 2
    assert (first / "mempool-stack.png").read_bytes().startswith(PNG_MAGIC)
    assert (first / "mempool-stack.md").read_text().startswith("| driver |")
    rows = {r["key"]: r for r in data["rows"]}
    assert len(rows) == 6  # 3 drivers x bulk 1, 32 (stack under test is the reference stack)
    for r in rows.values():
        assert r["rate_median"] > 0 and r["rate_min"] <= r["rate_median"] <= r["rate_max"]
        assert r["instructions"] > 0
    ref = rows["ring_mp_mc cache=0 bulk=1 keep=32 lcores=1"]
    assert ref["rate_ratio"] == 1.0 and ref["instructions_ratio"] == 1.0
    # one get+put of ring_mp_mc at bulk 1 costs ~150 instructions; far more means setup leaked in
    assert 100 < ref["instructions"] < 200

    rc, out, _ = _run(capsys, "--mempool", "stack", "--quick", "--reps", "2", "--out", str(second),
                      "--compare", str(first / "mempool-stack.json"))
    assert rc == 0
    assert _instructions(second / "mempool-stack.json") == _instructions(first / "mempool-stack.json")
    assert "change against" in out
    assert "| stack cache=0 bulk=32 keep=32 lcores=1 |" in out and "+0.0%" in out


def test_pmd_quick_net_ring(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = _run(capsys, "--pmd", "net_ring0", "--quick", "--out", str(tmp_path))
    assert rc == 0
    data = json.loads((tmp_path / "pmd-net_ring0.json").read_text())
    assert (tmp_path / "pmd-net_ring0.png").read_bytes().startswith(PNG_MAGIC)
    keys = {r["key"] for r in data["rows"]}
    assert keys == {f"{d} mode={m} burst={b}" for d in ("net_ring", "net_null") for m in ("rx", "tx", "fwd")
                    for b in (1, 32)}
    for r in data["rows"]:
        assert r["rate_median"] > 0 and r["instructions"] > 0, r
        assert r["role"] == ("under test" if r["driver"] == "net_ring" else "reference")
    null_fwd = next(r for r in data["rows"] if r["key"] == "net_null mode=fwd burst=32")
    assert 100 < null_fwd["instructions"] < 150  # ~123: rx_burst + tx_burst (+ the frees) of net_null
    assert "| net_ring * | fwd | 32 |" in out


@pytest.mark.parametrize(("argv", "expected"), [
    (["--mempool", "no_such_ops"], "no_such_ops"),
    (["--mempool", "bad:name"], "bad mempool ops name"),
    (["--pmd", "net_null0:x"], "bad vdev devargs"),
    (["--pmd", "net_nosuch0"], 'failed to parse device "net_nosuch0"'),
    (["--mempool", "stack", "--compare", "/nonexistent/old.json"], "cannot read /nonexistent/old.json"),
])
def test_bad_input_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                   expected: str) -> None:
    rc, _, err = _run(capsys, *argv, "--quick", "--reps", "1", "--out", str(tmp_path))
    assert rc == 2
    lines = err.splitlines()  # progress lines, then the error
    errors = [ln for ln in lines if ln.startswith("kit bench: error: ")]
    assert len(errors) == 1 and all(ln.startswith("kit bench: ") for ln in lines), err
    assert expected in errors[0]


def test_plugin_under_tmp_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plugin = tmp_path / "librte_mempool_x.so"
    plugin.write_bytes(b"")
    rc, _, err = _run(capsys, "--mempool", "x", "--plugin", str(plugin), "--quick")
    assert rc == 2
    assert err.count("\n") == 1 and "world-writable" in err, err


def test_compare_with_other_kind_refused_before_running(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"format": "dpdk-kit bench 1", "kind": "mempool", "rows": []}))
    rc, _, err = _run(capsys, "--pmd", "net_null0", "--compare", str(old), "--quick")
    assert rc == 2
    assert err.splitlines() == [err.strip()] and "holds a mempool benchmark, not a pmd one" in err


def test_unusable_out_refused_before_running(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--out naming a file: one line, exit 2, before any benchmark runs (no progress printed)."""
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    rc, out, err = _run(capsys, "--mempool", "stack", "--quick", "--out", str(blocker / "results"))
    assert rc == 2 and out == ""
    assert err.splitlines() == [err.strip()] and f"cannot create {blocker / 'results'}" in err, err


@pytest.mark.parametrize(("argv", "expected"), [
    (["--pmd", ""], "must not be empty"),
    (["--mempool", " "], "must not be empty"),
    (["--mempool", "stack", "--reps", "0"], "'0' is not a positive whole number"),
])
def test_empty_names_and_zero_reps_refused(capsys: pytest.CaptureFixture[str], argv: list[str],
                                           expected: str) -> None:
    with pytest.raises(SystemExit) as exc:
        _run(capsys, *argv)
    err = capsys.readouterr().err
    assert exc.value.code == 2 and expected in err.splitlines()[-1], err
