"""EAL process conventions shared by every place that starts an EAL (doctor, harness, testpmd, peers), and the
path rule EAL applies to plugins.

This machine has no hugepages and no NIC, so every EAL runs with --no-huge and --no-pci, and
each process gets its own --file-prefix so that parallel EALs never share runtime files.
Those runtime files outlive the process; remove_runtime_dir() is how we leave nothing behind.
"""

from __future__ import annotations

import itertools
import os
import shutil
import stat
from pathlib import Path

from kit.errors import KitError

_counter = itertools.count()
PLUGIN_FIX = "build it under a directory that is not world-writable (e.g. inside the project, not under /tmp)"


def unique_file_prefix(tag: str = "kit") -> str:
    return f"{tag}-{os.getpid()}-{next(_counter)}"


def runtime_dir(prefix: str) -> Path:
    """Where EAL puts the files of a --file-prefix (root: /var/run/dpdk, else XDG_RUNTIME_DIR or /tmp)."""
    if os.geteuid() == 0:
        base = Path("/var/run/dpdk")
    else:
        base = Path(os.environ.get("XDG_RUNTIME_DIR") or "/tmp") / "dpdk"
    return base / prefix


def remove_runtime_dir(prefix: str) -> None:
    shutil.rmtree(runtime_dir(prefix), ignore_errors=True)


def base_eal_args(prefix: str, *, memory_mb: int = 256, lcores: str = "0", log_level: str = "error") -> list[str]:
    return [
        "--no-huge",
        "--no-pci",
        "-m",
        str(memory_mb),
        "-l",
        lcores,
        "--file-prefix",
        prefix,
        f"--log-level={log_level}",
    ]


def world_writable_component(path: Path) -> Path | None:
    """The first of `path` and its ancestors that is world-writable, or None. EAL's -d applies exactly this
    rule (verify_perms in eal_common_options.c: the path itself and every parent) and refuses such plugins."""
    real = Path(path).resolve()
    for candidate in (real, *real.parents):
        try:
            if candidate.stat().st_mode & stat.S_IWOTH:
                return candidate
        except OSError:
            continue
    return None


def check_plugin_path(path: str | os.PathLike[str]) -> Path:
    """Refuse, as EAL would, a plugin that is missing or has a world-writable ancestor; return its real path."""
    given = Path(path)
    if not given.exists():
        raise KitError(f"plugin {given} does not exist", "build the driver first ('kit build') or fix the path")
    real = given.resolve()
    unsafe = world_writable_component(real)
    if unsafe is not None:
        raise KitError(
            f"EAL would refuse plugin {given}: {unsafe} is world-writable (EAL's -d rejects such paths)", PLUGIN_FIX
        )
    return real
