"""Aspects of a check that cannot apply to a given driver, each with the reason.

A suite may skip an aspect only through this table (plugin fixture `not_applicable`), so every
skip is declared here, named in the report and never silent. Keys are driver names as the
target names them: a mempool ops name, or a vdev driver name without its index (net_null0 -> net_null).
"""

from __future__ import annotations

NOT_APPLICABLE: dict[str, dict[str, str]] = {
    "ring_sp_sc": {
        "M8.concurrent": "ring_sp_sc is single-producer/single-consumer by design: its pools must not be shared "
                         "between lcores",
        "M12.mpmc": "ring_sp_sc is single-producer/single-consumer by contract (measured: with two lcores each "
                    "getting and putting, millions of objects are handed out twice); M12 runs it with one "
                    "getting lcore and one putting lcore instead",
        "M14.mpmc": "ring_sp_sc is single-producer/single-consumer by contract (see M12.mpmc); M14 counts it "
                    "after the one-getter/one-putter stress",
    },
    "net_null": {
        "E5.small_data_room": "net_null reports min_rx_bufsize 0: it copies nothing into rx buffers, any pool fits",
        "E7.loop": "net_null discards what it transmits and receives generated frames, so nothing can loop back",
        "E8.bytes": "net_null (DPDK 22.11) counts packets only: its ibytes and obytes stay 0 (measured)",
        "E11.heap": "known net_null defect in DPDK 22.11: close does not release its queues, so the per-queue "
                    "dummy packets queue setup allocates stay on the heap (measured: 2 allocations, 384 bytes "
                    "per close); memzones and mbufs are still checked",
    },
    "net_ring": {
        "E3.default_mac": "net_ring leaves its MAC address all zero (its private data is zeroed, never assigned); "
                          "the core then sees MAC slot 0 as free, so mac_addr_add overwrites the default address "
                          "and removing it is refused (measured)",
        "E5.small_data_room": "net_ring reports min_rx_bufsize 0: it hands back the transmitted mbufs, any pool fits",
        "E8.bytes": "net_ring (DPDK 22.11) counts packets only: its ibytes and obytes stay 0 (measured)",
        "E11.mbufs": "net_ring frees its rings on close but not the mbufs queued in them (rings are the "
                     "application's in its design; measured: 16 of 16 queued mbufs lost)",
        "E11.memzones": "net_ring creates 16 rings at probe and close frees only those of the configured queues; "
                        "the others stay for a later ATTACH (measured: 14 memzones left after 2 queues)",
        "E11.heap": "the rings net_ring keeps after close (see E11.memzones) stay on the heap",
        "E13.unknown_key": "net_ring deliberately ignores devargs it cannot parse ('Ignoring unsupported "
                           "parameters') and creates the port anyway",
        "E28.rx_queue_count": "net_ring of DPDK 25.11 answers rte_eth_rx_queue_count with 0 whatever its ring "
                              "holds (measured on 25.11.4: 0 with 10 frames queued that rx_burst then returned); "
                              "22.11 and 24.11 answer -ENOTSUP, which the check accepts",
        "E22.filter": "net_ring has no receive filter (DPDK 22.11): it hands every transmitted mbuf to the reader "
                      "of its ring whatever the destination, while its promiscuous and allmulticast disable ops "
                      "return 0 (measured: frames to a foreign unicast address received with "
                      "rte_eth_promiscuous_get 0); the filter's rules cannot be checked",
        "E7.mbuf_port": "net_ring returns the transmitted mbufs unchanged, so mbuf->port is the sender's value, "
                        "not the receiving port",
    },
}


# Optional ethdev ops: DPDK lets a driver leave them out, and the API then answers -ENOTSUP. An aspect that needs one
# is not applicable to a driver whose answer the suite measured to be -ENOTSUP (every time: an op that answers
# sometimes is a failure); the report gives the measured answer as the reason (plugin fixture `unsupported`).
OPTIONAL_OPS: dict[str, str] = {
    "E16.rxq_info": "rxq_info_get",
    "E16.txq_info": "txq_info_get",
    "E17.queue_start_stop": "rx/tx_queue_start and rx/tx_queue_stop",
    "E26.tx_done_cleanup": "tx_done_cleanup",
    "E28.rx_queue_count": "rx_queue_count",
    "E28.rx_descriptor_status": "rx_descriptor_status",
    "E28.tx_descriptor_status": "tx_descriptor_status",
    "E18.traffic": "loop-back path (what it transmits never reaches its rx queues)",
    "E18.mtu": "mtu_set",
    "E19.traffic": "loop-back path (what it transmits never reaches its rx queues)",
    "E22.promiscuous_disable": "promiscuous_disable",
    "E22.allmulticast_disable": "allmulticast_disable",
    "E22.mac_addr_add": "mac_addr_add for a second address",
    "E22.set_mc_addr_list": "set_mc_addr_list (a multicast address list)",
    "E22.loop": "loop-back datapath (a filter is seen only in what comes back)",
    "E23.loop": "loop-back datapath (settings act only on what comes back)",
    "E23.rss": "RSS redirection table or hash key to set",
    "E24.queues": "second rx and tx queue",
    "E24.loop": "loop-back path taking a flow from tx queue N to rx queue N (1:1 or by RSS)",
    "E21.offered": "loop-back path (what it transmits never reaches its rx queues)",
    "E29.lsc": "link state change interrupt (RTE_ETH_DEV_INTR_LSC with intr_conf.lsc)",
    "E29.set_link_down": "dev_set_link_down (a link change the suite can cause)",
    "E29.rxq_intr": "rx_queue_intr_enable (RX queue interrupts with intr_conf.rxq)",
    "E29.rx_loop": "loop-back path (what it transmits never reaches its rx queues)",
}


def reason_not_applicable(driver: str, aspect: str) -> str | None:
    return NOT_APPLICABLE.get(driver, {}).get(aspect)


def reason_unsupported(aspect: str, measured: str) -> str:
    """The n/a reason of an optional op the driver lacks: the op and what the suite measured."""
    return f"driver has no {OPTIONAL_OPS[aspect]} ({measured})"
