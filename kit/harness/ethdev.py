"""Ethernet ports through the harness: discovery, info, configure, queues, start/stop/close, link,
stats, xstats, promiscuous/allmulticast, MAC, MTU, RSS, and rx/tx bursts.

A Port is a handle on a port id; what the harness must know to keep calls safe (configured queue
counts, which queues are set up and with which pool, whether the port was closed) lives in one
per-port record shared by all handles. Every DPDK failure raises DpdkError with the errno and the
DPDK log line; calls on a closed or unknown port raise HarnessUsageError before reaching DPDK.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kit.harness.eal import Eal
from kit.harness.errors import HarnessUsageError
from kit.harness.ethdev_settings import PortSettings
from kit.harness.ethdev_types import DescLim, DevInfo, Link, RxPacket, Stats
from kit.harness.mbuf import Mbuf, PktmbufPool, mark_sent, pool_of_mbuf, read_fields

MAX_BURST = 512  # KH_MAX_BURST in csrc/dpdk_includes.h
# Stats' per-queue fields (rte_eth_stats' arrays before DPDK 25.11) and the xstats that carry them (N: the queue).
QUEUE_STATS = {"q_ipackets": "rx_qN_packets", "q_opackets": "tx_qN_packets", "q_ibytes": "rx_qN_bytes",
               "q_obytes": "tx_qN_bytes", "q_errors": "rx_qN_errors"}
# RTE_ETHDEV_QUEUE_STAT_CNTRS of DPDK 25.11, where only ethdev_driver.h defines it (ethdev fills the rx_qN_*
# xstats for that many queues)
QUEUE_STAT_SLOTS = 16


@dataclass
class _PortState:
    nb_rx: int = 0
    nb_tx: int = 0
    rx_pools: dict[int, PktmbufPool] = field(default_factory=dict)
    tx_queues: set[int] = field(default_factory=set)
    started: bool = False


_STATE: dict[int, _PortState] = {}
_CLOSED: dict[int, str] = {}  # port id -> name, for ports closed through the harness


class Port(PortSettings):
    """A handle on an ethdev port id. Port(id), Port.by_name(name), Port.all()."""

    def __init__(self, port_id: int) -> None:
        eal = Eal.current()
        if not isinstance(port_id, int) or not 0 <= port_id < int(eal.lib.RTE_MAX_ETHPORTS):
            raise HarnessUsageError(f"bad port id {port_id!r}; ports: {_describe_ports(eal)}")
        if not eal.lib.rte_eth_dev_is_valid_port(port_id):
            closed = f" (closed: it was {_CLOSED[port_id]})" if port_id in _CLOSED else ""
            raise HarnessUsageError(f"no port {port_id}{closed}; ports: {_describe_ports(eal)}")
        self._eal = eal
        self.port_id = port_id
        buf = eal.ffi.new("char[]", int(eal.lib.RTE_ETH_NAME_MAX_LEN))
        eal.lib.rte_eth_dev_get_name_by_port(port_id, buf)
        self.name = eal.ffi.string(buf).decode()
        _STATE.setdefault(port_id, _PortState())

    @staticmethod
    def all() -> list[Port]:
        """Every valid port, in id order (RTE_ETH_FOREACH_DEV)."""
        eal = Eal.current()
        return [Port(p) for p in _port_ids(eal)]

    @staticmethod
    def by_name(name: str) -> Port:
        """rte_eth_dev_get_port_by_name (e.g. "net_null0")."""
        eal = Eal.current()
        pid = eal.ffi.new("uint16_t *")
        mark = eal.log_mark()
        eal.check(eal.lib.rte_eth_dev_get_port_by_name(name.encode(), pid), "rte_eth_dev_get_port_by_name", mark,
                  detail=repr(name), fix=f"ports: {_describe_ports(eal)}")
        return Port(int(pid[0]))

    def __repr__(self) -> str:
        return f"<Port {self.port_id} {self.name}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Port) and other.port_id == self.port_id

    def __hash__(self) -> int:
        return hash(self.port_id)

    # -- checks ---------------------------------------------------------------------------------

    def _check(self) -> tuple[Eal, _PortState]:
        eal = self._eal
        if not eal.alive:
            raise HarnessUsageError(f"port {self.port_id} ({self.name}): the EAL was cleaned up")
        state = _STATE.get(self.port_id)
        if state is None or not eal.lib.rte_eth_dev_is_valid_port(self.port_id):
            raise HarnessUsageError(f"port {self.port_id} ({self.name}) was closed", "use a port that exists")
        return eal, state

    def _call(self, name: str, fn: Any, *args: Any) -> int:
        eal, _ = self._check()
        mark = eal.log_mark()
        return eal.check(int(fn(self.port_id, *args)), name, mark, detail=f"port {self.port_id} ({self.name})")

    @property
    def valid(self) -> bool:
        return self._eal.alive and bool(self._eal.lib.rte_eth_dev_is_valid_port(self.port_id))

    @property
    def started(self) -> bool:
        state = _STATE.get(self.port_id)
        return bool(state and state.started)

    # -- info and configuration -----------------------------------------------------------------

    def info(self) -> DevInfo:
        eal, _ = self._check()
        raw = eal.ffi.new("struct rte_eth_dev_info *")
        self._call("rte_eth_dev_info_get", eal.lib.rte_eth_dev_info_get, raw)

        def lim(d: Any) -> DescLim:
            return DescLim(d.nb_max, d.nb_min, d.nb_align, d.nb_seg_max, d.nb_mtu_seg_max)

        return DevInfo(
            driver_name=eal.ffi.string(raw.driver_name).decode() if raw.driver_name else "",
            if_index=raw.if_index,
            min_mtu=raw.min_mtu,
            max_mtu=raw.max_mtu,
            min_rx_bufsize=raw.min_rx_bufsize,
            max_rx_pktlen=raw.max_rx_pktlen,
            max_lro_pkt_size=raw.max_lro_pkt_size,
            max_rx_queues=raw.max_rx_queues,
            max_tx_queues=raw.max_tx_queues,
            max_mac_addrs=raw.max_mac_addrs,
            max_hash_mac_addrs=raw.max_hash_mac_addrs,
            max_vfs=raw.max_vfs,
            max_vmdq_pools=raw.max_vmdq_pools,
            rx_offload_capa=raw.rx_offload_capa,
            tx_offload_capa=raw.tx_offload_capa,
            rx_queue_offload_capa=raw.rx_queue_offload_capa,
            tx_queue_offload_capa=raw.tx_queue_offload_capa,
            reta_size=raw.reta_size,
            hash_key_size=raw.hash_key_size,
            flow_type_rss_offloads=raw.flow_type_rss_offloads,
            rx_desc_lim=lim(raw.rx_desc_lim),
            tx_desc_lim=lim(raw.tx_desc_lim),
            speed_capa=raw.speed_capa,
            nb_rx_queues=raw.nb_rx_queues,
            nb_tx_queues=raw.nb_tx_queues,
            dev_capa=raw.dev_capa,
        )

    def socket_id(self) -> int:
        eal, _ = self._check()
        return int(eal.lib.rte_eth_dev_socket_id(self.port_id))

    def configure(
        self,
        nb_rx: int,
        nb_tx: int,
        *,
        rx_offloads: int = 0,
        tx_offloads: int = 0,
        mq_mode: str | None = None,
        rss_hf: int = 0,
        rss_key: bytes | None = None,
        mtu: int = 0,
        lsc_intr: bool = False,
        rxq_intr: bool = False,
    ) -> None:
        """rte_eth_dev_configure. mq_mode "rss" or "none" (default: "rss" when rss_hf is set); lsc_intr and
        rxq_intr set intr_conf.lsc and intr_conf.rxq."""
        eal, state = self._check()
        if not (0 <= nb_rx <= 0xFFFF and 0 <= nb_tx <= 0xFFFF and 0 <= mtu <= 0xFFFF):
            raise HarnessUsageError(f"configure({nb_rx}, {nb_tx}, mtu={mtu}): values must fit in 16 bits")
        mode = mq_mode or ("rss" if rss_hf else "none")
        if mode not in ("rss", "none"):
            raise HarnessUsageError(f"mq_mode {mq_mode!r}: expected 'rss' or 'none'")
        conf = eal.ffi.new("struct kh_port_conf *")
        conf.rx_offloads = rx_offloads
        conf.tx_offloads = tx_offloads
        conf.rx_mq_mode = int(eal.lib.RTE_ETH_MQ_RX_RSS if mode == "rss" else eal.lib.RTE_ETH_MQ_RX_NONE)
        conf.tx_mq_mode = int(eal.lib.RTE_ETH_MQ_TX_NONE)
        conf.rss_hf = rss_hf
        key = eal.ffi.new("uint8_t[]", rss_key) if rss_key else eal.ffi.NULL
        conf.rss_key = key
        conf.rss_key_len = len(rss_key) if rss_key else 0
        conf.mtu = mtu
        conf.lsc_intr = int(lsc_intr)
        conf.rxq_intr = int(rxq_intr)
        self._call("rte_eth_dev_configure", eal.lib.kh_eth_configure, nb_rx, nb_tx, conf)
        state.nb_rx, state.nb_tx = nb_rx, nb_tx
        for q in [q for q in state.rx_pools if q >= nb_rx]:
            state.rx_pools.pop(q)._attached.discard(self.port_id)
        state.tx_queues = {q for q in state.tx_queues if q < nb_tx}

    def rx_queue_setup(
        self,
        queue: int,
        pool: PktmbufPool,
        nb_desc: int = 0,
        *,
        offloads: int | None = None,
        socket_id: int | None = None,
    ) -> None:
        """rte_eth_rx_queue_setup (nb_desc 0: the driver's default). The pool stays attached until close."""
        eal, state = self._check()
        pool._check()
        if not isinstance(pool, PktmbufPool):
            raise HarnessUsageError("rx_queue_setup needs a PktmbufPool")
        if not (0 <= queue <= 0xFFFF and 0 <= nb_desc <= 0xFFFF):
            raise HarnessUsageError(f"rx_queue_setup(queue={queue}, nb_desc={nb_desc}): values must fit in 16 bits")
        sock = self.socket_id() if socket_id is None else socket_id
        self._call("rte_eth_rx_queue_setup", eal.lib.kh_eth_rx_queue_setup, queue, nb_desc, sock,
                   int(offloads is not None), offloads or 0, pool.ptr)
        old = state.rx_pools.get(queue)
        state.rx_pools[queue] = pool
        pool._attached.add(self.port_id)
        # The replaced pool is free again once no other queue of this port uses it.
        if old is not None and old not in state.rx_pools.values():
            old._attached.discard(self.port_id)

    def tx_queue_setup(
        self, queue: int, nb_desc: int = 0, *, offloads: int | None = None, socket_id: int | None = None
    ) -> None:
        """rte_eth_tx_queue_setup (nb_desc 0: the driver's default)."""
        eal, state = self._check()
        if not (0 <= queue <= 0xFFFF and 0 <= nb_desc <= 0xFFFF):
            raise HarnessUsageError(f"tx_queue_setup(queue={queue}, nb_desc={nb_desc}): values must fit in 16 bits")
        sock = self.socket_id() if socket_id is None else socket_id
        self._call("rte_eth_tx_queue_setup", eal.lib.kh_eth_tx_queue_setup, queue, nb_desc, sock,
                   int(offloads is not None), offloads or 0)
        state.tx_queues.add(queue)

    def setup(self, pool: PktmbufPool, nb_rx: int = 1, nb_tx: int = 1, *, start: bool = True, **conf: Any) -> Port:
        """Convenience: configure(nb_rx, nb_tx, **conf), every queue with default descriptors, start."""
        self.configure(nb_rx, nb_tx, **conf)
        for q in range(nb_rx):
            self.rx_queue_setup(q, pool)
        for q in range(nb_tx):
            self.tx_queue_setup(q)
        if start:
            self.start()
        return self

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        eal, state = self._check()
        self._call("rte_eth_dev_start", eal.lib.rte_eth_dev_start)
        state.started = True

    def stop(self) -> None:
        eal, state = self._check()
        self._call("rte_eth_dev_stop", eal.lib.rte_eth_dev_stop)
        state.started = False

    def close(self) -> None:
        """rte_eth_dev_close (DPDK refuses a started port). Later calls on this port raise."""
        eal, state = self._check()
        self._call("rte_eth_dev_close", eal.lib.rte_eth_dev_close)
        for pool in state.rx_pools.values():
            pool._attached.discard(self.port_id)
        _STATE.pop(self.port_id, None)
        _CLOSED[self.port_id] = self.name

    # -- link, stats ----------------------------------------------------------------------------

    def link(self, wait: bool = False) -> Link:
        """rte_eth_link_get_nowait (or rte_eth_link_get with wait=True)."""
        eal, _ = self._check()
        out = eal.ffi.new("struct kh_link *")
        self._call("rte_eth_link_get", eal.lib.kh_eth_link, int(wait), out)
        return Link(out.speed, out.duplex, out.autoneg, out.status)

    def stats(self) -> Stats:
        eal, _ = self._check()
        s = eal.ffi.new("struct rte_eth_stats *")
        self._call("rte_eth_stats_get", eal.lib.rte_eth_stats_get, s)
        if hasattr(s, "q_ipackets"):  # before DPDK 25.11 (the cdef follows the installed headers)
            n = int(eal.lib.RTE_ETHDEV_QUEUE_STAT_CNTRS)
            per_queue = tuple(tuple(getattr(s, name)[0:n]) for name in QUEUE_STATS)
        else:
            per_queue = self._queue_stats_from_xstats(QUEUE_STAT_SLOTS)
        return Stats(s.ipackets, s.opackets, s.ibytes, s.obytes, s.imissed, s.ierrors, s.oerrors, s.rx_nombuf,
                     *per_queue)

    def _queue_stats_from_xstats(self, n: int) -> tuple[tuple[int, ...], ...]:
        """DPDK 25.11 took the per-queue arrays out of rte_eth_stats; ethdev still publishes them as the xstats
        rx_qN_packets, ... of drivers that set RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS (zeros for the others, as
        those drivers' unfilled arrays read before)."""
        xstats = self.xstats()
        return tuple(tuple(xstats.get(xstat.replace("N", str(q), 1), 0) for q in range(n))
                     for xstat in QUEUE_STATS.values())

    def stats_reset(self) -> None:
        self._call("rte_eth_stats_reset", self._eal.lib.rte_eth_stats_reset)

    def tx_done_cleanup(self, queue: int = 0, free_cnt: int = 0) -> int:
        """rte_eth_tx_done_cleanup: how many sent mbufs the driver freed (0 = all it could); DpdkError
        (ENOTSUP for drivers without the op) otherwise."""
        return self._call("rte_eth_tx_done_cleanup", self._eal.lib.rte_eth_tx_done_cleanup, queue, free_cnt)

    def xstats(self) -> dict[str, int]:
        """rte_eth_xstats_get_names + rte_eth_xstats_get, as {name: value} in the driver's order."""
        eal, _ = self._check()
        n = self._call("rte_eth_xstats_get_names", eal.lib.rte_eth_xstats_get_names, eal.ffi.NULL, 0)
        names = eal.ffi.new("struct rte_eth_xstat_name[]", max(n, 1))
        got = self._call("rte_eth_xstats_get_names", eal.lib.rte_eth_xstats_get_names, names, n)
        values = eal.ffi.new("struct rte_eth_xstat[]", max(got, 1))
        nv = self._call("rte_eth_xstats_get", eal.lib.rte_eth_xstats_get, values, got)
        if nv > got:
            raise HarnessUsageError(f"port {self.port_id}: xstats grew from {got} names to {nv} values")
        text = [eal.ffi.string(names[i].name).decode(errors="replace") for i in range(got)]
        return {text[values[i].id] if values[i].id < got else f"#{values[i].id}": values[i].value for i in range(nv)}

    def xstats_reset(self) -> None:
        self._call("rte_eth_xstats_reset", self._eal.lib.rte_eth_xstats_reset)

    # -- datapath -------------------------------------------------------------------------------

    def _rx_queue(self, queue: int) -> tuple[Eal, PktmbufPool]:
        eal, state = self._check()
        if queue not in state.rx_pools or queue >= state.nb_rx:
            raise HarnessUsageError(f"port {self.port_id} ({self.name}): rx queue {queue} is not set up")
        return eal, state.rx_pools[queue]

    def _tx_queue(self, queue: int) -> Eal:
        eal, state = self._check()
        if queue not in state.tx_queues or queue >= state.nb_tx:
            raise HarnessUsageError(f"port {self.port_id} ({self.name}): tx queue {queue} is not set up")
        return eal

    def rx_burst(self, queue: int = 0, n: int = 32, *, keep: bool = False) -> list[RxPacket]:
        """rte_eth_rx_burst. Copies each packet's bytes and fields; frees the mbufs unless keep=True,
        in which case each RxPacket carries its Mbuf (the caller frees it). A returned pointer that is
        not an mbuf of a harness pool raises HarnessUsageError without being dereferenced."""
        eal, _ = self._rx_queue(queue)
        if not 0 < n <= MAX_BURST:
            raise HarnessUsageError(f"rx burst of {n}: must be 1..{MAX_BURST}")
        table = eal.ffi.new("uintptr_t[]", n)
        got = int(eal.lib.kh_rx_burst(self.port_id, queue, table, n))
        addrs = list(table[0:got])
        pools = [pool_of_mbuf(a) for a in addrs]
        bad = [a for a, p in zip(addrs, pools, strict=True) if p is None]
        if bad:
            good = [a for a, p in zip(addrs, pools, strict=True) if p is not None]
            if good:
                eal.lib.kh_pktmbuf_free_bulk(eal.ffi.new("uintptr_t[]", good), len(good))
            raise HarnessUsageError(
                f"port {self.port_id} ({self.name}) rx burst returned {len(bad)} pointer(s) that are not mbufs "
                f"of any harness pool (first {bad[0]:#x})"
            )
        packets = []
        buf = eal.ffi.new("uint8_t[]", 65536)
        for addr, pool in zip(addrs, pools, strict=True):
            assert pool is not None
            head = read_fields(eal, addr)
            segs = [head]
            if head.next:
                segs = Mbuf(pool, addr).segments()
                pool._mbufs.pop(addr, None)
            data = b""
            readable = 0 < head.pkt_len <= min(sum(s.data_len for s in segs), 65536)
            if readable and eal.lib.kh_pktmbuf_read(addr, 0, head.pkt_len, buf) == 0:
                data = bytes(eal.ffi.buffer(buf, head.pkt_len))
            packets.append(RxPacket(data, head, tuple(segs), Mbuf(pool, addr) if keep else None))
        if not keep and addrs:
            eal.lib.kh_pktmbuf_free_bulk(table, got)
        return packets

    def tx_burst(self, packets: Sequence[bytes], queue: int = 0, *, pool: PktmbufPool | None = None) -> int:
        """Send packets (bytes, one segment each) with rte_eth_tx_burst; returns how many the driver took.
        The harness allocates the mbufs from pool (default: the pool of rx queue 0) and frees the untaken."""
        eal = self._tx_queue(queue)
        if pool is None:
            state = _STATE[self.port_id]
            if not state.rx_pools:
                raise HarnessUsageError(f"port {self.port_id}: tx_burst needs pool= (no rx queue pool to borrow)")
            pool = state.rx_pools[min(state.rx_pools)]
        pool._check()
        if len(packets) > MAX_BURST:
            raise HarnessUsageError(f"tx burst of {len(packets)} packets: at most {MAX_BURST}")
        room = pool.max_packet_len
        for p in packets:
            if len(p) > room:
                raise HarnessUsageError(f"packet of {len(p)} bytes does not fit an mbuf of pool {pool.name!r} ({room})")
        data = b"".join(packets)
        lens = eal.ffi.new("uint32_t[]", [len(p) for p in packets] or [0])
        mark = eal.log_mark()
        rc = int(eal.lib.kh_tx_burst_bytes(self.port_id, queue, pool.ptr, data, lens, len(packets)))
        if rc == -errno.ENOBUFS:
            raise eal.error("rte_pktmbuf_alloc_bulk", rc, mark, detail=f"{len(packets)} mbufs from {pool.name!r}")
        return eal.check(rc, "rte_eth_tx_burst", mark, detail=f"port {self.port_id}")

    def tx_burst_mbufs(self, mbufs: Sequence[Mbuf], queue: int = 0) -> int:
        """rte_eth_tx_burst of caller-built mbufs: the first k (returned) now belong to the driver,
        the rest stay owned by the caller."""
        eal = self._tx_queue(queue)
        if len(mbufs) > MAX_BURST:
            raise HarnessUsageError(f"tx burst of {len(mbufs)} mbufs: at most {MAX_BURST}")
        if len({id(m) for m in mbufs}) != len(mbufs):
            raise HarnessUsageError("the same mbuf appears twice in a tx burst")
        for m in mbufs:
            m._check()
        table = eal.ffi.new("uintptr_t[]", [m.addr for m in mbufs] or [0])
        sent = int(eal.lib.kh_tx_burst(self.port_id, queue, table, len(mbufs)))
        mark_sent(mbufs[:sent])
        return sent


def _port_ids(eal: Eal) -> list[int]:
    ids, p = [], int(eal.lib.rte_eth_find_next(0))
    while p < int(eal.lib.RTE_MAX_ETHPORTS):
        ids.append(p)
        p = int(eal.lib.rte_eth_find_next(p + 1))
    return ids


def _describe_ports(eal: Eal) -> str:
    out = []
    for p in _port_ids(eal):
        buf = eal.ffi.new("char[]", int(eal.lib.RTE_ETH_NAME_MAX_LEN))
        eal.lib.rte_eth_dev_get_name_by_port(p, buf)
        out.append(f"{p} ({eal.ffi.string(buf).decode()})")
    return ", ".join(out) or "none"


def close_all_ports() -> None:
    """Stop and close every port (called before rte_eal_cleanup); errors are ignored."""
    eal = Eal._current
    if eal is None or not eal.alive:
        return
    for p in _port_ids(eal):
        eal.lib.rte_eth_dev_stop(p)
        eal.lib.rte_eth_dev_close(p)
    _STATE.clear()


Eal.on_close(close_all_ports)
