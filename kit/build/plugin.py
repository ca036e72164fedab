"""Compile C sources into a DPDK plugin (shared object) with the plain compiler, cached by content.

Used for small drivers that need no meson project (the mutants the conformance suites must catch).
Outputs go under the kit's cache, never below /tmp: EAL refuses plugins with a world-writable ancestor.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Sequence
from pathlib import Path

from kit.build.cache import cached_file
from kit.build.dpdk import find_dpdk
from kit.build.probe import require_c_compiler
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

    def build(out: Path) -> None:
        proc = subprocess.run([require_c_compiler(), *cflags, *map(str, sources), "-o", str(out), *all_libs],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise KitError(f"building lib{lib_name}.so failed:\n{proc.stderr.strip()}",
                           "fix the compiler errors above")

    return cached_file(target, build)
