"""Build outputs cached by content under the kit's cache, written atomically.

A compiled file (or directory) is built beside its final path and renamed into place, so concurrent builders
(pytest workers, child processes) never see a half-written result, and an existing one is reused as it is.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def cached_file(target: Path, build: Callable[[Path], None]) -> Path:
    """Return `target`, first calling build(tmp) to produce it at a temporary path when it does not exist."""
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        build(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def cached_dir(final: Path, build: Callable[[Path], None]) -> Path:
    """Return directory `final`, first calling build(tmpdir) to fill it when it does not exist."""
    if final.is_dir():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=final.parent))
    try:
        build(tmp)
        try:
            os.rename(tmp, final)
        except OSError:
            if not final.is_dir():  # lost the race only if someone else's build is in place
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final
