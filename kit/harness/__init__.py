"""A Python harness over the real DPDK EAL (cffi, API mode): what the conformance suites and benchmarks use.

The C extension (csrc/) is compiled against `pkg-config libdpdk` on first use and cached under
`cache_root()/harness/<dpdk version>/ext-<hash>/`. Inline DPDK functions are reached through small C
wrappers; every other call goes straight to DPDK. Errors from DPDK raise DpdkError (errno, errno_name,
call, log_line); calls the harness refuses before DPDK (bad port id, oversized bulk, use after
free/close, a second EAL) raise HarnessUsageError. Both are KitErrors.

Public API::

    EalConfig(vdevs=(), plugins=(), memory_mb=256, lcores="0", mbuf_pool_ops_name=None,
              log_level="error", file_prefix=None, extra_args=())      # frozen; .eal_args(prefix)
    Eal(config=None)                   # rte_eal_init, once per process; cleanup at exit or .close()
        .current() .is_running() .prefix .args .log_text() .log_mark() .log_since(mark) .last_log_line()
        .hotplug_probe(devargs) -> int .hotplug_remove(device, bus="vdev") -> int   # 0 or -errno
        .devargs_parse(devargs) -> int  # rte_devargs_parse (no probe): 0 or -errno
    run_in_child(fn, *args, eal=EalConfig(...), timeout=120.0, **kwargs) -> fn's result (or its exception)
    check_plugin_path(path) -> Path    # KitError if EAL would refuse it (missing, world-writable ancestor)

    ops_table() -> OpsTable(names, max_slots, .free_slots, .index(name))
    require_ops(name) -> int           # the ops index, or HarnessUsageError with the reason it is missing
    mempool_flags(sp_put=False, sc_get=False, no_cache_align=False) -> int
    Mempool.create(name, size, *, elt_size=64, cache_size=0, flags=0, ops_name="ring_mp_mc") -> Mempool
    Mempool.create_empty(name, size, *, elt_size=64, cache_size=0, flags=0, ...) -> Mempool
        .set_ops(name) .populate_default() -> int .info() -> MempoolInfo .size .ops_name
        .get_bulk(n) -> list[int]      .try_get_bulk(n, sentinel=SENTINEL) -> BulkResult(rc, table)
        .put_bulk(objs)                .avail_count() .in_use_count() .held
        .ops_dequeue_bulk(n, sentinel=SENTINEL) -> BulkResult   .ops_enqueue_bulk(objs) -> int
        .ops_get_count() -> int        .cache_len(lcore=None) .flush_cache()
        .objects() -> list[int]        .object_set() .chunks() .owns(addr) .audit() .free()
    PktmbufPool.create(name, size, *, cache_size=0, priv_size=0, data_room_size=2176, ops_name=None)
        (a Mempool) .alloc() -> Mbuf .alloc_bulk(n) .outstanding() .data_room_size .max_packet_len
    Mbuf: .fields() -> MbufFields .segments() .append(data) .read(offset=0, length=None) -> bytes
          .chain(tail) .check(is_header=True) -> str | None .free() .state .alive
    Port(port_id) / Port.by_name(name) / Port.all()
        .info() -> DevInfo .configure(nb_rx, nb_tx, *, rx_offloads=0, tx_offloads=0, mq_mode=None,
        rss_hf=0, rss_key=None, mtu=0, lsc_intr=False, rxq_intr=False)
        .rx_queue_setup(q, pool, nb_desc=0, *, offloads=None)
        .tx_queue_setup(q, nb_desc=0, *, offloads=None) .setup(pool, nb_rx=1, nb_tx=1, start=True)
        .start() .stop() .close() .link(wait=False) -> Link .stats() -> Stats .stats_reset()
        .tx_done_cleanup(queue=0, free_cnt=0) -> int
        .xstats() -> dict[str, int] .xstats_reset() .promiscuous_enable/disable() .promiscuous()
        .allmulticast_enable/disable() .allmulticast() .mac_addr() .set_mac_addr(mac)
        .add_mac_addr(mac, pool=0) .remove_mac_addr(mac) .set_mc_addr_list(macs) .mtu() .set_mtu(mtu)
        .rss_hash_conf() -> RssConf .rss_hash_update(rss_hf, key=None) .reta_query() .reta_update(table)
        .rx_burst(queue=0, n=32, *, keep=False) -> list[RxPacket(data, fields, segments, mbuf)]
        .tx_burst(packets, queue=0, *, pool=None) -> int .tx_burst_mbufs(mbufs, queue=0) -> int
    loops: mempool_loop(pool, *, bulk, n_keep, iterations), rx_loop(port, *, queue, burst, packets),
           tx_loop(port, pool, *, queue, burst, packets, pkt_len), fwd_loop(rx_port, tx_port, ...)
           -> LoopResult(ops, dropped, polls, cycles, tsc_hz, .cycles_per_op)

Use from the main thread (it is the EAL's main lcore, so per-lcore mempool caches apply).
"""

from kit.harness.accounting import MemorySnapshot, StressResult, memory_snapshot, stress_two_lcores
from kit.harness.child import run_in_child
from kit.harness.eal import Eal, EalConfig
from kit.harness.errors import ChildFailedError, DpdkError, HarnessUsageError, MempoolAuditError
from kit.harness.ethdev import Port
from kit.harness.ethdev_types import DescLim, DevInfo, Link, RssConf, RxPacket, Stats
from kit.harness.loops import LoopResult, fwd_loop, mempool_loop, rx_loop, tx_loop
from kit.harness.mbuf import Mbuf, MbufFields, PktmbufPool
from kit.harness.mempool import (
    SENTINEL,
    BulkResult,
    Mempool,
    MempoolInfo,
    OpsTable,
    mempool_flags,
    ops_table,
    require_ops,
)
from kit.runtime import check_plugin_path

__all__ = [
    "SENTINEL",
    "BulkResult",
    "ChildFailedError",
    "DescLim",
    "DevInfo",
    "DpdkError",
    "Eal",
    "EalConfig",
    "HarnessUsageError",
    "Link",
    "LoopResult",
    "Mbuf",
    "MbufFields",
    "MemorySnapshot",
    "Mempool",
    "MempoolAuditError",
    "MempoolInfo",
    "OpsTable",
    "PktmbufPool",
    "Port",
    "RssConf",
    "RxPacket",
    "Stats",
    "StressResult",
    "check_plugin_path",
    "fwd_loop",
    "memory_snapshot",
    "mempool_flags",
    "mempool_loop",
    "ops_table",
    "require_ops",
    "run_in_child",
    "rx_loop",
    "stress_two_lcores",
    "tx_loop",
]
