"""What a PMD's datapath would cost on a PCIe device, from the transactions its NIC model counted.

A driver whose plugin has a NIC model exports the model's counts as xstats named `pcie_*` (the reference PMD
does; docs/benchmarks.md, "PCIe transactions"): MMIO reads and writes the driver made, DMA reads and writes the
NIC made with their bytes, interrupts. `kit bench` reads them around its measured runs and turns them into figures
per packet and per burst, and into an estimate in nanoseconds from the small cost table below.

The estimate is deliberately simple: the core stalls for each MMIO read for a full PCIe round trip and pays a
fixed cost per posted MMIO write; DMA costs link time, (payload + per-TLP overhead) / bandwidth, in the busier
direction. It ignores overlap between the two, caches (DDIO), and read-completion splitting. It ranks datapaths
by what they ask of the bus; it does not predict a board's throughput.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from kit.errors import KitError

# the pcie_* xstats a driver exports (any subset; absent ones count as 0)
MMIO_READS = "pcie_mmio_reads"
MMIO_WRITES = "pcie_mmio_writes"
DMA_READS = "pcie_dma_reads"
DMA_READ_BYTES = "pcie_dma_read_bytes"
DMA_WRITES = "pcie_dma_writes"
DMA_WRITE_BYTES = "pcie_dma_write_bytes"
IRQS = "pcie_irqs"


@dataclass(frozen=True)
class Costs:
    """The cost table (docs/benchmarks.md gives the sources); `kit bench --pcie-cost KEY=VALUE,...` overrides it."""

    mmio_read_ns: float = 800.0  # an uncached read's round trip: the core waits for the device's completion
    mmio_write_ns: float = 100.0  # a posted (uncached) write, as the core pays for it
    link_gbps: float = 63.0  # per direction: PCIe 3.0 x8, 8 GT/s x 8 lanes x 128/130
    tlp_overhead_bytes: float = 24.0  # per TLP: 16-byte header (64-bit address), framing and sequence 4, LCRC 4

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def parse_costs(text: str | None) -> Costs:
    """`KEY=VALUE,...` over the defaults; KitError naming the bad part."""
    costs = Costs()
    if not text:
        return costs
    known = {f.name for f in fields(Costs)}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or key not in known:
            raise KitError(f"--pcie-cost: {part.strip()!r} is not KEY=VALUE with a known KEY",
                           f"use KEY=VALUE[,KEY=VALUE] with KEY among {', '.join(sorted(known))}")
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not number > 0:
            raise KitError(f"--pcie-cost: {key}={value.strip()!r} is not a positive number", f"e.g. {key}=100")
        costs = replace(costs, **{key: number})
    return costs


def figures(per_pkt: dict[str, float], costs: Costs) -> dict[str, float]:
    """Per packet and per burst counts, and the estimate (ns per packet), from pcie_* changes per packet."""
    def get(name: str) -> float:
        return per_pkt.get(name, 0.0)

    bursts = get("bursts")
    reads, writes = get(MMIO_READS), get(MMIO_WRITES)
    dma_tlps = get(DMA_READS) + get(DMA_WRITES)
    dma_bytes = get(DMA_READ_BYTES) + get(DMA_WRITE_BYTES)
    # device -> host: DMA writes and read requests (headers only); host -> device: read completions, MMIO writes
    up = get(DMA_WRITE_BYTES) + costs.tlp_overhead_bytes * (get(DMA_WRITES) + get(DMA_READS))
    down = get(DMA_READ_BYTES) + 4 * writes + costs.tlp_overhead_bytes * (get(DMA_READS) + writes)
    mmio_ns = reads * costs.mmio_read_ns + writes * costs.mmio_write_ns
    link_ns = max(up, down) * 8 / costs.link_gbps
    out = {"mmio_reads_per_pkt": reads, "mmio_writes_per_pkt": writes, "dma_per_pkt": dma_tlps,
           "dma_bytes_per_pkt": dma_bytes, "irqs_per_pkt": get(IRQS), "mmio_ns_per_pkt": mmio_ns,
           "link_ns_per_pkt": link_ns, "est_ns_per_pkt": mmio_ns + link_ns}
    if bursts > 0:
        out |= {"bursts_per_pkt": bursts, "mmio_reads_per_burst": reads / bursts,
                "mmio_writes_per_burst": writes / bursts, "dma_per_burst": dma_tlps / bursts}
    return out
