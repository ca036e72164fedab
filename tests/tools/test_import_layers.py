"""The layer rule of docs/architecture.md holds for kit/ (imports point down, no cycle), and the checker that
enforces it (tools/import_layers.py) fails on what it must catch, shown on synthetic module sets."""

from __future__ import annotations

from pathlib import Path

from .conftest import TOOLS, load_tool

LAYERS = (("pkg.top",), ("pkg.middle", "pkg.side"), ("pkg.low",), ("pkg",))


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def problems(root: Path) -> list[str]:
    return load_tool("import_layers").check(root, "pkg", LAYERS)


CLEAN = {
    "pkg/__init__.py": "",
    "pkg/top.py": "from pkg.middle import helper\nimport pkg.low\n",
    "pkg/middle/__init__.py": "from pkg.middle.core import helper\n",
    "pkg/middle/core.py": "from pkg import low\n\ndef helper():\n    return low.VALUE\n",
    "pkg/side.py": "from pkg.low import VALUE\n",
    "pkg/low.py": "VALUE = 1\n",
}


def test_kit_imports_point_down_with_no_cycle() -> None:
    assert load_tool("import_layers").check(TOOLS.parent) == []


def test_a_clean_module_set_passes(tmp_path: Path) -> None:
    assert problems(write(tmp_path, CLEAN)) == []


def test_an_upward_import_fails(tmp_path: Path) -> None:
    found = problems(write(tmp_path, {**CLEAN, "pkg/low.py": "from pkg.middle.core import helper\nVALUE = 1\n"}))
    assert any("pkg/low.py:1: pkg.low imports pkg.middle.core, a layer above it" in p for p in found), found


def test_an_upward_import_inside_a_function_fails(tmp_path: Path) -> None:
    lazy = "VALUE = 1\n\ndef late():\n    from pkg.top import main\n    return main\n"
    found = problems(write(tmp_path, {**CLEAN, "pkg/low.py": lazy}))
    assert any("pkg/low.py:4: pkg.low imports pkg.top, a layer above it" in p for p in found), found


def test_a_sibling_import_fails(tmp_path: Path) -> None:
    found = problems(write(tmp_path, {**CLEAN, "pkg/side.py": "import pkg.middle\n"}))
    assert found == [f"{tmp_path / 'pkg/side.py'}:1: pkg.side imports pkg.middle, a sibling in its layer"]


def test_a_cycle_inside_one_unit_fails(tmp_path: Path) -> None:
    found = problems(write(tmp_path, {**CLEAN, "pkg/middle/extra.py": "from pkg.middle.core import helper\n",
                                      "pkg/middle/core.py": "def helper():\n    from pkg.middle import extra\n"}))
    assert found == ["import cycle: pkg.middle.core -> pkg.middle.extra"]


def test_a_module_in_no_layer_fails(tmp_path: Path) -> None:
    found = problems(write(tmp_path, {**CLEAN, "pkg/stray.py": "import pkg.low\n"}))
    assert found == ["pkg.stray: in no layer (add its unit to LAYERS and docs/architecture.md)"]


def test_relative_imports_are_resolved(tmp_path: Path) -> None:
    found = problems(write(tmp_path, {**CLEAN, "pkg/middle/core.py": "from .. import top\n"}))
    assert any("pkg.middle.core imports pkg.top, a layer above it" in p for p in found), found
