"""The driver-SDK headers that distributions leave out, for the exact installed DPDK version.

PMDs include ethdev_driver.h and friends, which `meson install` of DPDK only ships with
-Denable_driver_sdk=true; Debian does not. We take them, in order, from an installed SDK, a source
tree the user names, or the distribution's source package of the very version installed, cache
them per version and prove them by compiling a probe that includes all seven.

A source tree of the same LTS branch at another point (24.11.0 for an installed 24.11.8) is accepted with a warning
when its headers compile against the installed ones: within a branch the driver interface does not change. Another
branch is refused: its headers describe another ABI.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kit.errors import KitError
from kit.paths import cache_root
from kit.toolchain.compile import require_c_compiler
from kit.toolchain.dpdk import Dpdk
from kit.toolchain.source_package import SRC_FIX, upstream_tarball

# Header name -> where it lives in a DPDK 22.11 source tree.
HEADERS: dict[str, str] = {
    "ethdev_driver.h": "lib/ethdev/ethdev_driver.h",
    "ethdev_pci.h": "lib/ethdev/ethdev_pci.h",
    "ethdev_vdev.h": "lib/ethdev/ethdev_vdev.h",
    "bus_pci_driver.h": "drivers/bus/pci/bus_pci_driver.h",
    "bus_vdev_driver.h": "drivers/bus/vdev/bus_vdev_driver.h",
    "bus_driver.h": "lib/eal/include/bus_driver.h",
    "dev_driver.h": "lib/eal/include/dev_driver.h",
}

PROOF_STAMP = ".proven"


@dataclass(frozen=True)
class Sdk:
    include_dir: Path
    origin: str  # "installed", "cache", "source tree DIR", "source package dpdk=VERSION"
    downloaded: bool
    warning: str = ""  # set when the headers come from another point of the installed DPDK's LTS branch


def sdk_cache_dir(version: str) -> Path:
    return cache_root() / "sdk" / version / "include"


def _has_all(directory: Path) -> bool:
    return all((directory / name).is_file() for name in HEADERS)


def _prove(include_dir: Path, dpdk: Dpdk) -> None:
    """Compile a probe that includes every SDK header, as a PMD would (-DALLOW_INTERNAL_API)."""
    compiler = require_c_compiler()
    source = "".join(f"#include <{name}>\n" for name in HEADERS) + "int kit_sdk_probe;\n"
    with tempfile.TemporaryDirectory(prefix="kit-sdk-probe-") as tmp:
        probe = Path(tmp) / "probe.c"
        probe.write_text(source)
        cmd = [compiler, "-DALLOW_INTERNAL_API", f"-I{include_dir}", *dpdk.cflags, "-c", str(probe),
               "-o", str(Path(tmp) / "probe.o")]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        first = next((ln for ln in proc.stderr.splitlines() if "error" in ln), proc.stderr.strip()[:200])
        raise KitError(
            f"the SDK headers in {include_dir} do not compile against DPDK {dpdk.version}: {first}",
            "remove that directory and run 'kit sdk' again, or " + SRC_FIX.format(version=dpdk.version),
        )


def source_tree_version(src: Path) -> str:
    version_file = src / "VERSION"
    if not version_file.is_file():
        raise KitError(f"{src} is not a DPDK source tree (no VERSION file)",
                       "point --dpdk-src at the top of a DPDK tree")
    return version_file.read_text().strip()


def branch_of(version: str) -> str:
    """The LTS branch of a DPDK version: "24.11" for "24.11.8", "24.11.0-rc2" or "24.11"."""
    return ".".join(version.split("-")[0].split(".")[:2])


def _check_version(found: str, installed: str, where: str) -> str:
    """Refuse headers of another branch; for another point of the same branch return the warning to give (they
    are accepted only once they compile against the installed DPDK: ensure_sdk proves them)."""
    if found == installed:
        return ""
    if branch_of(found) != branch_of(installed):
        raise KitError(
            f"{where} is DPDK {found}, another branch than the installed DPDK {installed} "
            f"({branch_of(found)} vs {branch_of(installed)}): driver-SDK headers must come from the same LTS branch",
            SRC_FIX.format(version=installed),
        )
    return (f"{where} is DPDK {found}, the installed DPDK is {installed}: the same {branch_of(installed)} LTS branch "
            "at another point, accepted because its headers compile against the installed ones")


def _store(version: str, files: dict[str, bytes]) -> Path:
    """Write the headers into the cache atomically: a half-written cache directory never exists."""
    final = sdk_cache_dir(version)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=final.parent))
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        shutil.rmtree(final, ignore_errors=True)
        staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final


def _from_source_tree(src: Path, dpdk: Dpdk) -> tuple[dict[str, bytes], str]:
    """The seven headers of a release tree or a git checkout, and the warning to give (another point)."""
    warning = _check_version(source_tree_version(src), dpdk.version, f"source tree {src}")
    files: dict[str, bytes] = {}
    for name, rel in HEADERS.items():
        path = src / rel
        if not path.is_file():
            raise KitError(f"{src} lacks {rel}", "point --dpdk-src at a complete DPDK source tree")
        files[name] = path.read_bytes()
    return files, warning


def _from_source_package(dpdk: Dpdk) -> tuple[dict[str, bytes], str]:
    with tempfile.TemporaryDirectory(prefix="kit-sdk-src-") as tmp:
        tarball, pkg = upstream_tarball(dpdk, Path(tmp))
        files, _ = _headers_from_tarball(tarball, dpdk)
        return files, pkg


def _headers_from_tarball(tarball: Path, dpdk: Dpdk) -> tuple[dict[str, bytes], str]:
    wanted = {rel: name for name, rel in HEADERS.items()} | {"VERSION": "VERSION"}
    found: dict[str, bytes] = {}
    with tarfile.open(tarball) as tar:
        for member in tar:
            # Members are "<topdir>/<path>"; only the path below the top directory matters.
            rel = member.name.split("/", 1)[1] if "/" in member.name else ""
            if rel in wanted and member.isfile():
                handle = tar.extractfile(member)
                if handle is not None:
                    found[wanted[rel]] = handle.read()
    version = found.pop("VERSION", b"").decode().strip()
    warning = _check_version(version, dpdk.version, f"source package {tarball.name}")
    missing = sorted(set(HEADERS) - set(found))
    if missing:
        raise KitError(f"{tarball.name} lacks {', '.join(missing)}", SRC_FIX.format(version=dpdk.version))
    return found, warning


def installed_sdk(dpdk: Dpdk) -> Path | None:
    return next((d for d in dpdk.include_dirs if _has_all(d)), None)


def cached_sdk(dpdk: Dpdk) -> Path | None:
    cached = sdk_cache_dir(dpdk.version)
    return cached if _has_all(cached) and (cached / PROOF_STAMP).is_file() else None


def cached_origin(include_dir: Path) -> tuple[str, str]:
    """Where a cached SDK came from and the warning given then ("" for an exact match), from its proof stamp."""
    lines = (include_dir / PROOF_STAMP).read_text().splitlines() if (include_dir / PROOF_STAMP).is_file() else []
    origin = lines[1] if len(lines) > 1 else "unknown origin"
    warning = next((ln.removeprefix("warning: ") for ln in lines[2:] if ln.startswith("warning: ")), "")
    return origin, warning


def ensure_sdk(dpdk: Dpdk, dpdk_src: Path | None = None) -> Sdk:
    """Find or provide the SDK headers for `dpdk`, proven to compile; never downloads when cached."""
    if dpdk_src is None:
        installed = installed_sdk(dpdk)
        if installed is not None:
            _prove(installed, dpdk)
            return Sdk(installed, "installed", downloaded=False)
        cached = cached_sdk(dpdk)
        if cached is not None:
            origin, warning = cached_origin(cached)
            return Sdk(cached, f"cache, from {origin}", downloaded=False, warning=warning)
        files, pkg = _from_source_package(dpdk)
        origin, downloaded, warning = f"source package {pkg}", True, ""
    else:
        files, warning = _from_source_tree(dpdk_src.resolve(), dpdk)
        origin, downloaded = f"source tree {dpdk_src}", False
    include_dir = _store(dpdk.version, files)
    try:
        _prove(include_dir, dpdk)
    except KitError as err:
        shutil.rmtree(include_dir, ignore_errors=True)
        if warning:  # another point of the branch whose headers do not fit: refused after all
            raise KitError(f"{warning.split(':')[0]}, the same LTS branch at another point, but its headers do not "
                           f"compile against the installed ones ({err.problem})", err.fix) from err
        raise
    stamp = f"{dpdk.version}\n{origin}\n" + (f"warning: {warning}\n" if warning else "")
    (include_dir / PROOF_STAMP).write_text(stamp)
    return Sdk(include_dir, origin, downloaded, warning)
