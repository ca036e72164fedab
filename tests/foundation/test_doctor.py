"""`kit doctor`: one line per check, exit 0 only when every blocking check passes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from kit import doctor
from kit.runtime import runtime_dir, world_writable_component
from kit.toolchain import dpdk as dpdk_mod

KIT = [sys.executable, "-m", "kit.cli"]


def run_doctor(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KIT, "doctor"], capture_output=True, text=True, check=False,
                          env=dict(os.environ, **env), timeout=120)


def line_of(output: str, check: str) -> str:
    """The line of one check (names are 18 columns wide after the status)."""
    return next(ln for ln in output.splitlines() if ln[6:24].rstrip() == check)


def test_doctor_passes_on_a_ready_machine() -> None:
    """Verify: every blocking check is ok, the EAL really started, the ops table is read, nothing left behind."""
    before = set(runtime_dir("x").parent.glob("kit-doctor-*")) if runtime_dir("x").parent.is_dir() else set()
    proc = run_doctor()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for check in ("dpdk", "sdk headers", "c compiler", "meson", "ninja", "dpdk-testpmd", "dpdk-test",
                  "dpdk-pmdinfo.py", "cffi extension", "valgrind", "eal start", "mempool ops slots",
                  "plugin directory"):
        assert line_of(proc.stdout, check).startswith("ok "), check
    assert line_of(proc.stdout, "hugepages").startswith("info")
    slots = line_of(proc.stdout, "mempool ops slots")
    assert " of 16 mempool ops slots free" in slots
    assert "reads net_null's PMD info" in line_of(proc.stdout, "dpdk-pmdinfo.py")
    assert "rte_version(): DPDK " in line_of(proc.stdout, "cffi extension")
    after = set(runtime_dir("x").parent.glob("kit-doctor-*")) if runtime_dir("x").parent.is_dir() else set()
    assert after == before, "doctor left EAL runtime files behind"


def test_doctor_without_dpdk_fails_with_the_fix(tmp_path: Path) -> None:
    proc = run_doctor(PKG_CONFIG_LIBDIR=str(tmp_path), PKG_CONFIG_PATH="")
    assert proc.returncode == 1
    line = line_of(proc.stdout, "dpdk")
    assert line.startswith("FAIL")
    assert "pkg-config finds no libdpdk.pc" in line and "fix:" in line
    assert "Traceback" not in proc.stderr
    # Checks that do not need DPDK still report.
    assert line_of(proc.stdout, "c compiler").startswith("ok")
    assert proc.stdout.strip().endswith("blocking check(s) failed")


def test_doctor_without_sdk_headers_says_run_kit_sdk(tmp_path: Path) -> None:
    proc = run_doctor(DPDK_KIT_CACHE=str(tmp_path / "empty-cache"))
    assert proc.returncode == 1
    line = line_of(proc.stdout, "sdk headers")
    assert line.startswith("FAIL") and "fix: run 'kit sdk'" in line


def test_doctor_reports_an_eal_that_does_not_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """An EAL argument the real EAL rejects makes the eal check fail (the check can fail)."""
    monkeypatch.setattr(doctor, "base_eal_args", lambda prefix: ["--no-huge", "--no-pci", "-l", "999",
                                                                 "--file-prefix", prefix])
    dpdk_mod.find_dpdk.cache_clear()
    results = {r.name: r for r in doctor._all_checks()}
    assert results["eal start"].status == doctor.FAIL
    assert "EAL does not start" in results["eal start"].detail


def test_full_ops_table_is_a_blocking_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    full = doctor.EalReport(ops_max=16, ops_names=tuple(f"ops{i}" for i in range(16)))
    monkeypatch.setattr(doctor, "run_eal_probe", lambda _dpdk: full)
    dpdk_mod.find_dpdk.cache_clear()
    results = {r.name: r for r in doctor._all_checks()}
    assert results["mempool ops slots"].status == doctor.FAIL
    assert results["mempool ops slots"].detail.startswith("0 of 16")


def test_world_writable_component_follows_eal(tmp_path: Path) -> None:
    """EAL's rule: the path itself and every ancestor must not be world-writable."""
    safe = tmp_path / "a" / "b"
    safe.mkdir(parents=True)
    tmp_path.chmod(0o755)
    (tmp_path / "a").chmod(0o777)
    assert world_writable_component(safe) == tmp_path / "a"
    (tmp_path / "a").chmod(0o755)
    plugin = safe / "librte_x.so"
    plugin.write_bytes(b"")
    plugin.chmod(0o666)
    assert world_writable_component(plugin) == plugin, "a world-writable plugin file is refused by EAL too"
    # /tmp itself is world-writable on every Linux system, so anything below it is refused.
    assert world_writable_component(Path("/tmp/x/y")) == Path("/tmp")
    assert world_writable_component(Path("/usr/lib")) is None


# -- A machine with broken pieces, made without uninstalling anything -----------------------------------------------
# Programs are replaced by failing stand-ins first on PATH; dpdk-pmdinfo.py by a copy of the real script whose
# shebang adds -S (no site-packages: the interpreter then lacks elftools, as without python3-pyelftools); the
# Python headers by sysconfig data naming an include directory without pyconfig.h (as without python3-dev).


def fake_program(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def failing(message: str, status: int = 1) -> str:
    return f"#!/bin/sh\necho \"{message}\" >&2\nexit {status}\n"


def pmdinfo_without_elftools(directory: Path) -> Path:
    """The real dpdk-pmdinfo.py, run by its own interpreter with -S."""
    real = Path("/usr/bin/dpdk-pmdinfo.py")
    interpreter = doctor._interpreter(real)
    assert interpreter, f"{real} has no shebang"
    body = real.read_text().split("\n", 1)[1]
    return fake_program(directory, real.name, f"#!{interpreter} -S\n{body}")


def python_without_headers(directory: Path) -> dict[str, str]:
    """Environment for a Python whose sysconfig names an include directory lacking pyconfig.h."""
    real_include = Path(sysconfig.get_config_var("INCLUDEPY"))
    include = directory / "include"
    include.mkdir(parents=True)
    for header in real_include.iterdir():
        if header.name != "pyconfig.h":
            (include / header.name).symlink_to(header)
    real_name = sysconfig._get_sysconfigdata_name()  # type: ignore[attr-defined]
    fake_name = "_sysconfigdata_kit_test_no_headers"
    (directory / f"{fake_name}.py").write_text(
        "import importlib\n"
        f"_real = importlib.import_module({real_name!r})\n"
        f"build_time_vars = dict(_real.build_time_vars, INCLUDEPY={str(include)!r}, CONFINCLUDEPY={str(include)!r})\n")
    return {"PYTHONPATH": str(directory), "_PYTHON_SYSCONFIGDATA_NAME": fake_name}


@pytest.fixture(scope="module")
def broken_doctor(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """Steps: kit doctor with a valgrind whose tool is missing, a dpdk-testpmd whose libraries are missing, a
    dpdk-pmdinfo.py whose Python has no elftools and a Python without its C headers, all at once."""
    root = tmp_path_factory.mktemp("broken")
    fake_bin = root / "bin"
    fake_program(fake_bin, "valgrind", failing(
        "valgrind: failed to start tool 'memcheck' for platform 'amd64-linux': No such file or directory"))
    fake_program(fake_bin, "dpdk-testpmd", failing(
        "dpdk-testpmd: error while loading shared libraries: librte_net_i40e.so.23: cannot open shared object "
        "file: No such file or directory", 127))
    pmdinfo_without_elftools(fake_bin)
    env = python_without_headers(root / "python")
    proc = run_doctor(PATH=f"{fake_bin}{os.pathsep}{os.environ['PATH']}", **env)
    print(proc.stdout)
    return proc


def test_broken_machine_fails_and_other_checks_still_pass(broken_doctor: subprocess.CompletedProcess[str]) -> None:
    assert broken_doctor.returncode == 1, broken_doctor.stdout + broken_doctor.stderr
    assert "Traceback" not in broken_doctor.stderr
    assert broken_doctor.stdout.strip().endswith("4 blocking check(s) failed")
    for check in ("dpdk", "c compiler", "meson", "ninja", "dpdk-test", "eal start", "plugin directory"):
        assert line_of(broken_doctor.stdout, check).startswith("ok "), check


def test_failing_valgrind_names_its_package(broken_doctor: subprocess.CompletedProcess[str]) -> None:
    line = line_of(broken_doctor.stdout, "valgrind")
    assert line.startswith("FAIL") and "failed to start tool 'memcheck'" in line, line
    assert line.endswith("fix: apt-get install valgrind (a working one: 'valgrind true' must run)"), line


def test_failing_testpmd_names_its_package(broken_doctor: subprocess.CompletedProcess[str]) -> None:
    line = line_of(broken_doctor.stdout, "dpdk-testpmd")
    assert line.startswith("FAIL") and "librte_net_i40e.so.23" in line, line
    assert line.endswith("fix: apt-get install dpdk-dev"), line


def test_pmdinfo_without_elftools_names_python3_pyelftools(broken_doctor: subprocess.CompletedProcess[str]) -> None:
    line = line_of(broken_doctor.stdout, "dpdk-pmdinfo.py")
    assert line.startswith("FAIL") and "cannot import elftools" in line, line
    assert "fix: apt-get install python3-pyelftools" in line, line


def test_python_without_headers_names_python3_dev(broken_doctor: subprocess.CompletedProcess[str]) -> None:
    line = line_of(broken_doctor.stdout, "cffi extension")
    assert line.startswith("FAIL") and "pyconfig.h: No such file or directory" in line, line
    assert "python3-dev" in line.partition("; fix: ")[2], line


def test_cffi_without_setuptools_names_the_pip_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Python >= 3.12 has no distutils: cffi compiles only with setuptools. Here both fail to import."""
    for package in ("setuptools", "distutils"):
        fake_program(tmp_path / package, "__init__.py",
                     f"raise ModuleNotFoundError(\"No module named '{package}'\", name={package!r})\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    dpdk_mod.find_dpdk.cache_clear()
    result = doctor._check_cffi(dpdk_mod.find_dpdk())
    print(result.line())
    assert result.status == doctor.FAIL, result
    assert result.fix == f"{sys.executable} -m pip install setuptools (cffi compiles with it on Python >= 3.12)"


def test_compiler_that_cannot_build_names_build_essential(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cc = fake_program(tmp_path, "cc", failing("hello.c:1:10: fatal error: stdio.h: No such file or directory"))
    monkeypatch.setenv("CC", str(cc))
    result = doctor._check_compiler()
    assert result.status == doctor.FAIL and "stdio.h: No such file" in result.detail, result
    assert result.fix == "apt-get install build-essential"
    monkeypatch.delenv("CC")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = doctor._check_compiler()
    assert result.status == doctor.FAIL and result.detail.startswith("no C compiler"), result
    assert result.fix == "apt-get install build-essential"


def test_valgrind_without_libc_symbols_names_libc6_dbg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """valgrind's own message when libc's symbols are stripped and libc6-dbg is missing."""
    fake_program(tmp_path, "valgrind", failing(
        "valgrind:  Fatal error at startup: a function redirection\nvalgrind:  which is mandatory for this "
        "platform-tool combination\nvalgrind:  cannot be set up.  Details of the redirection are:"))
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    result = doctor._check_valgrind()
    assert result.status == doctor.FAIL and result.fix == "apt-get install libc6-dbg", result
