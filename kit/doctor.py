"""`kit doctor`: is this machine ready to build, load and test DPDK drivers?

Each check yields one Result; blocking checks decide the exit status, informational ones
(hugepages) only explain. Checks never raise: a failure is a line with its fix.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kit.build import sdk
from kit.build.dpdk import INSTALL_FIX, Dpdk, find_dpdk
from kit.build.probe import build_probe, c_compiler
from kit.errors import KitError
from kit.paths import kit_tool
from kit.runtime import base_eal_args, remove_runtime_dir, unique_file_prefix, world_writable_component

PASS, FAIL, INFO = "ok", "FAIL", "info"
EAL_TIMEOUT_S = 60


@dataclass(frozen=True)
class Result:
    name: str
    status: str
    detail: str
    fix: str = ""

    def line(self) -> str:
        text = f"{self.status:<4}  {self.name:<18} {self.detail}"
        return f"{text}; fix: {self.fix}" if self.fix else text


@dataclass(frozen=True)
class EalReport:
    ops_max: int
    ops_names: tuple[str, ...]


def run_eal_probe(dpdk: Dpdk) -> EalReport:
    probe = build_probe("eal_probe", dpdk)
    prefix = unique_file_prefix("kit-doctor")
    try:
        proc = subprocess.run([str(probe), *base_eal_args(prefix)], capture_output=True, text=True,
                              timeout=EAL_TIMEOUT_S, check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise KitError(f"the EAL did not start within {EAL_TIMEOUT_S} s", "run with --log-level=debug") from exc
    finally:
        remove_runtime_dir(prefix)
    values: dict[str, list[str]] = {}
    for line in proc.stdout.splitlines():
        key, _, value = line.partition(" ")
        values.setdefault(key, []).append(value)
    if proc.returncode != 0 or "ops_max" not in values:
        reason = values.get("eal_init_failed", [proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "?"])
        raise KitError(f"the EAL does not start ({reason[0]})",
                       "see 'Troubleshooting' in README.md; run as root or give access to /var/run/dpdk")
    return EalReport(int(values["ops_max"][0]), tuple(values.get("ops_name", [])))


def _all_checks() -> Iterator[Result]:
    try:
        dpdk: Dpdk | None = find_dpdk()
    except KitError as err:
        dpdk = None
        yield Result("dpdk", FAIL, err.problem, err.fix)
    else:
        yield Result("dpdk", PASS, f"DPDK {dpdk.version} (pkg-config libdpdk)")
    if dpdk is not None:
        yield _check_sdk(dpdk)
    yield from _check_tools()
    if dpdk is not None:
        yield from _check_eal(dpdk)
    yield _check_hugepages()
    if dpdk is not None:
        yield _check_plugin_dir(dpdk)


def _check_sdk(dpdk: Dpdk) -> Result:
    found = sdk.installed_sdk(dpdk) or sdk.cached_sdk(dpdk)
    if found is None:
        return Result("sdk headers", FAIL, f"no driver-SDK headers for DPDK {dpdk.version}", "run 'kit sdk'")
    return Result("sdk headers", PASS, str(found))


def _check_tools() -> Iterator[Result]:
    cc = c_compiler()
    yield (Result("c compiler", PASS, cc) if cc
           else Result("c compiler", FAIL, "no cc or gcc on PATH", "apt-get install build-essential"))
    for tool in ("meson", "ninja"):
        path = kit_tool(tool)
        yield (Result(tool, PASS, path) if path
               else Result(tool, FAIL, f"{tool} not found", "pip install -e . (it installs meson and ninja)"))
    for tool in ("dpdk-testpmd", "dpdk-test"):
        path = shutil.which(tool)
        yield (Result(tool, PASS, path) if path
               else Result(tool, FAIL, f"{tool} not found", "apt-get install dpdk-dev dpdk"))


def _check_eal(dpdk: Dpdk) -> Iterator[Result]:
    try:
        report = run_eal_probe(dpdk)
    except KitError as err:
        yield Result("eal start", FAIL, err.problem, err.fix)
        return
    yield Result("eal start", PASS, "EAL starts with --no-huge --no-pci in a child process")
    free = report.ops_max - len(report.ops_names)
    detail = f"{free} of {report.ops_max} mempool ops slots free after the default plugins load"
    if free <= 0:
        yield Result("mempool ops slots", FAIL, detail,
                     "remove unused mempool plugins from the EAL plugin directory, or load fewer with -d")
    else:
        yield Result("mempool ops slots", PASS, detail)


def _check_hugepages() -> Result:
    total = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("HugePages_Total:"):
                total = int(line.split()[1])
    except OSError:
        pass
    if total:
        return Result("hugepages", INFO, f"{total} hugepages reserved")
    return Result("hugepages", INFO, "none reserved: the kit runs EAL with --no-huge (fine for tests)")


def _check_plugin_dir(dpdk: Dpdk) -> Result:
    directory = dpdk.plugin_dir
    if directory is None:
        return Result("plugin directory", PASS, "DPDK built without a default plugin directory")
    if not directory.is_dir():
        return Result("plugin directory", FAIL, f"{directory} does not exist", INSTALL_FIX)
    unsafe = world_writable_component(directory)
    if unsafe is not None:
        return Result("plugin directory", FAIL, f"{unsafe} is world-writable: EAL will refuse its plugins",
                      f"chmod o-w {unsafe}")
    return Result("plugin directory", PASS, str(directory))


def run_doctor(emit: Callable[[str], None]) -> int:
    """Print one line per check; 0 only when every blocking check passed."""
    failed = 0
    for result in _all_checks():
        emit(result.line())
        failed += result.status == FAIL
    emit("all blocking checks passed" if not failed else f"{failed} blocking check(s) failed")
    return 0 if not failed else 1
