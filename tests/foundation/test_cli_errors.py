"""Bad input: one line on stderr naming the problem and the fix, exit 2, nothing written, before any work.

`kit test`'s refusals run the real command (in this process; the driver-name check starts a child EAL), with
stdout and stderr captured at the file descriptors, so output of any child process counts too.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from kit.cli import main, parse_args
from kit.conformance.runner import suite_checks, suite_exit_status
from kit.errors import KitError
from kit.paths import cache_root
from kit.toolchain.compile import compile_plugin


def _listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.mark.parametrize(("argv", "expected"), [
    (["info", "{tmp}"], "is a directory, not a plugin file"),
    (["pmdinfo", "{tmp}", "-o", "{tmp}/file/x.c"], "cannot write {tmp}/file/x.c"),
    (["demo", "{tmp}/d"], "{tmp}/d is under /tmp, which is world-writable: EAL would refuse the plugins"),
])
def test_unusable_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str) -> None:
    (tmp_path / "file").write_text("a file where a directory is needed")
    before = sorted(p.name for p in tmp_path.iterdir())
    rc = main([a.format(tmp=tmp_path) for a in argv])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.splitlines() == [err.strip()] and expected.format(tmp=tmp_path) in err, err
    assert "; fix: " in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_demo_dir_that_cannot_be_created(capsys: pytest.CaptureFixture[str]) -> None:
    """Under a directory EAL accepts (the kit's cache, 0755 down from /root), a file where a folder is needed."""
    base = Path(tempfile.mkdtemp(dir=cache_root()))
    try:
        (base / "file").write_text("a file where a directory is needed")
        rc = main(["demo", str(base / "file" / "d")])
        err = capsys.readouterr().err
        assert rc == 2 and err.splitlines() == [err.strip()], err
        assert f"cannot create {base}/file/d/logs" in err, err
        assert _listing(base) == ["file"]
    finally:
        shutil.rmtree(base)


REPORT = ["--report", "{tmp}/report.json"]


@pytest.mark.parametrize(("argv", "expected"), [
    # a driver or ops name nothing registers (decided in a child EAL with DPDK's drivers loaded)
    (["test", "--pmd", "bogus0", *REPORT], "no vdev driver takes the device name 'bogus0' with DPDK's drivers loaded"),
    (["test", "--pmd", "bogus0,wire=gen", *REPORT], "no vdev driver takes the device name 'bogus0'"),
    (["test", "--pmd", "0000:01:00.0", *REPORT], "no vdev driver takes the device name '0000:01:00.0'"),
    (["test", "--mempool", "bogus", *REPORT], "no mempool ops named 'bogus' is registered with DPDK's drivers loaded"),
    # check ids the suite does not have
    (["test", "--pmd", "net_null0", "--check", "E1,E99", *REPORT],
     "no check E99 in the ethdev suite (its checks are E1-E29)"),
    (["test", "--mempool", "ring_mp_mc", "--check", "m15", *REPORT],
     "no check M15 in the mempool suite (its checks are M1-M14)"),
    (["test", "--mempool", "ring_mp_mc", "--check", "E4", *REPORT], "no check E4 in the mempool suite"),
    (["test", "--mempool", "ring_mp_mc", "--check", ",", *REPORT], "--check names no check"),
    (["test", "{tmp}/proj", "--check", "M1", *REPORT], "no check M1 in the ethdev suite"),  # before any build
    # a report the suite could not write at the end
    (["test", "--mempool", "ring_mp_mc", "--report", "{tmp}/missing/r.json"],
     "cannot write the report {tmp}/missing/r.json: folder {tmp}/missing does not exist"),
    (["test", "--mempool", "ring_mp_mc", "--report", "{tmp}/file/r.json"], "folder {tmp}/file is not a directory"),
    (["test", "--mempool", "ring_mp_mc", "--report", "{tmp}"], "--report {tmp} is a directory"),
    # arguments that are neither the kit's nor after --
    (["test", "--mempool", "ring_mp_mc", "-x", *REPORT], "unrecognized arguments: -x; fix: arguments for pytest go "
     "after --"),
    (["test", "--pmd", "net_null0", "tests", *REPORT], "DIR (tests) does not go with --mempool or --pmd"),
    (["testpmd", "{tmp}/proj", "-i"], "unrecognized arguments: -i; fix: arguments for dpdk-testpmd go after --"),
    (["test", "--pmd", "net_null0", "--plugin", "{tmp}/none.so", *REPORT], "plugin {tmp}/none.so does not exist"),
])
def test_kit_test_bad_input(tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                            argv: list[str], expected: str) -> None:
    """Steps: kit test (or testpmd) with one bad input, in an empty working directory.
    Verify: exit 2, exactly one line on stderr containing the problem and '; fix: ', nothing on stdout, no report
    and no other file written (no suite ran, no project was built)."""
    (tmp_path / "file").write_text("a file where a directory is needed")
    project = tmp_path / "proj"  # looks like a PMD project to find_project; building it would fail
    project.mkdir()
    (project / "meson.build").write_text("project('proj', 'c')\nshared_library('rte_net_' + name, 'x.c')\n")
    monkeypatch.chdir(tmp_path)
    before = _listing(tmp_path)
    rc = main([a.format(tmp=tmp_path) for a in argv])
    out, err = capfd.readouterr()
    assert rc == 2, err
    assert err.splitlines() == [err.strip()], err
    assert expected.format(tmp=tmp_path) in err and "; fix: " in err, err
    assert out == ""
    assert _listing(tmp_path) == before


def test_known_driver_that_fails_to_probe_is_the_suites_failure(tmp_path: Path, capfd: pytest.CaptureFixture[str]
                                                                ) -> None:
    """Steps: kit test --pmd net_null0,no_such_key=1 --check E1 (net_null is registered; its probe refuses the key).
    Verify: not refused as bad input: the suite runs, E1 FAILED in the report, exit 1."""
    report = tmp_path / "report.json"
    rc = main(["test", "--pmd", "net_null0,no_such_key=1", "--check", "E1", "--report", str(report)])
    out, err = capfd.readouterr()
    assert rc == 1, out[-3000:] + err
    assert "error:" not in err, err
    assert json.loads(report.read_text())["E1"]["result"] == "FAILED"


MUTANT_MEMPOOL = Path(__file__).parents[1] / "mutants" / "mempool" / "mutant_mempool.c"


def test_mempool_driver_dpdk_refuses_is_the_suites_failure(tmp_path: Path, capfd: pytest.CaptureFixture[str]
                                                            ) -> None:
    """Steps: build a mempool driver that declares ops 'kitx_nodeq' without a dequeue (DPDK refuses to register
    it); kit test --mempool kitx_nodeq --plugin it --check M1; then kit test --mempool kitx_typo --plugin it.
    Verify: the first is not bad input (the suite runs, M1 FAILED, exit 1); the second is (no plugin declares
    the name): one line naming what the plugin declares, exit 2, no report."""
    plugin = compile_plugin([MUTANT_MEMPOOL], "rte_mempool_kitx_nodeq", ["MUT_MISSING_DEQUEUE",
                                                                          'MUT_OPS_NAME="kitx_nodeq"'])
    report = tmp_path / "report.json"
    rc = main(["test", "--mempool", "kitx_nodeq", "--plugin", str(plugin), "--check", "M1", "--report", str(report)])
    out, err = capfd.readouterr()
    assert rc == 1, out[-3000:] + err
    assert json.loads(report.read_text())["M1"]["result"] == "FAILED"
    report.unlink()
    rc = main(["test", "--mempool", "kitx_typo", "--plugin", str(plugin), "--report", str(report)])
    out, err = capfd.readouterr()
    assert rc == 2 and out == "" and err.splitlines() == [err.strip()], err
    assert "no mempool ops named 'kitx_typo' is registered" in err and "the plugins declare kitx_nodeq" in err, err
    assert not report.exists()


@pytest.mark.parametrize(("after", "expected"), [
    (["--no-such-pytest-option"], "pytest refused the arguments after -- (--no-such-pytest-option)"),
    (["-k", "no_test_has_this_name"], "no check ran: the arguments after -- (-k no_test_has_this_name) deselected"),
])
def test_pytest_arguments_that_run_nothing(tmp_path: Path, capfd: pytest.CaptureFixture[str], after: list[str],
                                           expected: str) -> None:
    """Steps: kit test --mempool ring_mp_mc --check M3 --report R -- ARGS that pytest refuses or that select nothing.
    Verify: exit 2 (not pytest's 4 or 5), the last stderr line is the kit's, no report written."""
    report = tmp_path / "report.json"
    rc = main(["test", "--mempool", "ring_mp_mc", "--check", "M3", "--report", str(report), "--", *after])
    err = capfd.readouterr().err
    assert rc == 2, err
    assert err.strip().splitlines()[-1].startswith("kit test: error: " + expected), err
    assert not report.exists()


def test_pytest_exit_statuses_become_0_1_2(capsys: pytest.CaptureFixture[str]) -> None:
    """pytest's statuses map to the README's: 0 and 1 stay; a run that broke off (interrupted 2, internal error 3,
    a signal, or 4/5 caused by the kit itself) is 1 with a line; 4 and 5 caused by the arguments after -- are
    KitError (exit 2)."""
    assert suite_exit_status(0) == 0 and suite_exit_status(1, ["-x"]) == 1
    for rc, why in ((2, "was interrupted"), (3, "hit an internal error"), (-11, "was killed by SIGSEGV"),
                    (4, "a dpdk-kit bug"), (5, "a dpdk-kit bug")):
        assert suite_exit_status(rc) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and why in err, err
    for rc in (4, 5):
        with pytest.raises(KitError):
            suite_exit_status(rc, ["-k", "x"])


def test_suites_checks() -> None:
    """The ids --check accepts are the suites' check markers: E1-E29 and M1-M14."""
    assert suite_checks("ethdev") == tuple(f"E{i}" for i in range(1, 30))
    assert suite_checks("mempool") == tuple(f"M{i}" for i in range(1, 15))


def test_options_before_the_double_dash_are_the_kits() -> None:
    """kit testpmd DIR --vdev X --plugin P -- ARGS: --vdev and --plugin are kit's (they used to reach testpmd);
    everything after the first -- goes to the program untouched, even words that look like kit's options."""
    args = parse_args(["testpmd", "acme", "--vdev", "net_null0", "--plugin", "p.so", "--", "-i", "--vdev", "x"])
    assert args.vdev == ["net_null0"] and args.plugin == [Path("p.so")]
    assert args.testpmd_args == ["-i", "--vdev", "x"]
    args = parse_args(["test", "acme", "--check", "E1", "--", "-x", "--check", "E2"])
    assert (args.dir, args.check, args.pytest_args) == (Path("acme"), "E1", ["-x", "--check", "E2"])
    assert parse_args(["testpmd", "acme"]).testpmd_args == []
