"""The installed DPDK as pkg-config describes it.

All later steps (SDK headers, probes, the harness, driver builds) compile against exactly this
DPDK, so its version and flags are read in one place.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from kit.errors import KitError

PACKAGE = "libdpdk"
# The LTS branches the kit, its suites and its templates are tested on (docs/versions.md).
SUPPORTED_BRANCHES: tuple[str, ...] = ("22.11", "24.11", "25.11")
INSTALL_FIX = "run 'sudo bash ci/setup.sh' (or 'apt-get install libdpdk-dev dpdk-dev')"
# Where a DPDK installed without its pkg-config file (or with it off the search path) leaves headers.
HEADER_SEARCH: tuple[Path, ...] = (
    Path("/usr/include/dpdk"),
    Path("/usr/local/include/dpdk"),
    Path("/usr/local/include"),
)


@dataclass(frozen=True)
class Dpdk:
    version: str  # e.g. "22.11.11"
    cflags: tuple[str, ...]
    libs: tuple[str, ...]
    include_dirs: tuple[Path, ...]
    plugin_dir: Path | None  # RTE_EAL_PMD_PATH: where EAL loads its default plugins from

    @property
    def series(self) -> str:
        """The LTS series, "22.11" for "22.11.11": what SDK headers must match at the least."""
        return ".".join(self.version.split(".")[:2])

    def at_least(self, year: int, month: int) -> bool:
        """Whether this DPDK is release YEAR.MONTH or later (release candidates of it included)."""
        major, minor = self.series.split("-")[0].split(".")  # "25.11" (or "25.11-rc1")
        return (int(major), int(minor)) >= (year, month)


def _pkg_config(*args: str) -> str:
    exe = shutil.which("pkg-config")
    if exe is None:
        raise KitError("pkg-config is not installed", INSTALL_FIX.replace("libdpdk-dev", "pkg-config libdpdk-dev"))
    proc = subprocess.run([exe, *args, PACKAGE], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        headers = next((d for d in HEADER_SEARCH if (d / "rte_version.h").is_file()), None)
        if headers is not None:
            raise KitError(
                f"DPDK headers are installed ({headers}) but pkg-config finds no {PACKAGE}.pc",
                "add the directory holding libdpdk.pc to PKG_CONFIG_PATH "
                "(e.g. /usr/local/lib/x86_64-linux-gnu/pkgconfig), or reinstall libdpdk-dev",
            )
        raise KitError(f"DPDK not found: pkg-config has no '{PACKAGE}' and no DPDK headers are installed", INSTALL_FIX)
    return proc.stdout.strip()


def _plugin_dir(include_dirs: tuple[Path, ...]) -> Path | None:
    for inc in include_dirs:
        cfg = inc / "rte_build_config.h"
        if cfg.is_file():
            m = re.search(r'#define\s+RTE_EAL_PMD_PATH\s+"([^"]*)"', cfg.read_text(errors="replace"))
            if m:
                return Path(m.group(1)) if m.group(1) else None
    return None


@functools.cache
def find_dpdk() -> Dpdk:
    """Describe the installed DPDK, or raise KitError with the fix."""
    version = _pkg_config("--modversion")
    if not re.fullmatch(r"\d+\.\d+(\.\d+)?(-rc\d+)?", version):
        raise KitError(f"pkg-config reports an unreadable DPDK version {version!r}", INSTALL_FIX)
    cflags = tuple(_pkg_config("--cflags").split())
    libs = tuple(_pkg_config("--libs").split())
    include_dirs = tuple(Path(f[2:]) for f in cflags if f.startswith("-I"))
    return Dpdk(version, cflags, libs, include_dirs, _plugin_dir(include_dirs))
