"""Build and load the harness's cffi extension (API mode), cached per DPDK version and source hash.

(Standalone C programs are compiled by kit.toolchain.compile; this is the one cffi build.)

The extension is compiled against `pkg-config libdpdk` on first use and kept under
`cache_root()/harness/<dpdk version>/<hash>/`, where the hash covers the C sources, the cdef, the
compiler flags and the Python ABI: a new DPDK or an edited source builds a new directory. Builds go
to a temporary directory next to the final one and are renamed into place, so parallel first uses
(pytest workers, run_in_child children) never see a half-written extension.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.machinery
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

from kit.errors import KitError
from kit.paths import cache_root
from kit.toolchain.cache import cached_dir
from kit.toolchain.compile import PROGRAM_CFLAGS
from kit.toolchain.dpdk import find_dpdk

CSRC = Path(__file__).parent / "csrc"
MODULE_NAME = "_kit_harness"
EXTRA_CFLAGS = PROGRAM_CFLAGS
SOURCES = ("harness.c", "loops.c", "accounting.c", "ethdev_queues.c", "mempool_stress.c", "offloads.c",
           "ethdev_lcore.c", "ethdev_intr.c")
CDEF_FILES = ("cdef_dpdk.h", "harness.h", "accounting.h", "ethdev_queues.h", "mempool_stress.h",
              "cdef_offloads.h", "offloads.h", "ethdev_lcore.h", "ethdev_intr.h")


# A cdef line ending with this comment names a member the installed headers have only before that release.
UNTIL_MARK = re.compile(r"/\* until (\d+)\.(\d+) \*/\s*$")


def _cdef_text() -> str:
    """The cdef files, without the lines marked "until YY.MM" when the installed DPDK is that release or later
    (cffi's cdef has no #if: the cdef must follow the installed headers)."""
    dpdk = find_dpdk()
    kept = []
    for line in "\n".join((CSRC / name).read_text() for name in CDEF_FILES).splitlines():
        until = UNTIL_MARK.search(line)
        if until is None or not dpdk.at_least(int(until.group(1)), int(until.group(2))):
            kept.append(line)
    return "\n".join(kept) + "\n"


def _source_hash(files: list[Path], *extra: str) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    for e in extra:
        h.update(e.encode() + b"\0")
    return h.hexdigest()[:16]


def _build_extension(out: Path) -> None:
    import cffi  # deferred: only a first build needs the compiler side of cffi

    dpdk = find_dpdk()
    ffibuilder = cffi.FFI()
    ffibuilder.cdef(_cdef_text())
    ffibuilder.set_source(
        MODULE_NAME,
        '#include "dpdk_includes.h"\n#include "harness.h"\n#include "accounting.h"\n#include "ethdev_queues.h"\n'
        '#include "mempool_stress.h"\n#include "offloads.h"\n#include "ethdev_lcore.h"\n#include "ethdev_intr.h"\n',
        sources=[str(CSRC / name) for name in SOURCES],
        include_dirs=[str(CSRC)],
        extra_compile_args=[*dpdk.cflags, *EXTRA_CFLAGS],
        extra_link_args=list(dpdk.libs),
    )
    try:
        ffibuilder.compile(tmpdir=str(out), verbose=False)
    except Exception as exc:  # cffi raises VerificationError / distutils errors with the compiler output
        raise KitError(
            f"could not compile the harness extension against DPDK {dpdk.version}: {exc}",
            "check that a C compiler and libdpdk-dev are installed ('kit doctor')",
        ) from exc


@functools.cache
def load_extension() -> ModuleType:
    """Import the compiled extension (building it first if needed); returns the module with .ffi and .lib."""
    dpdk = find_dpdk()
    files = sorted(CSRC.glob("*.[ch]"))
    key = _source_hash(files, _cdef_text(), *SOURCES, *dpdk.cflags, *dpdk.libs, *EXTRA_CFLAGS,
                       sys.implementation.cache_tag)
    directory = cached_dir(cache_root() / "harness" / dpdk.version / f"ext-{key}", _build_extension)
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    for so in sorted(directory.glob(f"{MODULE_NAME}*")):
        if any(so.name.endswith(s) for s in suffixes):
            spec = importlib.util.spec_from_file_location(MODULE_NAME, so)
            if spec is None or spec.loader is None:
                break
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    raise KitError(f"the harness cache {directory} holds no loadable extension", f"remove {directory} and retry")

