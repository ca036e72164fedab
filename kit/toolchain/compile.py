"""The one way the kit compiles a C program or plugin of its own against the installed DPDK, cached by content.

Every C helper the kit builds goes through `compile_c`: the probes `kit doctor` runs (`probes/`), the benchmark
and reference programs, and the small plugins the conformance tests load (the mutants). The output is kept under
`cache_root()/c/<dpdk version>/<hash>/`, where the hash covers the sources, the flags and the libraries: a new DPDK
or an edited source builds anew. Never below /tmp: EAL refuses plugins with a world-writable ancestor.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from kit.errors import KitError
from kit.paths import cache_root
from kit.toolchain.cache import cached_file
from kit.toolchain.dpdk import Dpdk, find_dpdk

PROBE_DIR = Path(__file__).with_name("probes")
# ALLOW_EXPERIMENTAL_API: some ethdev/mempool calls the harness and the kit's programs use are still experimental
# in 22.11.
PROGRAM_CFLAGS = ("-O2", "-DALLOW_EXPERIMENTAL_API", "-Wno-deprecated-declarations")
PLUGIN_CFLAGS = ("-O2", "-g", "-Wall", "-Wextra", "-shared", "-fPIC")


def c_compiler() -> str | None:
    return os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")


def require_c_compiler() -> str:
    compiler = c_compiler()
    if compiler is None:
        raise KitError("no C compiler found", "apt-get install build-essential")
    return compiler


def compile_c(sources: Sequence[Path], output: str, *, cflags: Sequence[str] = (), libs: Sequence[str] = (),
              headers: Sequence[Path] = (), problem: str, fix: str, dpdk: Dpdk | None = None) -> Path:
    """Compile `sources` into the file `output` with `cflags` before DPDK's and `libs` before DPDK's libraries;
    reuse it while nothing changed (`headers`: the sources' own headers, part of the cache key, not compiled). A
    compiler failure raises KitError(problem with {errors} and {version} filled in, fix)."""
    dpdk = dpdk or find_dpdk()
    flags = [*cflags, *dpdk.cflags]
    all_libs = [*libs, *dpdk.libs]
    digest = hashlib.sha256()
    for src in [*sources, *headers]:
        digest.update(src.name.encode() + b"\0" + src.read_bytes() + b"\0")
    digest.update(" ".join([*flags, *all_libs]).encode())
    target = cache_root() / "c" / dpdk.version / digest.hexdigest()[:16] / output

    def build(out: Path) -> None:
        proc = subprocess.run([require_c_compiler(), *flags, *map(str, sources), "-o", str(out), *all_libs],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise KitError(problem.format(errors=proc.stderr.strip(), version=dpdk.version), fix)

    return cached_file(target, build)


def build_probe(name: str, dpdk: Dpdk) -> Path:
    """probes/<name>.c as an executable (a question only the real EAL answers, asked without the harness)."""
    return compile_c([PROBE_DIR / f"{name}.c"], name, cflags=["-O1"], dpdk=dpdk,
                     problem=f"the {name} probe does not build against DPDK {{version}}: {{errors}}",
                     fix="check that libdpdk-dev is complete ('kit doctor')")


def build_program(name: str, source: Path, *more: Path, headers: Sequence[Path] = ()) -> Path:
    """A standalone C program against libdpdk from `source` and `more` C files, with the harness extension's
    flags."""
    return compile_c([source, *more], name, cflags=PROGRAM_CFLAGS, headers=headers,
                     problem=f"could not compile {source.name}:\n{{errors}}", fix="check the C compiler")


def compile_plugin(sources: Sequence[Path], lib_name: str, defines: Sequence[str] = (), *,
                   cflags: Sequence[str] = (), libs: Sequence[str] = ()) -> Path:
    """lib<lib_name>.so from `sources` with -D`defines`, for small drivers that need no meson project.

    `cflags` go before DPDK's (e.g. "-I<driver SDK>", "-DALLOW_INTERNAL_API" for PMDs), `libs` before
    DPDK's libraries (e.g. "-lrte_bus_vdev")."""
    return compile_c(sources, f"lib{lib_name}.so", cflags=[*PLUGIN_CFLAGS, *(f"-D{d}" for d in defines), *cflags],
                     libs=libs, problem=f"building lib{lib_name}.so failed:\n{{errors}}",
                     fix="fix the compiler errors above")
