"""Small C programs compiled against the installed DPDK and cached per version and source.

A probe answers a question only the real EAL can answer (does it start here, how full is the
mempool ops table after the default plugins load) without needing the cffi harness.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from kit.build.cache import cached_file
from kit.build.dpdk import Dpdk
from kit.errors import KitError
from kit.paths import cache_root

PROBE_DIR = Path(__file__).with_name("probes")


def c_compiler() -> str | None:
    return os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")


def require_c_compiler() -> str:
    compiler = c_compiler()
    if compiler is None:
        raise KitError("no C compiler found", "apt-get install build-essential")
    return compiler


def build_probe(name: str, dpdk: Dpdk) -> Path:
    """Compile probes/<name>.c into an executable, once per DPDK version and source content."""
    source = PROBE_DIR / f"{name}.c"
    digest = hashlib.sha256(source.read_bytes() + " ".join(dpdk.cflags + dpdk.libs).encode()).hexdigest()[:12]
    target = cache_root() / "probes" / dpdk.version / digest / name

    def build(out: Path) -> None:
        proc = subprocess.run([require_c_compiler(), "-O1", str(source), "-o", str(out), *dpdk.cflags, *dpdk.libs],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise KitError(f"the {name} probe does not build against DPDK {dpdk.version}: "
                           f"{proc.stderr.strip()[:300]}", "check that libdpdk-dev is complete ('kit doctor')")

    return cached_file(target, build)
