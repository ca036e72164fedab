"""A generated project's README.md and docs/porting.md speak to its owner, from the project itself.

Steps: `kit new-pmd` / `kit new-mempool` into a temporary directory, then read the two documents.
Verify: they name the project; they hold no path of this checkout or of this machine (the kit may be installed
anywhere, the project may be moved anywhere); every file, directory, meson test, `kit` subcommand and driver
function they name exists in the generated project or the kit; the porting guide covers what the owner changes
(the register map in `*_hw.h`, the model's side, PCI ids, offloads) and runs the board through vfio-pci.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from kit.cli import build_parser, main

REPO = Path(__file__).resolve().parents[2]
DOCS = ("README.md", "docs/porting.md")
# Paths the documents name that are not the project's: DPDK's feature matrices, dpdk-kit's own docs.
FOREIGN = {"doc/guides/nics/features/*.ini", "docs/conformance.md"}
# Shell commands a document's code blocks may start with.
COMMANDS = {"kit", "meson", "pytest", "sudo", "dpdk-devbind.py", "dpdk-hugepages.py", "dpdk-testpmd"}
PATH_RE = re.compile(r"^\.?[\w*{}-]+(?:/[\w.*{}-]*)+$|^[\w.-]+\.(?:c|h|md|ini|txt|build|yml|so)$")


def generate(kind: str, name: str, out: Path, *options: str) -> Path:
    assert main([f"new-{kind}", name, "-o", str(out), *options]) == 0
    return out / name


def words(doc: str) -> list[str]:
    """The words of inline code spans and fenced code blocks, stripped of punctuation around them."""
    blocks = re.findall(r"^```\w*\n(.*?)^```", doc, flags=re.S | re.M)
    spans = re.findall(r"`([^`\n]+)`", re.sub(r"^```\w*\n.*?^```", "", doc, flags=re.S | re.M))
    code = "\n".join(line.split("#", 1)[0] for block in blocks for line in block.splitlines())
    return [w.strip("(),;:'\"") for w in " ".join([code, *spans]).split()]


def commands(doc: str) -> list[list[str]]:
    blocks = re.findall(r"^ *```\w*\n(.*?)^ *```", doc, flags=re.S | re.M)
    return [line.split("#", 1)[0].split() for block in blocks for line in block.splitlines() if line.strip()]


def kit_subcommands() -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return set(sub.choices)  # type: ignore[attr-defined]


def check_docs(project: Path, name: str, plugin: str) -> dict[str, str]:
    docs = {rel: (project / rel).read_text() for rel in DOCS}
    machine = {str(REPO), str(REPO.parent), "/work", ".venv", str(Path.home()), "~/", sys.prefix}
    tests = set(re.findall(r"^test\('(\w+)'", (project / "tests" / "meson.build").read_text(), flags=re.M))
    sources = "\n".join(p.read_text() for p in project.rglob("*") if p.suffix in (".c", ".h"))
    for rel, doc in docs.items():
        assert doc.startswith(f"# {name}: ") if rel == "README.md" else name in doc.splitlines()[0], rel
        for path in machine:  # as a path of its own: /work, not the end of .github/workflows
            assert not re.search(rf"(?<![\w.]){re.escape(path)}(?!\w)", doc), \
                f"{rel} names {path!r}, a path of this machine or of the kit's checkout"
        assert "{{" not in doc and "{%" not in doc, f"{rel}: template text left"
        for word in words(doc):
            if not PATH_RE.match(word) or word in FOREIGN or word.startswith("dpdk-"):
                continue
            if word.startswith("build/"):
                assert word == f"build/{plugin}", f"{rel}: {word} is not what kit build makes"
            else:
                assert list(project.glob(word.rstrip("/"))), f"{rel} names {word}, which the project does not have"
        for cmd in commands(doc):
            assert cmd[0] in COMMANDS, f"{rel}: command {' '.join(cmd)}"
            if cmd[0] == "kit":
                assert cmd[1] in kit_subcommands(), f"{rel}: kit has no {cmd[1]}"
                assert cmd[2] == ".", f"{rel}: {' '.join(cmd)} is run from the project directory"
        for test in re.findall(r"meson test -C build (\w+)", doc):
            assert test in tests, f"{rel} names meson test {test}, not in tests/meson.build"
        for func in re.findall(rf"`({name}_\w+)\(", doc):
            assert re.search(rf"^{func}\(", sources, flags=re.M), f"{rel} names {func}(), which no source defines"
    return docs


@pytest.mark.parametrize("options", [(), ("--vendor-id", "0x1d6a", "--device-id", "1")])
def test_pmd_project_docs(tmp_path: Path, options: tuple[str, ...]) -> None:
    project = generate("pmd", "acme", tmp_path, *options)
    docs = check_docs(project, "acme", "librte_net_acme.so")
    readme, porting = docs["README.md"], docs["docs/porting.md"]
    assert "[docs/porting.md](docs/porting.md)" in readme
    assert "default rendering" not in readme and "mqnic" not in readme + porting
    for topic in ("src/acme_hw.h", "struct acme_desc", "struct acme_cpl", "src/model/", "acme_model_create()",
                  "src/acme_pci.c", "PCI_IDS", "acme_dev_infos_get()", "doc/acme.ini", "kit test .", "kit bench .",
                  "kit testpmd .", "meson test -C build", "dpdk-devbind.py -b vfio-pci", "-d build/librte_net_acme.so"):
        assert topic in porting, topic
    steps = [line for line in porting.splitlines() if re.match(r"## \d\. ", line)]
    assert [s.split(". ", 1)[1] for s in steps] == ["PCI ids", "Register map", "Queues",
                                                     "Descriptor and completion formats", "Offloads: which to keep",
                                                     "Filters, MAC addresses, counters", "The board"]
    board = porting[porting.index("## 7. The board"):]
    run = next(line for line in board.splitlines() if "dpdk-testpmd" in line)
    assert not {"--no-pci", "--vdev", "--no-huge"} & set(run.split()), run
    if options:
        assert "0x1d6a:0x0001" in readme and "0x5543" not in readme + porting
    else:
        assert "--vendor-id" in porting, "a project with Corundum's ids is told how to put in its own"


def test_mempool_project_docs(tmp_path: Path) -> None:
    project = generate("mempool", "acme_pool", tmp_path)
    docs = check_docs(project, "acme_pool", "librte_mempool_acme_pool.so")
    readme, porting = docs["README.md"], docs["docs/porting.md"]
    assert "[docs/porting.md](docs/porting.md)" in readme and "kit_ring" not in readme + porting
    assert [f"M{i}" for i in range(1, 15)] == re.findall(r"^\| (M\d+) \|", porting, flags=re.M)
    for op in ("alloc", "free", "enqueue", "dequeue", "get_count", "get_info"):
        assert f"acme_pool_{op}()" in porting, op
    for topic in ("kit test .", "kit bench .", "meson test -C build unit", "meson test -C build peers"):
        assert topic in readme + porting, topic
