"""The PMD template against the reference mqnic driver, its options, and `kit new-pmd`'s refusals.

Every refusal must be one line on stderr, exit code 2, and leave the file system as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kit.cli import main
from kit.errors import KitError
from kit.project import find_project
from kit.scaffold import installed_net_drivers, pmd_answers, render, template_dir
from kit.scaffold.validate import validate_name

from .test_template import snapshot, tree

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "reference_drivers" / "mqnic"
PROJECT_DOCS = REPO / "tools" / "pmd_template_docs"


def test_defaults_render_the_reference_pmd_byte_for_byte(tmp_path: Path) -> None:
    """Steps: render templates/pmd with its defaults. Verify: same files, bytes and exec bits as reference mqnic,
    but for the docs a project gets instead of the reference's README (tools/pmd_template_docs)."""
    project = render("pmd", tmp_path, {})
    assert project == tmp_path / "mqnic"
    got, want = tree(project), tree(REFERENCE)
    own = {str(p.relative_to(PROJECT_DOCS)) for p in PROJECT_DOCS.rglob("*") if p.is_file()}
    assert {"README.md", "docs/porting.md"} <= own <= set(got)
    for rel in own:
        got.pop(rel)
        want.pop(rel, None)
    assert sorted(got) == sorted(want)
    for rel in want:
        assert got[rel][0] == want[rel][0], f"{rel} differs from the reference"
        assert got[rel][1] == want[rel][1], f"{rel}: executable bits differ"
    assert {"meson.build", "src/mqnic_ethdev.c", "tests/test_conformance.py", "doc/mqnic.ini",
            ".github/workflows/ci.yml"} <= set(got)
    assert not [p for p in tmp_path.iterdir() if p.name != "mqnic"], "staging directory left behind"


def test_plain_cookiecutter_renders_the_same(tmp_path: Path) -> None:
    from cookiecutter.main import cookiecutter

    config = tmp_path / "config.yaml"
    config.write_text(f"replay_dir: {tmp_path / 'replay'}\ncookiecutters_dir: {tmp_path / 'cc'}\n")
    answers = {"name": "acme", "vendor_id": "0x1d6a", "device_id": "0x0001", "max_queues": "8",
               "ring_size": "512", "mac": "02:aa:bb:cc:dd:10"}
    cookiecutter(str(template_dir("pmd")), no_input=True, output_dir=str(tmp_path / "out"), config_file=str(config),
                 extra_context=answers)
    assert tree(tmp_path / "out" / "acme") == tree(render("pmd", tmp_path / "ours", answers))


def test_options_reach_the_sources(tmp_path: Path) -> None:
    project = render("pmd", tmp_path, {"name": "acme", "vendor_id": "0x1D6A", "device_id": "1", "max_queues": 8,
                                       "ring_size": "512", "mac": "02:AA:bb:cc:dd:10", "author": "ACME Inc."})
    files = {str(p.relative_to(project)): p.read_text() for p in project.rglob("*") if p.is_file()}
    assert "src/acme_ethdev.c" in files and "doc/acme.ini" in files and "tests/test_acme.c" in files
    for rel, text in files.items():
        assert "mqnic" not in text and "MQNIC" not in text, rel
    assert "{ RTE_PCI_DEVICE(0x1d6a, 0x0001) },\n\t{ .vendor_id = 0 }," in files["src/acme_pci.c"]
    assert "0x5543" not in files["src/acme_pci.c"], "Corundum's second id goes with Corundum's default id only"
    assert 'PCI_IDS = ["1d6a:0001"]' in files["tests/test_conformance.py"]
    assert "#define ACME_MAX_QUEUES\t\t8\n" in files["src/acme_hw.h"]
    assert "#define ACME_DEFAULT_RING_SIZE\t512\n" in files["src/acme.h"]
    assert "(uint8_t)(0x10 + sim_instances)" in files["src/acme_sim.c"]
    assert '"=<1-8> "' in files["src/acme_sim.c"] and '"queues=9"' in files["tests/test_acme.c"]
    assert "RTE_PMD_REGISTER_PCI(net_acme," in files["src/acme_pci.c"]
    assert "RTE_PMD_REGISTER_VDEV(net_acme_sim," in files["src/acme_sim.c"]
    assert "Copyright(c) 2026 ACME Inc." in files["meson.build"]
    assert "; Supported features of the 'acme' network poll mode driver." in files["doc/acme.ini"]
    found = find_project(project)
    assert (found.kind, found.name, found.plugin.name) == ("pmd", "acme", "librte_net_acme.so")


def test_feature_matrix_uses_dpdk_feature_names() -> None:
    """doc/<name>.ini names only features of DPDK 22.11's doc/guides/nics/features/default.ini, in its order."""
    default = ["Speed capabilities", "Link speed configuration", "Link status", "Link status event",
               "Removal event", "Queue status event", "Rx interrupt", "Lock-free Tx queue", "Fast mbuf free",
               "Free Tx mbuf on demand", "Queue start/stop", "Runtime Rx queue setup", "Runtime Tx queue setup",
               "Shared Rx queue", "Burst mode info", "Power mgmt address monitor", "MTU update", "Buffer split on Rx",
               "Scattered Rx", "LRO", "TSO", "Promiscuous mode", "Allmulticast mode", "Unicast MAC filter",
               "Multicast MAC filter", "RSS hash", "RSS key update", "RSS reta update", "Inner RSS", "VMDq", "SR-IOV",
               "DCB", "VLAN filter", "Flow control", "Rate limitation", "Congestion management", "Traffic manager",
               "Inline crypto", "Inline protocol", "CRC offload", "VLAN offload", "QinQ offload", "FEC",
               "IP reassembly", "L3 checksum offload", "L4 checksum offload", "Timestamp offload", "MACsec offload",
               "Inner L3 checksum", "Inner L4 checksum", "Packet type parsing", "Timesync", "Rx descriptor status",
               "Tx descriptor status", "Basic stats", "Extended stats", "Stats per queue", "FW version", "EEPROM dump",
               "Module EEPROM dump", "Registers dump", "LED", "Multiprocess aware", "FreeBSD", "Linux", "Windows",
               "ARMv7", "ARMv8", "LoongArch64", "Power8", "rv64", "x86-32", "x86-64", "Usage doc", "Design doc",
               "Perf doc"]
    lines = (REFERENCE / "doc" / "mqnic.ini").read_text().splitlines()
    assert lines[lines.index("[Features]") - 1] == ";"
    features = [line.split("=")[0].strip() for line in lines[lines.index("[Features]") + 1:] if line]
    assert features == [f for f in default if f in features], "unknown feature or not in default.ini's order"
    assert all(line.split("=")[1].strip() in ("Y", "P") for line in lines if "=" in line and not line.startswith(";"))


def test_net_driver_names_come_from_the_plugin_directory(tmp_path: Path) -> None:
    (tmp_path / "librte_net_foo.so").write_bytes(b"")
    (tmp_path / "librte_net_foo.so.23").write_bytes(b"")
    (tmp_path / "librte_mempool_bar.so").write_bytes(b"")
    assert installed_net_drivers(tmp_path) == ("foo",)
    assert "null" in installed_net_drivers(tmp_path / "missing")  # DPDK 22.11's list as the fallback


@pytest.mark.parametrize(("name", "expect"), [
    ("acme-nic", "only contain lower-case letters"),
    ("9acme", "starts with a digit"),
    ("nul", "prefixes the installed DPDK net driver name 'null'"),
    ("ring2", "starts with the installed DPDK net driver name 'ring'"),
    ("i40e", "is the installed DPDK net driver name 'i40e'"),
    ("switch", "C keyword"),
])
def test_bad_pmd_names_are_refused(name: str, expect: str) -> None:
    with pytest.raises(KitError, match=expect):
        validate_name(name, kind="pmd")


@pytest.mark.parametrize(("answers", "expect"), [
    ({"vendor_id": "0x10000"}, "PCI vendor id 0x10000 is out of range"),
    ({"device_id": "-1"}, "out of range"),
    ({"device_id": "0xzz"}, "is not a number"),
    ({"ring_size": "1000"}, "ring size 1000 is not a power of two"),
    ({"ring_size": "65536"}, "not a power of two between 64 and 32768"),
    ({"max_queues": "3"}, "queue maximum 3 is out of range"),
    ({"max_queues": "129"}, "queue maximum 129 is out of range"),
    ({"mac": "03:00:00:00:00:01"}, "multicast"),
    ({"mac": "02:00:00:00:01"}, "six hex bytes"),
])
def test_bad_options_are_refused(answers: dict[str, str], expect: str) -> None:
    with pytest.raises(KitError, match=expect):
        pmd_answers(answers)


def test_options_are_normalized() -> None:
    assert pmd_answers({"vendor_id": "4660", "device_id": "0xFFFF", "ring_size": "0x40", "max_queues": 128,
                        "mac": "02-AA-00-00-00-00"}) == {"vendor_id": "0x1234", "device_id": "0xffff",
                                                         "ring_size": "64", "max_queues": "128",
                                                         "mac": "02:aa:00:00:00:00"}


@pytest.mark.parametrize("args", [
    ["acme-nic"], ["9acme"], ["acme", "--device-id", "0x10000"], ["acme", "--vendor-id", "65536"],
    ["acme", "--ring-size", "1000"], ["acme", "--max-queues", "0"], ["acme", "--mac", "ff:ff:ff:ff:ff:ff"],
    ["null"],
])
def test_cli_refusals_leave_the_disk_alone(args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "projects"  # does not exist: must not be created either
    before = snapshot(tmp_path)
    code = main(["new-pmd", *args, "-o", str(out_dir)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("kit new-pmd: error: ") and "fix:" in err, err
    assert snapshot(tmp_path) == before


def test_cli_refuses_an_existing_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "notes.txt").write_text("mine\n")
    before = snapshot(tmp_path)
    code = main(["new-pmd", "acme", "-o", str(tmp_path)])
    _, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "already exists" in err and "--force" in err
    assert snapshot(tmp_path) == before
    assert main(["new-pmd", "acme", "-o", str(tmp_path), "--force"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "acme")
    assert (tmp_path / "acme" / "notes.txt").read_text() == "mine\n"
    assert (tmp_path / "acme" / "src" / "acme_ethdev.c").is_file()
