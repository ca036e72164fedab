"""`kit bench` reports a PMD's PCIe transactions from its NIC model, and they tell a slow datapath from a fast one.

Steps: build the reference PMD twice, as is and as a deliberately slow variant (-DMQNIC_VARIANT_POLL_HEAD_PTR:
completions found by reading the completion queue's HEAD_PTR on every poll, one MMIO read each, as the driver did
before its phase bit), and run `kit bench --pmd net_mqnic_sim0,wire=gen --quick` on each.
Verify: the reference meets issue 14's acceptance at forward burst 32 (0 MMIO reads per packet, <= 2 doorbell writes
per burst, PMD <= 0.95x net_null); the variant reads one register per poll on each side (2 per forward burst) and
its estimated PCIe cost rises by about those reads times the table's read latency; --pcie-cost moves the estimate;
a bad --pcie-cost is one line, exit 2.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from kit.cli import main
from kit.paths import cache_root
from kit.toolchain.dpdk import find_dpdk
from kit.toolchain.meson import build_driver
from kit.toolchain.sdk import ensure_sdk

pytestmark = pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")

SOURCE = Path(__file__).resolve().parents[2] / "reference_drivers" / "mqnic"
FWD32 = "net_mqnic_sim0,wire=gen mode=fwd burst=32"


def _build(variant: str, c_args: str | None) -> Path:
    sdk = ensure_sdk(find_dpdk()).include_dir
    tag = hashlib.sha256(str(SOURCE).encode()).hexdigest()[:8]
    out = cache_root() / "builds" / f"mqnic-bench-{variant}-{tag}"
    options = [f"-Dsdk_include={sdk}", *([f"-Dc_args={c_args}"] if c_args else [])]
    build_driver(SOURCE, out, options=options)
    return out / "librte_net_mqnic.so"


def _bench(capsys: pytest.CaptureFixture[str], plugin: Path, out: Path, *extra: str) -> tuple[dict, str]:
    rc = main(["bench", "--pmd", "net_mqnic_sim0,wire=gen", "--plugin", str(plugin), "--quick", "--reps", "1",
               "--out", str(out), *extra])
    text = capsys.readouterr().out
    assert rc == 0, text
    return json.loads((out / "pmd-net_mqnic_sim0.json").read_text()), text


def _row(data: dict, key: str = FWD32) -> dict:
    return next(r for r in data["rows"] if r["key"] == key)


def test_phase_bit_pmd_against_head_ptr_polling_variant(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fast, fast_text = _bench(capsys, _build("plain", None), tmp_path / "fast")
    slow, _ = _bench(capsys, _build("poll-head-ptr", "-DMQNIC_VARIANT_POLL_HEAD_PTR"), tmp_path / "slow")

    acc = fast["acceptance"]
    assert acc["pcie_ok"] and acc["pmd_ok"], acc
    assert acc["mmio_reads_per_pkt"] == 0 and acc["doorbells_per_burst"] <= 2, acc
    assert "PCIe transactions per packet" in fast_text and "| net_mqnic_sim0,wire=gen | fwd | 32 | 0.000 |" in fast_text
    f, s = _row(fast)["pcie"], _row(slow)["pcie"]
    assert f["mmio_reads_per_burst"] == 0
    # the variant reads HEAD_PTR on the RX poll and on each TX reap (one per two bursts at forward burst 32)
    assert 1.4 <= s["mmio_reads_per_burst"] <= 2.0, s
    assert not slow["acceptance"]["pcie_ok"]
    read_ns = fast["pcie_costs"]["mmio_read_ns"]
    assert s["est_ns_per_pkt"] - f["est_ns_per_pkt"] == pytest.approx(s["mmio_reads_per_pkt"] * read_ns, rel=0.05)
    # the same DMA either way: the variant changes how the driver finds completions, not what moves
    assert s["dma_bytes_per_pkt"] == pytest.approx(f["dma_bytes_per_pkt"])
    # rx-only: one read per poll
    assert _row(slow, "net_mqnic_sim0,wire=gen mode=rx burst=32")["pcie"]["mmio_reads_per_burst"] == pytest.approx(1)
    # references export no pcie_* xstats: no PCIe figures for them
    assert not _row(fast, "net_null mode=fwd burst=32")["pcie"]


def test_pcie_cost_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, _ = _bench(capsys, _build("plain", None), tmp_path, "--pcie-cost", "mmio_write_ns=1000,link_gbps=126")
    assert data["pcie_costs"]["mmio_write_ns"] == 1000 and data["pcie_costs"]["link_gbps"] == 126
    p = _row(data)["pcie"]
    assert p["mmio_ns_per_pkt"] == pytest.approx(p["mmio_writes_per_pkt"] * 1000)


@pytest.mark.parametrize("cost", ["mmio_read=5", "mmio_read_ns=-1", "mmio_read_ns"])
def test_bad_pcie_cost_one_line(capsys: pytest.CaptureFixture[str], cost: str) -> None:
    rc = main(["bench", "--pmd", "net_null0", "--quick", "--pcie-cost", cost])
    err = capsys.readouterr().err
    assert rc == 2 and err.splitlines() == [err.strip()] and "--pcie-cost" in err, err
