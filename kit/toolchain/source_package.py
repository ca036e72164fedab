"""The installed DPDK's Debian source package (`apt-get source dpdk=VERSION`): its upstream tarball, and what an
apt failure means in one line. `kit sdk` takes the driver-SDK headers from it, the testpmd build its sources."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from kit.errors import KitError
from kit.toolchain.dpdk import Dpdk

SRC_FIX = "pass --dpdk-src DIR with a DPDK {version} source tree"


def debian_package_version() -> str | None:
    """The Debian version of the installed libdpdk-dev (e.g. 22.11.11-0+deb12u1), None off Debian."""
    if shutil.which("dpkg-query") is None:
        return None
    proc = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libdpdk-dev"], capture_output=True, text=True,
                          check=False)
    return (proc.stdout.strip() or None) if proc.returncode == 0 else None


def explain_apt_failure(output: str, pkg: str, version: str) -> KitError:
    fix_src = SRC_FIX.format(version=version)
    if "deb-src" in output or "Unable to find a source package" in output:
        return KitError(f"apt has no source package '{pkg}' (no deb-src entry in the apt sources)",
                        f"run 'sudo bash ci/setup.sh' (adds deb-src and runs apt-get update), or {fix_src}")
    if "Failed to fetch" in output and "404" in output:  # an index that lists the package, a pool without it
        return KitError(f"the archive lists the source package '{pkg}' but does not serve its files (404)",
                        f"{fix_src} (a release tarball from fast.dpdk.org or a git checkout of tag v{version})")
    if "Failed to fetch" in output or "Temporary failure" in output or "Could not resolve" in output:
        return KitError(f"could not download the source package '{pkg}' (no network?)",
                        f"restore network access to the Debian archive, or {fix_src}")
    last = output.strip().splitlines()[-1] if output.strip() else "no output"
    return KitError(f"'apt-get source {pkg}' failed: {last}", fix_src)


def upstream_tarball(dpdk: Dpdk, into: Path) -> tuple[Path, str]:
    """(the upstream tarball of the installed DPDK's source package in `into`, "dpdk=DEBIAN_VERSION"): the one
    already there, else downloaded with apt-get. KitError, naming the fix, when that cannot be done."""
    deb_version = debian_package_version()
    if deb_version is None or shutil.which("apt-get") is None:
        raise KitError("this is not a Debian/Ubuntu system with apt (no source package of the installed DPDK)",
                       SRC_FIX.format(version=dpdk.version))
    upstream = deb_version.split(":", 1)[-1].rsplit("-", 1)[0]
    pkg = f"dpdk={deb_version}"
    found = sorted(into.glob(f"dpdk_{upstream}.orig.tar.*"))
    if not found:
        into.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(["apt-get", "source", "--download-only", "-qq", pkg], cwd=into, capture_output=True,
                              text=True, check=False, stdin=subprocess.DEVNULL)
        if proc.returncode != 0:
            raise explain_apt_failure(proc.stdout + proc.stderr, pkg, dpdk.version)
        found = sorted(into.glob(f"dpdk_{upstream}.orig.tar.*"))
        if not found:
            raise KitError(f"'apt-get source {pkg}' gave no upstream tarball", SRC_FIX.format(version=dpdk.version))
    return found[0], pkg
