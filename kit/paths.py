"""Where the kit keeps what it builds or downloads once and reuses (per DPDK version)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def output_dir(path: Path, what: str) -> Path:
    """Create `path` (and its parents) for `what` the kit writes; one-line KitError when that is impossible."""
    from kit.errors import KitError

    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KitError(f"cannot create {path} for {what}: {exc.strerror}",
                       "give a directory path you can write to") from exc
    return path


def cache_root() -> Path:
    """DPDK_KIT_CACHE wins (tests point it at a temporary directory), then XDG, then ~/.cache."""
    explicit = os.environ.get("DPDK_KIT_CACHE")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "dpdk-kit"


def kit_bin_dir() -> Path:
    """Where this kit's own programs are (kit, meson, ninja, pytest): its Python's bin directory."""
    return Path(sys.executable).parent


def kit_tool(name: str) -> str | None:
    """A program from the kit's own environment first (meson and ninja come with it), then from PATH."""
    beside = kit_bin_dir() / name
    return str(beside) if beside.is_file() else shutil.which(name)


def kit_env(**extra: str) -> dict[str, str]:
    """The environment for programs the kit starts: its bin directory first on PATH, so that a meson.build
    running `kit sdk -q` or a project's tests running `kit` find this kit, and meson's own ninja calls use the
    kit's ninja (another ninja version reads the build log differently and rebuilds everything)."""
    return dict(os.environ, PATH=f"{kit_bin_dir()}{os.pathsep}{os.environ.get('PATH', '')}", **extra)
