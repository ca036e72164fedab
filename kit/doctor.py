"""`kit doctor`: is this machine ready to build, load and test DPDK drivers?

Each check yields one Result; blocking checks decide the exit status, informational ones
(hugepages) only explain. Checks never raise: a failure is a line with its fix, which names the
Debian package (or the pip command) that provides the missing piece.

Every external piece is proven by using it, not by finding it on PATH: the C compiler compiles and
links a program, meson and ninja report their versions, dpdk-testpmd and dpdk-test print their usage
(their shared libraries load), dpdk-pmdinfo.py reads the PMD info of Debian's net_null plugin (with
the Python its shebang names), a cffi extension is compiled against libdpdk and imported the way the
harness does it, valgrind runs `true`, and the EAL starts.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kit.errors import KitError
from kit.paths import kit_tool
from kit.runtime import base_eal_args, remove_runtime_dir, unique_file_prefix, world_writable_component
from kit.toolchain import sdk
from kit.toolchain.compile import build_probe, c_compiler
from kit.toolchain.dpdk import INSTALL_FIX, SUPPORTED_BRANCHES, Dpdk, find_dpdk

PASS, FAIL, INFO, WARN = "ok", "FAIL", "info", "warn"
EAL_TIMEOUT_S = 60
TOOL_TIMEOUT_S = 30  # a --version, --help or `valgrind true`
BUILD_TIMEOUT_S = 120  # compiling the cffi extension
BUILD_ESSENTIAL = "apt-get install build-essential"
PMDINFO_SAMPLE = "net_null"  # Debian's plugin librte_net_null.so carries its PMD info


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
        branch = sdk.branch_of(dpdk.version)
        if branch in SUPPORTED_BRANCHES:
            yield Result("dpdk", PASS, f"DPDK {dpdk.version} (pkg-config libdpdk; LTS branch {branch})")
        else:
            yield Result("dpdk", WARN, f"DPDK {dpdk.version} (pkg-config libdpdk): the kit is tested on the LTS "
                         f"branches {', '.join(SUPPORTED_BRANCHES)} only")
    if dpdk is not None:
        yield _check_sdk(dpdk)
    yield from _check_tools()
    if dpdk is not None:
        yield _check_pmdinfo(dpdk)
        yield _check_cffi(dpdk)
    yield _check_valgrind()
    if dpdk is not None:
        yield from _check_eal(dpdk)
    yield _check_hugepages()
    if dpdk is not None:
        yield _check_plugin_dir(dpdk)


def _check_sdk(dpdk: Dpdk) -> Result:
    installed = sdk.installed_sdk(dpdk)
    if installed is not None:
        return Result("sdk headers", PASS, f"{installed} (installed with DPDK {dpdk.version})")
    found = sdk.cached_sdk(dpdk)
    if found is None:
        return Result("sdk headers", FAIL, f"no driver-SDK headers for DPDK {dpdk.version}",
                      f"run 'kit sdk' (or 'kit sdk --dpdk-src DIR' with a DPDK {sdk.branch_of(dpdk.version)} "
                      "source tree)")
    origin, warning = sdk.cached_origin(found)
    if warning:
        return Result("sdk headers", WARN, f"{found}: {warning}")
    return Result("sdk headers", PASS, f"{found} (DPDK {dpdk.version}, from {origin})")


@dataclass(frozen=True)
class Ran:
    returncode: int  # 127: the program could not start; -1: it timed out
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return f"{self.stdout}\n{self.stderr}".strip()


def _run(cmd: Sequence[str], timeout: float = TOOL_TIMEOUT_S, cwd: str | None = None) -> Ran:
    """Run a program with no stdin; never raises."""
    try:
        proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout, check=False,
                              stdin=subprocess.DEVNULL, cwd=cwd)
    except subprocess.TimeoutExpired:
        return Ran(-1, "", f"{Path(cmd[0]).name} did not finish within {timeout:.0f} s")
    except OSError as exc:
        return Ran(127, "", f"{cmd[0]}: {exc.strerror or exc}")
    return Ran(proc.returncode, proc.stdout, proc.stderr)


def _error_line(output: str) -> str:
    """The line that says what went wrong: the compiler's first error, else the last line (a traceback's)."""
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    if not lines:
        return "no output"
    line = next((ln for ln in lines if "error:" in ln), lines[-1])
    return line if len(line) <= 200 else line[:197] + "..."


def _check_compiler() -> Result:
    cc = c_compiler()
    if cc is None:
        return Result("c compiler", FAIL, "no C compiler: neither $CC nor cc nor gcc on PATH", BUILD_ESSENTIAL)
    with tempfile.TemporaryDirectory(prefix="kit-doctor-") as tmp:
        source, program = Path(tmp) / "hello.c", Path(tmp) / "hello"
        source.write_text('#include <stdio.h>\nint main(void) { puts("kit-doctor"); return 0; }\n')
        ran = _run([cc, str(source), "-o", str(program)])
        if ran.returncode == 0:
            ran = _run([str(program)])
            if ran.returncode == 0 and ran.stdout.strip() != "kit-doctor":
                ran = Ran(1, "", f"the program it built printed {ran.output[:80]!r}")
    if ran.returncode != 0:
        return Result("c compiler", FAIL, f"{cc} cannot compile and run a C program: {_error_line(ran.output)}",
                      BUILD_ESSENTIAL)
    return Result("c compiler", PASS, f"{cc} (compiles, links and runs a C program)")


def _check_tools() -> Iterator[Result]:
    yield _check_compiler()
    for tool in ("meson", "ninja"):
        fix = "pip install -e . (it installs meson and ninja)"
        path = kit_tool(tool)
        if path is None:
            yield Result(tool, FAIL, f"{tool} not found", fix)
            continue
        ran = _run([path, "--version"])
        version = ran.stdout.split()[0] if ran.stdout.split() else "?"
        yield (Result(tool, PASS, f"{path} {version}") if ran.returncode == 0
               else Result(tool, FAIL, f"{path} --version fails: {_error_line(ran.output)}", fix))
    for tool in ("dpdk-testpmd", "dpdk-test"):
        fix = "apt-get install dpdk-dev"
        path = shutil.which(tool)
        if path is None:
            yield Result(tool, FAIL, f"{tool} not found on PATH", fix)
            continue
        ran = _run([path, "--help"])  # EAL prints its usage and exits: no runtime files, no plugins
        # "Usage:" until DPDK 25.11, whose EAL argument parser prints "usage:"
        yield (Result(tool, PASS, f"{path} (--help runs)") if ran.returncode == 0 and "usage:" in ran.output.lower()
               else Result(tool, FAIL, f"{path} --help fails: {_error_line(ran.output)}", fix))


def _interpreter(script: Path) -> str | None:
    """The program a script's shebang names (`#!/usr/bin/env python3`: python3 from PATH)."""
    try:
        with open(script, "rb") as handle:
            first = handle.readline(256).decode("utf-8", errors="replace")
    except OSError:
        return None
    words = first[2:].split() if first.startswith("#!") else []
    if not words:
        return None
    if Path(words[0]).name == "env":
        name = next((w for w in words[1:] if not w.startswith("-")), None)
        return (shutil.which(name) or name) if name else None
    return words[0]


def elftools_fix(interpreter: str | None) -> str:
    """How to give dpdk-pmdinfo.py's Python the elftools module."""
    if interpreter is None or interpreter.startswith("/usr/bin/"):
        return "apt-get install python3-pyelftools"
    return f"{interpreter} -m pip install pyelftools (Debian's python3: apt-get install python3-pyelftools)"


def _pmdinfo_sample(dpdk: Dpdk) -> Path | None:
    """Debian's net_null plugin: librte_net_null.so (libdpdk-dev's link), else the versioned file itself."""
    if dpdk.plugin_dir is None or not dpdk.plugin_dir.is_dir():
        return None
    stem = f"librte_{PMDINFO_SAMPLE}.so"
    return next((p for p in [dpdk.plugin_dir / stem, *sorted(dpdk.plugin_dir.glob(f"{stem}.*"))] if p.is_file()),
                None)


def _check_pmdinfo(dpdk: Dpdk) -> Result:
    name = "dpdk-pmdinfo.py"
    tool = shutil.which(name)
    if tool is None:
        return Result(name, FAIL, f"{name} not found on PATH", "apt-get install dpdk")
    plugin = _pmdinfo_sample(dpdk)
    if plugin is None:
        return Result(name, FAIL, f"no librte_{PMDINFO_SAMPLE}.so in DPDK's plugin directory ({dpdk.plugin_dir}) "
                      "to read", INSTALL_FIX)
    interpreter = _interpreter(Path(tool))
    ran = _run([tool, str(plugin)])
    if ran.returncode != 0:
        if re.search(r"No module named '?elftools", ran.stderr):
            return Result(name, FAIL, f"{tool} cannot import elftools (its Python: {interpreter or '?'})",
                          elftools_fix(interpreter))
        return Result(name, FAIL, f"{tool} {plugin.name} fails: {_error_line(ran.output)}",
                      f"apt-get install --reinstall dpdk; {elftools_fix(interpreter)}")
    try:
        names = [entry.get("name") for entry in json.loads(ran.stdout)]
    except (ValueError, TypeError, AttributeError):
        names = []
    if PMDINFO_SAMPLE not in names:
        return Result(name, FAIL, f"{tool} finds no {PMDINFO_SAMPLE} PMD info in {plugin}: "
                      f"{_error_line(ran.output)}", "apt-get install --reinstall dpdk")
    return Result(name, PASS, f"{tool} reads {PMDINFO_SAMPLE}'s PMD info from {plugin.name}")


# Run by the kit's own Python in a child process (so the compiler's output is captured): an API-mode
# cffi extension against libdpdk, as the harness builds its own, then imported and called.
_CFFI_PROBE = """
import importlib.util, json, sys
import cffi
tmp, cflags, libs = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
ffi = cffi.FFI()
ffi.cdef("const char *rte_version(void);")
ffi.set_source("_kit_doctor_probe", "#include <rte_version.h>", extra_compile_args=cflags, extra_link_args=libs)
spec = importlib.util.spec_from_file_location("_kit_doctor_probe", ffi.compile(tmpdir=tmp, verbose=False))
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print("rte_version", module.ffi.string(module.lib.rte_version()).decode())
"""


def python_dev_fix() -> str:
    """How to get the C headers (Python.h, pyconfig.h) of the Python the kit runs on."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    if sys.base_prefix == "/usr":
        default = Path("/usr/bin/python3").resolve().name == f"python{version}"
        return f"apt-get install {'python3-dev' if default else f'python{version}-dev'}"
    return (f"install the C headers of the Python the kit runs on ({sys.base_prefix}), or make .venv from "
            "Debian's python3 with 'apt-get install python3-dev'")


def _cffi_fix(output: str) -> str:
    if re.search(r"No module named '?cffi", output):
        return "pip install -e . (cffi is a dependency of the kit)"
    if re.search(r"requires (setuptools|distutils)|No module named '?(setuptools|distutils)", output):
        return f"{sys.executable} -m pip install setuptools (cffi compiles with it on Python >= 3.12)"
    if re.search(r"(Python|pyconfig)\.h: No such file", output):
        return python_dev_fix()
    if re.search(r"rte_\w+\.h: No such file|cannot find -lrte", output):
        return INSTALL_FIX
    if re.search(r"No such file or directory: '[^']*(cc|gcc)'|\.h: No such file", output):
        return BUILD_ESSENTIAL
    return f"{BUILD_ESSENTIAL} python3-dev libdpdk-dev, then run the failing step by hand"


def _check_cffi(dpdk: Dpdk) -> Result:
    name = "cffi extension"
    with tempfile.TemporaryDirectory(prefix="kit-doctor-cffi-") as tmp:
        ran = _run([sys.executable, "-c", _CFFI_PROBE, tmp, json.dumps(dpdk.cflags), json.dumps(dpdk.libs)],
                   timeout=BUILD_TIMEOUT_S, cwd=tmp)
    found = re.search(r"^rte_version (.+)$", ran.stdout, re.M)
    if ran.returncode != 0 or found is None:
        return Result(name, FAIL, f"{sys.executable} cannot build and import a cffi extension against libdpdk: "
                      f"{_error_line(ran.output)}", _cffi_fix(ran.output))
    return Result(name, PASS, f"{sys.executable} builds and imports one against libdpdk "
                  f"(rte_version(): {found.group(1)})")


def _check_valgrind() -> Result:
    path = shutil.which("valgrind")
    if path is None:
        return Result("valgrind", FAIL, "valgrind not found on PATH (kit bench counts instructions with callgrind)",
                      "apt-get install valgrind")
    ran = _run([path, "-q", "--error-exitcode=99", "true"])
    if ran.returncode != 0:
        needs_libc_symbols = "libc6-dbg" in ran.output or "mandatory" in ran.output
        fix = ("apt-get install libc6-dbg" if needs_libc_symbols
               else "apt-get install valgrind (a working one: 'valgrind true' must run)")
        return Result("valgrind", FAIL, f"{path} cannot run true: {_error_line(ran.output)}", fix)
    version = _run([path, "--version"]).stdout.strip().removeprefix("valgrind-")
    return Result("valgrind", PASS, f"{path} {version} (runs true)")


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
