"""C-side loops for benchmarks and soak tests: the per-object / per-packet work never enters Python.

Each returns a LoopResult with counts and TSC cycles (rte_rdtsc around the loop).
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.harness.eal import Eal
from kit.harness.errors import HarnessUsageError
from kit.harness.ethdev import MAX_BURST, Port
from kit.harness.mbuf import PktmbufPool
from kit.harness.mempool import Mempool


@dataclass(frozen=True)
class LoopResult:
    ops: int  # objects taken and returned (mempool) or packets received / sent / forwarded
    dropped: int  # tx: packets the driver did not take (freed by the loop)
    polls: int  # rx/fwd: rx_burst calls; tx: tx_burst calls
    cycles: int
    tsc_hz: int

    @property
    def cycles_per_op(self) -> float:
        return self.cycles / self.ops if self.ops else float("inf")

    @property
    def seconds(self) -> float:
        return self.cycles / self.tsc_hz if self.tsc_hz else 0.0


def _result(eal: Eal, res: object, call: str) -> LoopResult:
    out = LoopResult(res.ops, res.dropped, res.polls, res.cycles, int(eal.lib.kh_tsc_hz()))  # type: ignore[attr-defined]
    rc = int(res.rc)  # type: ignore[attr-defined]
    if rc < 0:
        raise eal.error(call, rc, 0, detail=f"after {out.ops} ops")
    return out


def _burst(burst: int) -> None:
    if not 0 < burst <= MAX_BURST:
        raise HarnessUsageError(f"burst {burst}: must be 1..{MAX_BURST}")


def mempool_loop(pool: Mempool, *, bulk: int = 32, n_keep: int = 128, iterations: int = 100_000) -> LoopResult:
    """Per iteration: get n_keep objects in bulks of `bulk`, put them back in bulks of `bulk`."""
    eal = pool._check_populated()
    if bulk <= 0 or n_keep <= 0 or n_keep % bulk or n_keep > min(pool.size, 2048) or iterations < 0:
        raise HarnessUsageError(
            f"mempool loop bulk={bulk} n_keep={n_keep}: n_keep must be a multiple of bulk and <= pool size (and 2048)"
        )
    res = eal.ffi.new("struct kh_loop_result *")
    eal.lib.kh_loop_mempool(pool.ptr, bulk, n_keep, iterations, res)
    return _result(eal, res, "kh_loop_mempool (rte_mempool_get_bulk)")


def rx_loop(port: Port, *, queue: int = 0, burst: int = 32, packets: int = 1_000_000,
            max_polls: int | None = None) -> LoopResult:
    """Receive until `packets` arrived (or max_polls rx bursts, default 4 * packets + 1000), freeing each burst."""
    _burst(burst)
    eal, _ = port._rx_queue(queue)
    polls = 4 * packets + 1000 if max_polls is None else max_polls
    res = eal.ffi.new("struct kh_loop_result *")
    eal.lib.kh_loop_rx(port.port_id, queue, burst, packets, polls, res)
    return _result(eal, res, "kh_loop_rx")


def tx_loop(port: Port, pool: PktmbufPool, *, queue: int = 0, burst: int = 32, packets: int = 1_000_000,
            pkt_len: int = 64) -> LoopResult:
    """Offer `packets` packets of pkt_len (uninitialised payload) in bursts; untaken ones are freed."""
    _burst(burst)
    eal = port._tx_queue(queue)
    if not 0 < pkt_len <= pool.max_packet_len:
        raise HarnessUsageError(f"pkt_len {pkt_len}: must be 1..{pool.max_packet_len} for pool {pool.name!r}")
    res = eal.ffi.new("struct kh_loop_result *")
    eal.lib.kh_loop_tx(port.port_id, queue, pool.ptr, burst, pkt_len, packets, res)
    return _result(eal, res, "kh_loop_tx (rte_pktmbuf_alloc_bulk)")


def fwd_loop(rx_port: Port, tx_port: Port, *, rx_queue: int = 0, tx_queue: int = 0, burst: int = 32,
             packets: int = 1_000_000, max_polls: int | None = None) -> LoopResult:
    """rx from rx_port, tx to tx_port, free the untaken, until `packets` were received (or max_polls)."""
    _burst(burst)
    eal, _ = rx_port._rx_queue(rx_queue)
    tx_port._tx_queue(tx_queue)
    polls = 4 * packets + 1000 if max_polls is None else max_polls
    res = eal.ffi.new("struct kh_loop_result *")
    eal.lib.kh_loop_fwd(rx_port.port_id, rx_queue, tx_port.port_id, tx_queue, burst, packets, polls, res)
    return _result(eal, res, "kh_loop_fwd")
