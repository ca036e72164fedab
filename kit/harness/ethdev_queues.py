"""Per-queue ethdev calls through the harness, for the conformance suite's queue checks: rx/tx queue info,
deferred-start queue setup, queue start/stop, rx_queue_count, rx/tx descriptor status, tx_prepare and
rte_eth_dev_adjust_nb_rx_tx_desc. Functions of a Port (kit.harness.ethdev), C side in csrc/ethdev_queues.c.

Every DPDK failure raises DpdkError (errno, the DPDK log line) like Port's own calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kit.harness.errors import HarnessUsageError
from kit.harness.ethdev import Port
from kit.harness.mbuf import Mbuf, PktmbufPool

# rte_eth_rx_descriptor_status / rte_eth_tx_descriptor_status answers (rte_ethdev.h)
RX_DESC_AVAIL, RX_DESC_DONE, RX_DESC_UNAVAIL = 0, 1, 2
TX_DESC_FULL, TX_DESC_DONE, TX_DESC_UNAVAIL = 0, 1, 2
QUEUE_STATE_STOPPED, QUEUE_STATE_STARTED = 0, 1


@dataclass(frozen=True)
class RxqInfo:
    """rte_eth_rxq_info (the fields checks use); mp is the pool's address."""

    mp: int
    offloads: int
    nb_desc: int
    rx_buf_size: int
    deferred_start: bool
    scattered_rx: bool
    queue_state: int


@dataclass(frozen=True)
class TxqInfo:
    offloads: int
    nb_desc: int
    deferred_start: bool
    queue_state: int


def _u16(what: str, *values: int) -> None:
    if not all(0 <= v <= 0xFFFF for v in values):
        raise HarnessUsageError(f"{what}{values}: values must fit in 16 bits")


def rx_queue_info(port: Port, queue: int) -> RxqInfo:
    """rte_eth_rx_queue_info_get."""
    _u16("rx_queue_info", queue)
    out = port._eal.ffi.new("struct kh_rxq_info *")
    port._call("rte_eth_rx_queue_info_get", port._eal.lib.kh_eth_rxq_info, queue, out)
    return RxqInfo(int(out.mp), out.offloads, out.nb_desc, out.rx_buf_size, bool(out.deferred_start),
                   bool(out.scattered_rx), out.queue_state)


def tx_queue_info(port: Port, queue: int) -> TxqInfo:
    """rte_eth_tx_queue_info_get."""
    _u16("tx_queue_info", queue)
    out = port._eal.ffi.new("struct kh_txq_info *")
    port._call("rte_eth_tx_queue_info_get", port._eal.lib.kh_eth_txq_info, queue, out)
    return TxqInfo(out.offloads, out.nb_desc, bool(out.deferred_start), out.queue_state)


def rx_queue_setup_deferred(port: Port, queue: int, pool: PktmbufPool, nb_desc: int = 0) -> None:
    """rte_eth_rx_queue_setup with rx_deferred_start set (the driver's default rxconf otherwise). The queue is
    first set up the ordinary way so the Port knows it and its pool; the deferred setup then replaces it."""
    _u16("rx_queue_setup_deferred", queue, nb_desc)
    port.rx_queue_setup(queue, pool, nb_desc)
    port._call("rte_eth_rx_queue_setup", port._eal.lib.kh_eth_rx_queue_setup_deferred, queue, nb_desc,
               port.socket_id(), pool.ptr)


def tx_queue_setup_deferred(port: Port, queue: int, nb_desc: int = 0) -> None:
    """rte_eth_tx_queue_setup with tx_deferred_start set (see rx_queue_setup_deferred)."""
    _u16("tx_queue_setup_deferred", queue, nb_desc)
    port.tx_queue_setup(queue, nb_desc)
    port._call("rte_eth_tx_queue_setup", port._eal.lib.kh_eth_tx_queue_setup_deferred, queue, nb_desc,
               port.socket_id())


def queue_start(port: Port, queue: int, *, tx: bool) -> None:
    """rte_eth_dev_rx_queue_start / rte_eth_dev_tx_queue_start."""
    _u16("queue_start", queue)
    name = "rte_eth_dev_tx_queue_start" if tx else "rte_eth_dev_rx_queue_start"
    port._call(name, port._eal.lib.kh_eth_queue_state_set, queue, int(tx), 1)


def queue_stop(port: Port, queue: int, *, tx: bool) -> None:
    """rte_eth_dev_rx_queue_stop / rte_eth_dev_tx_queue_stop."""
    _u16("queue_stop", queue)
    name = "rte_eth_dev_tx_queue_stop" if tx else "rte_eth_dev_rx_queue_stop"
    port._call(name, port._eal.lib.kh_eth_queue_state_set, queue, int(tx), 0)


def rx_queue_count(port: Port, queue: int) -> int:
    """rte_eth_rx_queue_count: used descriptors of the queue."""
    port._rx_queue(queue)
    return port._call("rte_eth_rx_queue_count", port._eal.lib.kh_eth_rx_queue_count, queue)


def rx_descriptor_status(port: Port, queue: int, offset: int) -> int:
    """rte_eth_rx_descriptor_status: RX_DESC_AVAIL, RX_DESC_DONE or RX_DESC_UNAVAIL."""
    port._rx_queue(queue)
    _u16("rx_descriptor_status", offset)
    return port._call("rte_eth_rx_descriptor_status", port._eal.lib.kh_eth_rx_descriptor_status, queue, offset)


def tx_descriptor_status(port: Port, queue: int, offset: int) -> int:
    """rte_eth_tx_descriptor_status: TX_DESC_FULL, TX_DESC_DONE or TX_DESC_UNAVAIL."""
    port._tx_queue(queue)
    _u16("tx_descriptor_status", offset)
    return port._call("rte_eth_tx_descriptor_status", port._eal.lib.kh_eth_tx_descriptor_status, queue, offset)


def tx_prepare(port: Port, mbufs: Sequence[Mbuf], queue: int = 0) -> int:
    """rte_eth_tx_prepare: how many of the mbufs (the first ones) are ready to send; DpdkError with the first
    refused mbuf's rte_errno when none is. The caller keeps every mbuf."""
    eal = port._tx_queue(queue)
    for m in mbufs:
        m._check()
    table = eal.ffi.new("uintptr_t[]", [m.addr for m in mbufs] or [0])
    return port._call("rte_eth_tx_prepare", eal.lib.kh_eth_tx_prepare, queue, table, len(mbufs))


def adjust_nb_desc(port: Port, nb_rx: int, nb_tx: int) -> tuple[int, int]:
    """rte_eth_dev_adjust_nb_rx_tx_desc: the counts the driver's limits make of the requested ones."""
    _u16("adjust_nb_desc", nb_rx, nb_tx)
    rx = port._eal.ffi.new("uint16_t *", nb_rx)
    tx = port._eal.ffi.new("uint16_t *", nb_tx)
    port._call("rte_eth_dev_adjust_nb_rx_tx_desc", port._eal.lib.kh_eth_adjust_nb_desc, rx, tx)
    return int(rx[0]), int(tx[0])
