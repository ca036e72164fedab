"""Offloads through the harness: the mbuf fields rx offloads fill (ol_flags, hash.rss, vlan_tci, the rx timestamp
dynamic field), the tx offload request of an mbuf (ol_flags, l2/l3/l4_len, vlan_tci), and the offload and ol_flags
bit values of the DPDK in use (`bits()`). C side in csrc/offloads.c.
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.harness.eal import Eal
from kit.harness.mbuf import Mbuf


@dataclass(frozen=True)
class OffloadFields:
    ol_flags: int
    rss: int
    vlan_tci: int
    vlan_tci_outer: int
    timestamp: int  # the rx timestamp dynamic field; 0 when no driver registered it


def bits() -> dict[str, int]:
    """Every constant of csrc/cdef_offloads.h by name (RTE_MBUF_F_*, RTE_ETH_RX/TX_OFFLOAD_*, RTE_ETH_RSS_*)."""
    lib = Eal.current().lib
    return {name: int(getattr(lib, name)) for name in dir(lib)
            if name.startswith(("RTE_MBUF_F_", "RTE_ETH_RX_OFFLOAD_", "RTE_ETH_TX_OFFLOAD_", "RTE_ETH_RSS_"))}


def rx_timestamp_dynfield() -> tuple[int, int] | None:
    """(field offset, ol_flags bit) of the rx timestamp dynamic field, or None when nothing registered it."""
    eal = Eal.current()
    off = eal.ffi.new("int *")
    flag = eal.ffi.new("uint64_t *")
    if eal.lib.kh_rx_timestamp_dynfield(off, flag) != 0:
        return None
    return int(off[0]), int(flag[0])


def register_rx_timestamp() -> tuple[int, int]:
    """rte_mbuf_dyn_rx_timestamp_register, as a driver calls it: (field offset, ol_flags bit). The mbuf dynamic
    area is process-global and never freed; a driver's later registration gets the same field."""
    eal = Eal.current()
    off = eal.ffi.new("int *")
    flag = eal.ffi.new("uint64_t *")
    mark = eal.log_mark()
    eal.check(eal.lib.kh_rx_timestamp_register(off, flag), "rte_mbuf_dyn_rx_timestamp_register", mark)
    return int(off[0]), int(flag[0])


def offload_fields(mbuf: Mbuf, timestamp_offset: int = -1) -> OffloadFields:
    """The offload fields of an owned mbuf (a received one kept with rx_burst(keep=True))."""
    eal = mbuf._check()
    out = eal.ffi.new("struct kh_offload_fields *")
    eal.lib.kh_mbuf_offload_fields(mbuf.addr, timestamp_offset, out)
    return OffloadFields(int(out.ol_flags), int(out.rss), int(out.vlan_tci), int(out.vlan_tci_outer),
                         int(out.timestamp))


def request_tx_offload(mbuf: Mbuf, ol_flags: int, l2_len: int, l3_len: int, l4_len: int = 0,
                       vlan_tci: int = 0) -> None:
    """Ask the driver for tx offloads on an owned mbuf: ol_flags |= ol_flags, header lengths, vlan_tci."""
    eal = mbuf._check()
    eal.lib.kh_mbuf_set_tx_offload(mbuf.addr, ol_flags, l2_len, l3_len, l4_len, vlan_tci)
