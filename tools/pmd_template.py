"""Regenerate templates/pmd from reference_drivers/mqnic: the reference is where the PMD is developed.

    python tools/pmd_template.py [--check]      (a maintainer script: not part of the kit package)

Every `mqnic` becomes `{{ cookiecutter.name }}` and every `MQNIC` `{{ cookiecutter.macro }}` (in file names too),
the copyright line takes the year and author, `{{` in C initializers is escaped, and the few places that carry an
option (PCI ids, queue maximum, ring size, MAC) are replaced as listed in SPECIFIC. --check only compares.

A generated project's README.md and docs/porting.md are not the reference's: the reference's README documents the
reference, a project's speaks to its owner (what to change to reach their NIC, which tests keep each step honest,
how to run on the board). Those come from tools/pmd_template_docs/ (TEMPLATE_ONLY), which holds them already as
template text: they are copied as they are, in place of the reference's file of the same path.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]  # the source checkout: the reference drivers are not installed
REFERENCE = REPO / "reference_drivers" / "mqnic"
TOP = "{{cookiecutter.project_dir}}"
C = "cookiecutter"
CORUNDUM = f'{C}.vendor_id == "0x1234" and {C}.device_id == "0x1001"'
TEMPLATE_ONLY = Path(__file__).resolve().parent / "pmd_template_docs"  # project docs: template text, not converted

SPECIFIC = {
    "src/mqnic_pci.c": [(
        "\t/* Corundum's default id, used by its reference designs. */\n"
        "\t{ RTE_PCI_DEVICE(0x1234, 0x1001) },\n"
        "\t/* Also listed by Corundum's Linux driver. */\n"
        "\t{ RTE_PCI_DEVICE(0x5543, 0x1001) },\n",
        "{% if " + CORUNDUM + " %}"
        "\t/* Corundum's default id, used by its reference designs. */\n"
        "\t{ RTE_PCI_DEVICE(0x1234, 0x1001) },\n"
        "\t/* Also listed by Corundum's Linux driver. */\n"
        "\t{ RTE_PCI_DEVICE(0x5543, 0x1001) },\n"
        "{% else %}\t/* The device's vendor and device id. */\n"
        "\t{ RTE_PCI_DEVICE({{ cookiecutter.vendor_id }}, {{ cookiecutter.device_id }}) },\n"
        "{% endif %}")],
    ".github/workflows/ci.yml": [
        ('KIT_REQUIREMENT: "dpdk-kit"', 'KIT_REQUIREMENT: "{{ cookiecutter.kit_requirement }}"')],
    "tests/test_conformance.py": [(
        'PCI_IDS = ["1234:1001", "5543:1001"]',
        'PCI_IDS = [{% if ' + CORUNDUM + ' %}"1234:1001", "5543:1001"{% else %}'
        '"{{ cookiecutter.vendor_id[2:] }}:{{ cookiecutter.device_id[2:] }}"{% endif %}]')],
    "src/mqnic_hw.h": [("#define MQNIC_MAX_QUEUES\t\t16\n",
                        "#define MQNIC_MAX_QUEUES\t\t{{ cookiecutter.max_queues }}\n")],
    "src/mqnic.h": [("#define MQNIC_DEFAULT_RING_SIZE\t1024\n",
                     "#define MQNIC_DEFAULT_RING_SIZE\t{{ cookiecutter.ring_size }}\n")],
    "src/mqnic_sim.c": [
        ('SIM_ARG_QUEUES "=<1-16> "', 'SIM_ARG_QUEUES "=<1-{{ cookiecutter.max_queues }}> "'),
        ("\t\t\t.mac = { 0x02, 0x00, 0x00, 0x00, 0x01,\n\t\t\t\tsim_instances },\n",
         "\t\t\t.mac = { 0x{{ cookiecutter.mac.lower().split(':')[:5] | join(', 0x') }},\n"
         "\t\t\t\t{% if cookiecutter.mac.lower()[15:] == '00' %}sim_instances{% else %}"
         "(uint8_t)(0x{{ cookiecutter.mac.lower()[15:] }} + sim_instances){% endif %} },\n"),
    ],
    "tests/test_mqnic.c": [('"queues=17"', '"queues={{ cookiecutter.max_queues | int + 1 }}"')],
}

def convert(rel: str, text: str) -> str:
    """The template text of the reference file `rel`."""
    text = text.replace("{{", "{{ '{{' }}")
    text = text.replace("Copyright(c) 2026 The dpdk-kit authors",
                        "Copyright(c) {{ cookiecutter.year }} {{ cookiecutter.author }}")
    for old, new in SPECIFIC.get(rel, []):
        assert text.count(old) == 1, (rel, old)
        text = text.replace(old, new)
    return text.replace("MQNIC", "{{ cookiecutter.macro }}").replace("mqnic", "{{ cookiecutter.name }}")


def template_only(docs: Path = TEMPLATE_ONLY) -> list[str]:
    """The project files that come from `docs` instead of the reference (relative paths)."""
    return sorted(str(p.relative_to(docs)) for p in docs.rglob("*") if p.is_file())


def write_template(top: Path, reference: Path = REFERENCE, docs: Path = TEMPLATE_ONLY) -> list[str]:
    """Write the template tree for `reference` into `top` (the {{cookiecutter.project_dir}} directory), with the
    files of `docs` in place of the reference's."""
    written = []
    own = set(template_only(docs))
    for path in sorted(reference.rglob("*")):
        rel = path.relative_to(reference)
        # build/ and the kit's variant folders (build-coverage, build-asan-ubsan, ...) are outputs, not sources
        if (rel.parts[0].startswith("build") or "__pycache__" in rel.parts or ".pytest_cache" in rel.parts
                or path.is_dir()):
            continue
        if str(rel) in own:
            continue
        out = top / str(rel).replace("mqnic", "{{cookiecutter.name}}")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(convert(str(rel), path.read_text()))
        os.chmod(out, stat.S_IMODE(path.stat().st_mode))
        written.append(str(rel))
    for rel_name in sorted(own):
        out = top / rel_name
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(docs / rel_name, out)
        os.chmod(out, 0o644)
        written.append(rel_name)
    missing = set(SPECIFIC) - set(written)
    if missing:
        raise SystemExit(f"reference files gone: {sorted(missing)}")
    return written


def differences(top: Path, reference: Path = REFERENCE) -> list[str]:
    """Template files that differ from a fresh conversion of the reference (or exist on one side only)."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / TOP
        write_template(fresh, reference)
        want = {str(p.relative_to(fresh)) for p in fresh.rglob("*") if p.is_file()}
        have = {str(p.relative_to(top)) for p in top.rglob("*") if p.is_file()}
        changed = [rel for rel in sorted(want & have) if not filecmp.cmp(fresh / rel, top / rel, shallow=False)
                   or (fresh / rel).stat().st_mode != (top / rel).stat().st_mode]
        return sorted(want ^ have) + changed


def main(argv: list[str]) -> int:
    top = REPO / "templates" / "pmd" / TOP
    if argv[1:] == ["--check"]:
        diff = differences(top)
        print("\n".join(diff) if diff else "templates/pmd is in sync with reference_drivers/mqnic")
        return 1 if diff else 0
    shutil.rmtree(top, ignore_errors=True)
    print(f"wrote {len(write_template(top))} files into {top}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
