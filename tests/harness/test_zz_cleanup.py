"""Runs last (file name): a pytest run leaves no runtime dir of ours and no child process behind."""

from __future__ import annotations

import os
from pathlib import Path

from kit.harness import Eal, run_in_child
from kit.harness.eal import PREFIX_TAG
from kit.runtime import runtime_dir


def _return(x: object) -> object:
    return x


def _children_of(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return out


def test_zz_no_stray_runtime_dirs_or_children(eal: Eal) -> None:
    """After every child of the session, only the session EAL's runtime dir is ours; no child is left."""
    run_in_child(_return, 0)
    ours = sorted(p.name for p in runtime_dir("x").parent.glob(f"{PREFIX_TAG}-{os.getpid()}-*"))
    assert ours == [eal.prefix]
    assert _children_of(os.getpid()) == []


def test_zz_no_stray_log_files(eal: Eal) -> None:
    import tempfile

    logs = sorted(p.name for p in Path(tempfile.gettempdir()).glob(f"kit-eal-{PREFIX_TAG}-{os.getpid()}-*"))
    assert logs == [eal.log_path.name]
