"""The kit's command line in a subprocess, as a user runs it, in a work area EAL accepts plugins from."""

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
    """The venv's bin first on PATH: meson projects and the generated tests call `kit`."""
    return dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **extra)


def kit(*args: str | Path, check: bool = True, stdin_after: float | None = None,
        timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`kit ARGS`; with `stdin_after`, Enter is typed after that many seconds (testpmd's non-interactive stop)."""
    cmd = [sys.executable, "-m", "kit.cli", *map(str, args)]
    if stdin_after is None:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=kit_env(), timeout=timeout, check=False)
    else:
        shell = f"(sleep {stdin_after}; echo) | {' '.join(map(_quote, cmd))}"
        proc = subprocess.run(["sh", "-c", shell], capture_output=True, text=True, env=kit_env(), timeout=timeout,
                              check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"kit {' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stdout[-4000:]}\n"
                             f"{proc.stderr[-4000:]}")
    return proc


def _quote(word: str) -> str:
    import shlex

    return shlex.quote(word)


@pytest.fixture(scope="module")
def work_area(request: pytest.FixtureRequest) -> Iterator[Path]:
    """A fresh directory under the kit's cache: EAL refuses plugins below world-writable /tmp."""
    area = cache_root() / "test-e2e" / f"{request.module.__name__.rsplit('.', 1)[-1]}-{os.getpid()}"
    shutil.rmtree(area, ignore_errors=True)
    area.mkdir(parents=True)
    yield area
    shutil.rmtree(area, ignore_errors=True)
