"""Compile C sources into a DPDK plugin (shared object) with the plain compiler, cached by content.

Used for small drivers that need no meson project (the mutants the conformance suites must catch).
Outputs go under the kit's cache, never below /tmp: EAL refuses plugins with a world-writable ancestor.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from kit.build.dpdk import find_dpdk
from kit.build.probe import c_compiler
from kit.errors import KitError
from kit.paths import cache_root


def compile_plugin(sources: Sequence[Path], lib_name: str, defines: Sequence[str] = (), *,
                   cflags: Sequence[str] = (), libs: Sequence[str] = ()) -> Path:
    """Build lib<lib_name>.so from `sources` with -D`defines`; reuse it while nothing changed.

    `cflags` go before DPDK's (e.g. "-I<driver SDK>", "-DALLOW_INTERNAL_API" for PMDs), `libs` before
    DPDK's libraries (e.g. "-lrte_bus_vdev")."""
    dpdk = find_dpdk()
    all_libs = [*libs, *dpdk.libs]
    cflags = ["-O2", "-g", "-Wall", "-Wextra", "-shared", "-fPIC", *(f"-D{d}" for d in defines), *cflags,
              *dpdk.cflags]
    digest = hashlib.sha256()
    for src in sources:
        digest.update(src.read_bytes())
    digest.update(" ".join([*cflags, *all_libs]).encode())
    target = cache_root() / "plugins" / dpdk.version / digest.hexdigest()[:16] / f"lib{lib_name}.so"
    if target.is_file():
        return target
    compiler = c_compiler()
    if compiler is None:
        raise KitError("no C compiler found", "apt-get install build-essential")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".lib{lib_name}-", suffix=".so", dir=target.parent)
    os.close(fd)
    proc = subprocess.run([compiler, *cflags, *map(str, sources), "-o", tmp, *all_libs],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        os.unlink(tmp)
        raise KitError(f"building lib{lib_name}.so failed:\n{proc.stderr.strip()}", "fix the compiler errors above")
    os.replace(tmp, target)
    return target
