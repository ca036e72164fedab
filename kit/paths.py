"""Where the kit keeps what it builds or downloads once and reuses (per DPDK version)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """DPDK_KIT_CACHE wins (tests point it at a temporary directory), then XDG, then ~/.cache."""
    explicit = os.environ.get("DPDK_KIT_CACHE")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "dpdk-kit"
