"""The mempool template against the reference driver, and `kit new-mempool`'s refusals.

Every refusal must be one line on stderr, exit code 2, and leave the file system as it was.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kit.cli import main
from kit.errors import KitError
from kit.scaffold import c_token, check_id, check_power_of_two, load_context, macro_prefix, render, template_dir
from kit.scaffold.validate import validate_name

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "reference_drivers" / "ring_mempool"


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    """Relative path -> (content, mode) of every file, ignoring meson build directories."""
    files = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if rel.parts[0].startswith("build") or "__pycache__" in rel.parts or ".pytest_cache" in rel.parts:
            continue
        if path.is_file():
            files[str(rel)] = (path.read_bytes(), stat.S_IMODE(path.stat().st_mode) & 0o111)
    return files


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else b"<dir>", p.stat().st_mode)
            for p in root.rglob("*")}


# A project's own docs (tests/scaffold/test_project_docs.py), not the reference's README.
PROJECT_DOCS = ("README.md", "docs/porting.md")


def test_defaults_render_the_reference_driver_byte_for_byte(tmp_path: Path) -> None:
    """Steps: render templates/mempool with its defaults. Verify: same files, bytes and exec bits as the reference,
    but for the docs a project gets instead of the reference's README."""
    project = render("mempool", tmp_path, {})
    assert project == tmp_path / "kit_ring"
    got, want = tree(project), tree(REFERENCE)
    assert set(PROJECT_DOCS) <= set(got)
    for rel in PROJECT_DOCS:
        got.pop(rel)
        want.pop(rel, None)
    assert sorted(got) == sorted(want)
    for rel in want:
        assert got[rel][0] == want[rel][0], f"{rel} differs from the reference"
        assert got[rel][1] == want[rel][1], f"{rel}: executable bits differ"
    assert {".github/workflows/ci.yml", "tests/test_conformance.py"} <= set(got)
    assert not [p for p in tmp_path.iterdir() if p.name != "kit_ring"], "staging directory left behind"


def test_plain_cookiecutter_renders_the_same(tmp_path: Path) -> None:
    """The template is a valid cookiecutter template: cookiecutter's own API gives the same project."""
    from cookiecutter.main import cookiecutter

    config = tmp_path / "config.yaml"
    config.write_text(f"replay_dir: {tmp_path / 'replay'}\ncookiecutters_dir: {tmp_path / 'cc'}\n")
    out = tmp_path / "out"
    cookiecutter(str(template_dir("mempool")), no_input=True, output_dir=str(out), config_file=str(config),
                 extra_context={"name": "acme_pool"})
    ours = render("mempool", tmp_path / "ours", {"name": "acme_pool"})
    assert tree(out / "acme_pool") == tree(ours)


def test_a_new_name_replaces_every_occurrence(tmp_path: Path) -> None:
    project = render("mempool", tmp_path, {"name": "acme_pool", "author": "ACME Inc."})
    names = sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file())
    assert "rte_mempool_acme_pool.c" in names and "tests/test_acme_pool.c" in names
    for rel in names:
        text = (project / rel).read_text()
        assert "kit_ring" not in text and "KIT_RING" not in text, rel
    driver = (project / "rte_mempool_acme_pool.c").read_text()
    assert '.name = "acme_pool"' in driver and "ACME_POOL_LOG(ERR" in driver
    assert "Copyright(c) 2026 ACME Inc." in driver
    assert "project('acme_pool'" in (project / "meson.build").read_text()


def test_naming_rule() -> None:
    assert c_token("Acme-Pool.2") == "acme_pool_2"
    assert macro_prefix("acme_pool") == "ACME_POOL"
    ctx = load_context(template_dir("mempool"), {"name": "acme_pool"})
    assert ctx["macro"] == "ACME_POOL" and ctx["project_dir"] == "acme_pool"


@pytest.mark.parametrize(("name", "expect"), [
    ("acme-pool", "only contain lower-case letters"),
    ("9pool", "starts with a digit"),
    ("a" * 25, "more than 24"),
    ("ring", "prefixes mempool ops name 'ring_mp_mc'"),
    ("stack", "is DPDK's mempool ops name 'stack'"),
    ("bucket_x", "starts with mempool ops name 'bucket'"),
    ("AcmePool", "only contain lower-case letters"),
    ("static", "C keyword"),
    ("", "empty"),
])
def test_bad_names_are_refused(name: str, expect: str) -> None:
    with pytest.raises(KitError, match=expect):
        validate_name(name)


def test_sizes_and_ids() -> None:
    assert check_power_of_two(1024, "ring size") == 1024
    with pytest.raises(KitError, match="not a power of two") as info:
        check_power_of_two(1000, "ring size")
    assert info.value.one_line().endswith("fix: use e.g. 1024")
    assert check_id(0xFFFF, "vendor id") == 0xFFFF
    with pytest.raises(KitError, match="out of range"):
        check_id(0x10000, "vendor id")


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", ["acme-pool", "9pool", "a" * 25, "ring"])
def test_cli_refuses_bad_names_without_touching_disk(name: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "projects"  # does not exist: must not be created either
    before = snapshot(tmp_path)
    code, out, err = run_cli(["new-mempool", name, "-o", str(out_dir)], capsys)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("kit new-mempool: error: ") and "fix:" in err
    assert snapshot(tmp_path) == before


def test_cli_refuses_an_existing_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "acme_pool").mkdir()
    (tmp_path / "acme_pool" / "mine.txt").write_text("keep me\n")
    before = snapshot(tmp_path)
    code, _, err = run_cli(["new-mempool", "acme_pool", "-o", str(tmp_path)], capsys)
    assert code == 2 and err.count("\n") == 1 and "already exists" in err and "--force" in err
    assert snapshot(tmp_path) == before

    code, out, _ = run_cli(["new-mempool", "acme_pool", "-o", str(tmp_path), "--force"], capsys)
    assert code == 0 and out.strip() == str(tmp_path / "acme_pool")
    assert (tmp_path / "acme_pool" / "mine.txt").read_text() == "keep me\n"
    assert (tmp_path / "acme_pool" / "rte_mempool_acme_pool.c").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme_pool"]


def test_a_failed_generation_leaves_nothing_behind(tmp_path: Path) -> None:
    """Steps: a template whose second file uses an undefined variable. Verify: KitError, no directory left."""
    template = tmp_path / "tpl"
    (template / "{{cookiecutter.name}}").mkdir(parents=True)
    (template / "cookiecutter.json").write_text('{"name": "demo_drv"}')
    (template / "{{cookiecutter.name}}" / "a.txt").write_text("{{ cookiecutter.name }}\n")
    (template / "{{cookiecutter.name}}" / "b.txt").write_text("{{ cookiecutter.nope }}\n")
    (template / "{{cookiecutter.name}}" / "blob.bin").write_bytes(b"\0\xff{{ x }}")
    out = tmp_path / "out" / "deeper"
    with pytest.raises(KitError, match="nope"):
        render(template, out, {})
    assert not (tmp_path / "out").exists()

    (template / "{{cookiecutter.name}}" / "b.txt").write_text("ok\n")
    os.chmod(template / "{{cookiecutter.name}}" / "b.txt", 0o755)
    project = render(template, out, {})
    assert (project / "blob.bin").read_bytes() == b"\0\xff{{ x }}"  # not text: copied as is
    assert os.access(project / "b.txt", os.X_OK)


def test_unknown_answers_are_refused(tmp_path: Path) -> None:
    with pytest.raises(KitError, match="no question ring_size"):
        render("mempool", tmp_path, {"name": "acme_pool", "ring_size": 1000})
    assert list(tmp_path.iterdir()) == []


def test_template_bytecode_is_not_copied(tmp_path: Path) -> None:
    """pip byte-compiles the .py files of an installed template: its __pycache__ stays out of the project."""
    template = tmp_path / "tpl"
    (template / "{{cookiecutter.name}}" / "tests" / "__pycache__").mkdir(parents=True)
    (template / "cookiecutter.json").write_text('{"name": "demo_drv"}')
    (template / "{{cookiecutter.name}}" / "tests" / "check.py").write_text("print('{{ cookiecutter.name }}')\n")
    (template / "{{cookiecutter.name}}" / "tests" / "__pycache__" / "check.cpython-311.pyc").write_bytes(b"\0pyc")
    project = render(template, tmp_path / "out", {})
    assert sorted(str(p.relative_to(project)) for p in project.rglob("*")) == ["tests", "tests/check.py"]
    assert (project / "tests" / "check.py").read_text() == "print('demo_drv')\n"


def test_an_unwritable_output_directory_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """-o below a file: one line naming the directory, exit 2, nothing written."""
    (tmp_path / "file").write_text("a file where a directory is needed\n")
    before = snapshot(tmp_path)
    code, out, err = run_cli(["new-mempool", "acme_pool", "-o", str(tmp_path / "file" / "projects")], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and f"cannot create {tmp_path / 'file' / 'projects'}" in err and "fix:" in err, err
    assert snapshot(tmp_path) == before


def test_templates_are_package_data() -> None:
    """The kit finds its templates inside its package (kit/_templates, shipped in the wheel); in the source tree
    that is the top-level templates/ (tests/packaging installs the wheel)."""
    from importlib import resources

    for kind in ("mempool", "pmd"):
        found = template_dir(kind)
        assert found == Path(str(resources.files("kit") / "_templates" / kind))
        assert found.resolve() == REPO / "templates" / kind
