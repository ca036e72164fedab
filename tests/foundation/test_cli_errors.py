"""Paths the kit cannot use: one line naming the path and the fix, exit 2, no traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.cli import main


@pytest.mark.parametrize(("argv", "expected"), [
    (["info", "{tmp}"], "is a directory, not a plugin file"),
    (["pmdinfo", "{tmp}", "-o", "{tmp}/file/x.c"], "cannot write {tmp}/file/x.c"),
    (["demo", "{tmp}/file/d"], "cannot create {tmp}/file/d/logs"),
])
def test_unusable_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str) -> None:
    (tmp_path / "file").write_text("a file where a directory is needed")
    before = sorted(p.name for p in tmp_path.iterdir())
    rc = main([a.format(tmp=tmp_path) for a in argv])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.splitlines() == [err.strip()] and expected.format(tmp=tmp_path) in err, err
    assert "; fix: " in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
