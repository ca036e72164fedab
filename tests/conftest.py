"""Shared by the tests that run the kit as a user does: the `kit` command line in a subprocess (the kit's bin
directory first on PATH, as meson projects and generated tests call `kit`), and a work area EAL accepts plugins
from."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from kit.paths import cache_root, kit_env
from kit.testpmd import enter_after_forwarding

BIN = Path(sys.executable).parent


def kit(*args: str | Path, check: bool = True, stdin_after: float | None = None, timeout: float = 600,
        **extra_env: str) -> subprocess.CompletedProcess[str]:
    """`kit ARGS`; with `stdin_after` (for `kit testpmd`), testpmd runs non-interactively and Enter is typed that
    many seconds after its "Press enter to exit" prompt, i.e. after forwarding started, however long EAL took."""
    cmd = [sys.executable, "-m", "kit.cli", *map(str, args)]
    env = kit_env(**extra_env)
    if stdin_after is None:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, check=False)
    else:
        proc = _forward_then_enter(cmd, stdin_after, timeout, env)
    if check and proc.returncode != 0:
        raise AssertionError(f"kit {' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stdout[-4000:]}\n"
                             f"{proc.stderr[-4000:]}")
    return proc


def _forward_then_enter(cmd: Sequence[str], seconds: float, timeout: float,
                        env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `kit testpmd` until testpmd prompts for Enter, let it forward `seconds`, press Enter, collect output.

    testpmd fully buffers stdout into a file, so its prompt would only show at exit: stdbuf -oL (inherited by the
    testpmd that kit starts) makes it line-buffered, as kit demo does."""
    stdbuf = shutil.which("stdbuf")
    assert stdbuf, "stdbuf (coreutils) is needed to see testpmd's prompt"
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([stdbuf, "-oL", *cmd], stdin=subprocess.PIPE, stdout=out, stderr=err, text=True,
                                env=env, start_new_session=True)
        assert proc.stdin is not None
        try:
            enter_after_forwarding(proc, out, seconds, timeout)
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # kit and the testpmd it started: their own session
            proc.wait()
        finally:
            with contextlib.suppress(BrokenPipeError):
                proc.stdin.close()
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(list(cmd), proc.returncode, out.read(), err.read())


@pytest.fixture(scope="module")
def work_area(request: pytest.FixtureRequest) -> Iterator[Path]:
    """A fresh directory under the kit's cache: EAL refuses plugins below world-writable /tmp."""
    folder = Path(str(request.fspath)).parent.name
    area = cache_root() / f"test-{folder}" / f"{request.module.__name__.rsplit('.', 1)[-1]}-{os.getpid()}"
    shutil.rmtree(area, ignore_errors=True)
    area.mkdir(parents=True)
    yield area
    shutil.rmtree(area, ignore_errors=True)
