"""Sanitizer runtimes for `kit test DIR --sanitize LIST`: every process the kit starts to test a sanitized plugin
gets the runtime first in LD_PRELOAD (a plugin built with -fsanitize=address can only be loaded into a process
whose first library is libasan), options that make the first report fatal, and a folder the runtimes write their
reports to; afterwards the reports are read from that folder and from the processes' output.

The runtimes are the compiler's own (`cc -print-file-name=libasan.so`): the ones the plugin was linked against.
Python itself runs under the runtime, so leak detection is off (the interpreter does not free everything at exit).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from kit.errors import KitError

RUNTIMES = {"address": "libasan.so", "undefined": "libubsan.so", "thread": "libtsan.so", "leak": "liblsan.so",
            "memory": "libmsan.so"}
# What a sanitizer report starts with (ASan, LSan, TSan, MSan; UBSan's "file:line:col: runtime error: ...").
REPORT_RE = re.compile(r"ERROR: (AddressSanitizer|LeakSanitizer|MemorySanitizer)|WARNING: ThreadSanitizer|"
                       r"runtime error:")
LOG_NAME = "sanitizer"  # the runtimes write LOG_DIR/sanitizer.<pid>


def compiler() -> str:
    """The C compiler meson uses by default: $CC, else cc."""
    return os.environ.get("CC", "").split(" ")[0] or "cc"


def runtime_libraries(sanitizers: Sequence[str], cc: str | None = None) -> list[str]:
    """The compiler's runtime libraries for `sanitizers`, in the order they must be preloaded (ASan first)."""
    cc = cc or compiler()
    if shutil.which(cc) is None:
        raise KitError(f"no C compiler {cc!r} to ask for the sanitizer runtimes", "install gcc ('kit doctor')")
    found = []
    for name in sorted(sanitizers, key=lambda s: s != "address"):
        lib = subprocess.run([cc, f"-print-file-name={RUNTIMES[name]}"], capture_output=True, text=True,
                             check=False).stdout.strip()
        if not os.path.isabs(lib) or not os.path.isfile(lib):
            raise KitError(f"{cc} has no {RUNTIMES[name]} (the {name} sanitizer's runtime)",
                           "install the compiler's sanitizer runtimes (Debian: gcc, which depends on libasan8 and "
                           f"libubsan1), or drop {name} from --sanitize")
        found.append(lib)
    return found


def _options(existing: str, ours: Mapping[str, str]) -> str:
    """The caller's options, then ours (the runtimes take the last value of an option)."""
    return ":".join([existing.strip(":"), *(f"{k}={v}" for k, v in ours.items())]).strip(":")


def preload_after(base: Mapping[str, str], libraries: Iterable[str]) -> dict[str, str]:
    """`base` with `libraries` preloaded after what it already preloads: a sanitizer runtime that `kit test
    --sanitize` put there must stay first (ASan refuses to start otherwise)."""
    env = dict(base)
    env["LD_PRELOAD"] = " ".join([*env.get("LD_PRELOAD", "").split(), *map(str, libraries)])
    return env


def sanitizer_env(base: Mapping[str, str], sanitizers: Sequence[str], log_dir: Path,
                  libraries: Sequence[str]) -> dict[str, str]:
    """`base` with the runtimes preloaded (before any LD_PRELOAD of the caller) and every report fatal and written
    to `log_dir` as well (reports of processes whose output someone else captures are found there)."""
    env = dict(base)
    env["LD_PRELOAD"] = " ".join([*libraries, *env.get("LD_PRELOAD", "").split()])
    log = str(Path(log_dir) / LOG_NAME)
    common = {"halt_on_error": "1", "log_path": log}
    env["ASAN_OPTIONS"] = _options(env.get("ASAN_OPTIONS", ""), {**common, "detect_leaks": "0", "abort_on_error": "0"})
    env["UBSAN_OPTIONS"] = _options(env.get("UBSAN_OPTIONS", ""), {**common, "print_stacktrace": "1"})
    env["TSAN_OPTIONS"] = _options(env.get("TSAN_OPTIONS", ""), common)
    env["PYTHONUNBUFFERED"] = "1"  # the kit reads the output as it comes
    return env


def reports(log_dir: Path, outputs: Iterable[str] = ()) -> list[str]:
    """Every sanitizer report: the files the runtimes wrote into `log_dir`, then report lines found in `outputs`
    (the processes' output as the kit saw it)."""
    found = []
    for path in sorted(Path(log_dir).glob(f"{LOG_NAME}*")):
        text = path.read_text(errors="replace").strip()
        if text:
            found.append(text)
    for output in outputs:
        lines = output.splitlines()
        for i, line in enumerate(lines):
            match = REPORT_RE.search(line)
            if match is None:
                continue
            # The report starts at its "==PID==ERROR" or "FILE:LINE:COL: runtime error" word (pytest's progress may
            # precede it on the line).
            before = match.start() - 1 if match.group(0) == "runtime error:" else match.start()
            first = line[line.rfind(" ", 0, max(before, 0)) + 1:]
            if not any(first.strip() in report for report in found):
                found.append("\n".join([first, *lines[i + 1:i + 12]]).strip())
    return found


def first_lines(report: str, n: int = 6) -> str:
    """The head of a report: what went wrong and the innermost frames."""
    keep = [ln.rstrip() for ln in report.splitlines() if ln.strip() and not set(ln.strip()) <= {"="}]
    return "\n".join(keep[:n])
