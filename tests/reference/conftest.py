"""The reference mqnic PMD built as a user builds it, once per session, for every test module here."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kit.paths import cache_root
from kit.toolchain.dpdk import find_dpdk
from kit.toolchain.meson import build_driver
from kit.toolchain.sdk import ensure_sdk

SOURCE = Path(__file__).resolve().parents[2] / "reference_drivers" / "mqnic"


@pytest.fixture(scope="session")
def build_dir() -> Path:
    sdk = ensure_sdk(find_dpdk()).include_dir
    # Under the kit's cache, not the checkout: EAL refuses plugins below world-writable directories.
    out = cache_root() / "builds" / f"mqnic-tests-{hashlib.sha256(str(SOURCE).encode()).hexdigest()[:8]}"
    build_driver(SOURCE, out, options=[f"-Dsdk_include={sdk}"])  # adds the PMD info after ninja
    return out
