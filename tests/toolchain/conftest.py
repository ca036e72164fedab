"""Shared helpers for the build tests: the kit command line in a subprocess, a work area EAL accepts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kit.paths import cache_root

BIN = Path(sys.executable).parent


def kit_env(**extra: str) -> dict[str, str]:
    """The environment for `kit`: the venv's bin first on PATH (meson projects call find_program('kit'))."""
    return dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **extra)


def kit(*args: str | Path, check: bool = True, **extra_env: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "kit.cli", *map(str, args)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=kit_env(**extra_env), check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd[2:])} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr[-4000:]}")
    return proc


@pytest.fixture(scope="module")
def work_area(request: pytest.FixtureRequest) -> Iterator[Path]:
    """A fresh directory under the kit's cache: EAL refuses plugins below world-writable /tmp."""
    area = cache_root() / "test-build" / f"{request.module.__name__.rsplit('.', 1)[-1]}-{os.getpid()}"
    shutil.rmtree(area, ignore_errors=True)
    area.mkdir(parents=True)
    yield area
    shutil.rmtree(area, ignore_errors=True)
