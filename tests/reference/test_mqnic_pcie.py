"""The reference PMD's PCIe traffic, as its xstats count it (issue 14): an idle poll touches no register, a burst
rings one doorbell per side and reads none; the model's transfer counters add up to what moved.

Steps: build the reference PMD, then in a child EAL set up a sim port (wire=sink: nothing arrives; wire=loopback:
what is sent comes back), poll it and send through it. Verify with the xstats: pcie_mmio_reads/writes and the
per-queue register counts (the core's counting accessors), pcie_dma_* and the rx/tx_q0_dma_* counters (the model's).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from kit.harness import EalConfig, PktmbufPool, Port, run_in_child
from kit.paths import cache_root
from kit.toolchain.dpdk import find_dpdk
from kit.toolchain.meson import build_driver
from kit.toolchain.sdk import ensure_sdk

SOURCE = Path(__file__).resolve().parents[2] / "reference_drivers" / "mqnic"
POLLS = 1000


@pytest.fixture(scope="module")
def plugin() -> Path:
    sdk = ensure_sdk(find_dpdk()).include_dir
    out = cache_root() / "builds" / f"mqnic-tests-{hashlib.sha256(str(SOURCE).encode()).hexdigest()[:8]}"
    build_driver(SOURCE, out, options=[f"-Dsdk_include={sdk}"])
    return out / "librte_net_mqnic.so"


def _mmio(x: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in x.items() if "mmio" in k}


def _idle() -> tuple[dict[str, int], dict[str, int]]:
    pool = PktmbufPool.create("idle", 4095, cache_size=0)
    port = Port.by_name("net_mqnic_sim0").setup(pool)
    port.rx_burst(n=32)  # start has posted the RX ring and rung its doorbell: from here on, nothing moves
    before = port.xstats()
    for _ in range(POLLS):
        assert port.rx_burst(n=32) == []
        assert port.tx_burst_mbufs([]) == 0
    return before, port.xstats()


def _loop() -> tuple[dict[str, int], dict[str, int], int]:
    pool = PktmbufPool.create("loop", 4095, cache_size=0)
    port = Port.by_name("net_mqnic_sim0").setup(pool)
    port.rx_burst(n=32)
    frame = bytes.fromhex("020000000100" "020000000001" "0800") + bytes(50)
    before = port.xstats()
    received = 0
    for _ in range(64):
        assert port.tx_burst([frame] * 32) == 32
        received += len(port.rx_burst(n=32))
    return before, port.xstats(), received


def test_idle_poll_touches_no_register(plugin: Path) -> None:
    before, after = run_in_child(_idle, eal=EalConfig(vdevs=("net_mqnic_sim0,wire=sink",), plugins=(plugin,)))
    assert {"pcie_mmio_reads", "pcie_mmio_writes", "rx_q0_mmio_reads_cq_head_ptr",
            "tx_q0_mmio_writes_head_ptr"} <= set(after), sorted(after)
    moved = {k: after[k] - before[k] for k in _mmio(after) if after[k] != before[k]}
    assert moved == {}, f"{POLLS} idle polls made MMIO accesses: {moved}"
    assert after["pcie_dma_writes"] == before["pcie_dma_writes"]


def test_loopback_bursts_ring_one_doorbell_per_side_and_read_none(plugin: Path) -> None:
    before, after, received = run_in_child(
        _loop, eal=EalConfig(vdevs=("net_mqnic_sim0,wire=loopback",), plugins=(plugin,)))
    assert received == 64 * 32
    d = {k: after[k] - before[k] for k in after}
    assert d["pcie_mmio_reads"] == 0, _mmio(d)
    # TX: one doorbell per burst; RX: a refill doorbell per 32 buffers given back (MQNIC_RX_REFILL_THRESH)
    assert d["tx_q0_mmio_writes_head_ptr"] == 64
    assert d["rx_q0_mmio_writes_head_ptr"] <= 64
    assert d["pcie_mmio_writes"] == d["tx_q0_mmio_writes_head_ptr"] + d["rx_q0_mmio_writes_head_ptr"]
    # the model: 2048 TX and 2048 RX descriptors and completions, 64-byte frames both ways
    assert d["tx_q0_dma_cpl_writes"] == d["rx_q0_dma_cpl_writes"] == 2048
    assert d["tx_q0_dma_desc_read_bytes"] == d["rx_q0_dma_desc_read_bytes"] == 2048 * 16
    assert d["tx_q0_dma_data_read_bytes"] == d["rx_q0_dma_data_write_bytes"] == 2048 * 64
    assert d["pcie_dma_write_bytes"] == 2 * 2048 * 32 + 2048 * 64
    assert d["tx_q0_doorbells_seen"] == 64  # the model steps after each TX burst: it sees each doorbell
    assert d["pcie_irqs"] == 0


def test_datapath_touches_registers_only_through_the_counting_accessors() -> None:
    """The MMIO counts are complete only if no datapath function reads or writes a register directly."""
    source = "".join((SOURCE / "src" / f).read_text() for f in ("mqnic_ethdev.c", "mqnic_rxtx.c"))
    for name in ("mqnic_recv", "mqnic_recv_pkts", "mqnic_xmit_pkts", "mqnic_tx_reap_t", "mqnic_rx_refill",
                 "mqnic_ring_start", "mqnic_cpl_new", "mqnic_cpl_avail", "mqnic_ring_done",
                 "mqnic_recv_scattered_pkts", "mqnic_rx_refill_blocks", "mqnic_xmit_pkts_offload"):
        start = source.index(f"\n{name}(")
        body = source[start:source.index("\n}\n", start)]
        direct = re.findall(r"\brte_(?:read|write)\d+(?:_relaxed)?\(", body)
        assert not direct, f"{name} calls {direct}: use mqnic_ring_read/mqnic_ring_write (src/mqnic.h)"
