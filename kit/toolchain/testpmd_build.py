"""A dpdk-testpmd with the ieee1588 forwarding engine, built once from the installed DPDK's own source.

testpmd has its ieee1588 engine only when compiled with RTE_LIBRTE_IEEE1588, and distributions build it without
(Debian 12's does). This compiles app/test-pmd of the very DPDK installed with that define, against the installed
libraries (pkg-config), and caches the program under `cache_root()/testpmd/<dpdk version>/<key>/dpdk-testpmd`, the
key covering the source and the flags: built once (about 20 s on two cores), then reused.

The source is, in order: a tree passed in (or $DPDK_SRC, as ci/setup.sh takes it) of the installed LTS branch, the
distribution's source package of the installed version already in `cache_root()/src/`, or that package fetched
with `apt-get source --download-only` (the upstream tarball is used: Debian patches nothing in app/test-pmd).

No stubs: testpmd's driver-specific commands call the private APIs of the drivers the installed DPDK was built
with (rte_build_config.h says which), so exactly those driver libraries are linked, and mlx5's testpmd hook
(drivers/net/mlx5/mlx5_testpmd.c, which testpmd.c calls) is compiled with testpmd as DPDK's meson does.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tarfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kit.errors import KitError
from kit.paths import cache_root
from kit.toolchain.cache import cached_dir
from kit.toolchain.compile import require_c_compiler
from kit.toolchain.dpdk import Dpdk, find_dpdk
from kit.toolchain.sdk import branch_of, source_tree_version
from kit.toolchain.source_package import upstream_tarball

PROGRAM = "dpdk-testpmd"
# As DPDK's meson builds its apps (internal and experimental APIs allowed, testpmd's own -Wno-deprecated-...),
# plus the engine. -O1: compiles in half the time of -O2, and nothing here measures testpmd's speed.
CFLAGS = ("-O1", "-DALLOW_EXPERIMENTAL_API", "-DALLOW_INTERNAL_API", "-DRTE_LIBRTE_IEEE1588",
          "-Wno-deprecated-declarations")
# rte_build_config.h define -> the installed driver library whose private API testpmd's commands call then
# (app/test-pmd/meson.build's deps, and cmdline.c's RTE_NET_BOND block).
DRIVER_LIBS: dict[str, str] = {
    "RTE_NET_BNXT": "rte_net_bnxt",
    "RTE_NET_BOND": "rte_net_bond",
    "RTE_NET_DPAA": "rte_net_dpaa",
    "RTE_NET_I40E": "rte_net_i40e",
    "RTE_NET_IXGBE": "rte_net_ixgbe",
    "RTE_NET_MLX5": "rte_net_mlx5",
}
MLX5_HOOK = "drivers/net/mlx5/mlx5_testpmd.c"  # testpmd.c calls its event handler when RTE_NET_MLX5 is set
OS_SHIM = "lib/eal/linux/include"  # rte_os_shim.h, which testpmd.h includes and DPDK does not install
WANTED = re.compile(r"^(VERSION|app/test-pmd/[^/]+|drivers/net/mlx5/mlx5_testpmd\.[ch]|"
                    r"lib/eal/linux/include/rte_os_shim\.h)$")
SRC_HINT = ("set DPDK_SRC to a DPDK {version} source tree (a release tarball from fast.dpdk.org unpacked, or a git "
            "checkout of tag v{version}), or add a deb-src entry so that 'apt-get source dpdk' works "
            "('sudo bash ci/setup.sh' does)")


class NoSource(KitError):
    """No DPDK source is available to build from (as opposed to a source that does not build)."""


@dataclass(frozen=True)
class Testpmd:
    path: Path  # the program, named dpdk-testpmd
    origin: str  # where its source came from
    built: bool  # False when it came from the cache
    seconds: float  # how long finding (and building) it took


def _build_config(dpdk: Dpdk) -> str:
    for inc in dpdk.include_dirs:
        if (inc / "rte_build_config.h").is_file():
            return (inc / "rte_build_config.h").read_text(errors="replace")
    raise KitError(f"the installed DPDK {dpdk.version} has no rte_build_config.h", "reinstall libdpdk-dev")


def _defined(config: str, name: str) -> bool:
    return re.search(rf"^#define\s+{name}\b", config, re.M) is not None


def _source_package(dpdk: Dpdk) -> tuple[Path, str]:
    """The distribution's upstream tarball of the installed DPDK: from the cache, else fetched into it."""
    try:
        tarball, pkg = upstream_tarball(dpdk, cache_root() / "src")
    except KitError as exc:
        raise NoSource(f"no DPDK source tree (DPDK_SRC is not set): {exc.problem}",
                       SRC_HINT.format(version=dpdk.version)) from exc
    return tarball, f"source package {pkg} ({tarball.name})"


def _unpack(tarball: Path, into: Path) -> None:
    """Only what the build reads: app/test-pmd, the mlx5 hook, rte_os_shim.h and VERSION."""
    with tarfile.open(tarball) as tar:
        for member in tar:
            rel = member.name.split("/", 1)[1] if "/" in member.name else ""
            if member.isfile() and WANTED.match(rel):
                handle = tar.extractfile(member)
                if handle is not None:
                    (into / rel).parent.mkdir(parents=True, exist_ok=True)
                    (into / rel).write_bytes(handle.read())


def _tree_files(src: Path) -> list[Path]:
    required = [src / "VERSION", src / "app" / "test-pmd" / "testpmd.c", src / OS_SHIM / "rte_os_shim.h"]
    missing = [str(f.relative_to(src)) for f in required if not f.is_file()]
    if missing:
        raise KitError(f"{src} is not a complete DPDK source tree (lacks {', '.join(missing)})",
                       "point DPDK_SRC at the top of a DPDK tree")
    return [src / "VERSION", src / OS_SHIM / "rte_os_shim.h", *sorted((src / "app" / "test-pmd").glob("*.[ch]")),
            *sorted((src / "drivers" / "net" / "mlx5").glob("mlx5_testpmd.[ch]"))]


def _plan(src: Path, dpdk: Dpdk) -> tuple[list[Path], list[str], list[str]]:
    """The sources, the include flags and the libraries of this DPDK's testpmd."""
    config = _build_config(dpdk)
    sources = sorted((src / "app" / "test-pmd").glob("*.c"))
    if not _defined(config, "RTE_LIB_BPF"):  # meson adds bpf_cmd.c only with the bpf library
        sources = [s for s in sources if s.name != "bpf_cmd.c"]
    includes = [f"-I{src / 'app' / 'test-pmd'}", f"-I{src / OS_SHIM}"]
    if _defined(config, "RTE_NET_MLX5"):
        sources.append(src / MLX5_HOOK)
        includes.append(f"-I{(src / MLX5_HOOK).parent}")
    libs = [f"-l{lib}" for define, lib in DRIVER_LIBS.items() if _defined(config, define)]
    if _defined(config, "RTE_HAS_JANSSON"):  # cmd_flex_item.c parses flex item JSON
        libs.append("-ljansson")
    return sources, includes, libs


def _compile(src: Path, out: Path, dpdk: Dpdk) -> None:
    compiler = require_c_compiler()
    sources, includes, libs = _plan(src, dpdk)
    objects = out / "obj"
    objects.mkdir()

    def one(source: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([compiler, *CFLAGS, *includes, *dpdk.cflags, "-c", str(source), "-o",
                               str(objects / f"{source.stem}.o")], capture_output=True, text=True, check=False)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = list(pool.map(one, sources))
    failed = next((r for r in results if r.returncode != 0), None)
    if failed is None:
        failed = subprocess.run([compiler, *sorted(map(str, objects.glob("*.o"))), "-o", str(out / PROGRAM), *libs,
                                 *dpdk.libs], capture_output=True, text=True, check=False)
    if failed.returncode != 0:
        errors = [ln for ln in failed.stderr.splitlines() if "error" in ln or "undefined reference" in ln]
        raise KitError(f"dpdk-testpmd from {src} does not build against DPDK {dpdk.version}: "
                       f"{'; '.join(errors[:5]) or failed.stderr.strip()[-500:]}",
                       "check that the source tree is the installed DPDK's version and libdpdk-dev is complete")
    shutil.rmtree(objects)


def ensure_ieee1588_testpmd(dpdk_src: Path | None = None, dpdk: Dpdk | None = None) -> Testpmd:
    """dpdk-testpmd with the ieee1588 engine for the installed DPDK: cached, else built from `dpdk_src`,
    $DPDK_SRC or the distribution's source package. KitError when no source is available or the build fails."""
    started = time.monotonic()
    dpdk = dpdk or find_dpdk()
    if dpdk_src is None and os.environ.get("DPDK_SRC"):
        dpdk_src = Path(os.environ["DPDK_SRC"])
    digest = hashlib.sha256(" ".join([*CFLAGS, *dpdk.cflags, *dpdk.libs]).encode())
    if dpdk_src is not None:
        src = dpdk_src.resolve()
        found = source_tree_version(src)
        if branch_of(found) != branch_of(dpdk.version):
            raise KitError(f"source tree {src} is DPDK {found}, another branch than the installed DPDK {dpdk.version}",
                           SRC_HINT.format(version=dpdk.version))
        for path in _tree_files(src):
            digest.update(str(path.relative_to(src)).encode() + b"\0" + path.read_bytes() + b"\0")
        tarball, origin = None, f"source tree {src} (DPDK {found})"
    else:
        tarball, origin = _source_package(dpdk)
        with tarball.open("rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    final = cache_root() / "testpmd" / dpdk.version / digest.hexdigest()[:16]
    built = not (final / PROGRAM).is_file()

    def build(out: Path) -> None:
        if tarball is not None:
            tree = out / "src"
            _unpack(tarball, tree)
            _tree_files(tree)  # a tarball without app/test-pmd says so here
            _compile(tree, out, dpdk)
            shutil.rmtree(tree)
        else:
            _compile(src, out, dpdk)
        (out / "ORIGIN").write_text(f"{origin}\ncflags: {' '.join(CFLAGS)}\n")

    cached_dir(final, build)
    return Testpmd(final / PROGRAM, origin, built, time.monotonic() - started)
