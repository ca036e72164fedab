"""meson + ninja against the installed DPDK, out of source.

Compiler errors are shown as the compiler printed them (meson/ninja output passes through), and a
failure raises KitError naming the step.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from kit.errors import KitError


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else name


def build_project(source: Path, build_dir: Path, *, options: Sequence[str] = (), quiet: bool = False) -> Path:
    """Configure (once) and build the meson project at `source` into `build_dir`; returns build_dir."""
    if not (source / "meson.build").is_file():
        raise KitError(f"{source} has no meson.build", "point at a driver project directory")
    output = subprocess.PIPE if quiet else None
    if not (build_dir / "build.ninja").is_file():
        cmd = [_tool("meson"), "setup", str(build_dir), str(source), *options]
        proc = subprocess.run(cmd, stdout=output, stderr=subprocess.STDOUT if quiet else None, text=True, check=False)
        if proc.returncode != 0:
            raise KitError(f"meson setup of {source} failed:\n{proc.stdout or ''}".rstrip(),
                           "fix the errors meson printed above")
    proc = subprocess.run([_tool("ninja"), "-C", str(build_dir)], stdout=output,
                          stderr=subprocess.STDOUT if quiet else None, text=True, check=False)
    if proc.returncode != 0:
        raise KitError(f"building {source} failed:\n{proc.stdout or ''}".rstrip(), "fix the compiler errors above")
    return build_dir
