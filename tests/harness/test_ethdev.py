"""Ports against DPDK's net_null and net_ring."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kit.harness import (
    DevInfo,
    DpdkError,
    Eal,
    EalConfig,
    HarnessUsageError,
    PktmbufPool,
    Port,
    run_in_child,
)

PortOf = Callable[..., Port]


def test_list_and_find(eal: Eal) -> None:
    names = [p.name for p in Port.all()]
    assert names[:4] == ["net_null0", "net_null1", "net_ring0", "net_ring1"]
    assert Port.by_name("net_ring0").port_id == names.index("net_ring0")
    with pytest.raises(DpdkError) as err:
        Port.by_name("net_nothing")
    assert err.value.errno_name == "ENODEV"


def test_bad_port_id_raises(eal: Eal) -> None:
    with pytest.raises(HarnessUsageError, match="no port 20"):
        Port(20)
    with pytest.raises(HarnessUsageError, match="bad port id"):
        Port(100000)


def test_dev_info(eal: Eal) -> None:
    info = Port.by_name("net_null0").info()
    assert isinstance(info, DevInfo)
    assert info.driver_name == "net_null"
    assert info.max_rx_queues >= 1 and info.max_tx_queues >= 1 and info.max_mac_addrs >= 1
    assert info.min_mtu <= 1500 <= info.max_mtu and info.max_rx_pktlen >= 1518
    assert info == Port.by_name("net_null0").info()  # repeatable
    with pytest.raises(AttributeError):
        info.max_mtu = 1  # type: ignore[misc]  # frozen


def test_configure_errors_and_lifecycle(eal: Eal, pktpool: PktmbufPool) -> None:
    port = Port.by_name("net_null1")
    if port.started:
        port.stop()
    info = port.info()
    with pytest.raises(DpdkError) as err:
        port.configure(info.max_rx_queues + 1, 1)
    assert err.value.errno_name == "EINVAL" and err.value.log_line
    port.configure(2, 2)
    with pytest.raises(DpdkError):
        port.rx_queue_setup(5, pktpool)  # bad queue id
    port.rx_queue_setup(0, pktpool)
    port.rx_queue_setup(1, pktpool, 256)
    port.tx_queue_setup(0)
    port.tx_queue_setup(1, 256)
    port.start()
    assert port.started and port.link().up
    with pytest.raises(DpdkError) as busy:
        port.configure(1, 1)
    assert busy.value.errno_name == "EBUSY"
    with pytest.raises(HarnessUsageError, match="rx queue 3"):
        port.rx_burst(3)
    port.stop()
    port.stop()  # twice is harmless
    assert not port.link().up


def test_stats_and_xstats(port_of: PortOf) -> None:
    port = port_of("net_null0")
    port.stats_reset()
    assert port.stats().ipackets == 0
    pkts = port.rx_burst(0, 16)
    assert len(pkts) == 16
    st = port.stats()
    assert st.ipackets == 16 and st.q_ipackets[0] == 16
    assert port.tx_burst([b"\0" * 60] * 8) == 8
    assert port.stats().opackets == 8
    xs = port.xstats()
    assert xs["rx_good_packets"] == 16 and xs["tx_good_packets"] == 8
    port.xstats_reset()
    assert port.xstats()["rx_good_packets"] == 0


def test_null_rx_packets_well_formed(port_of: PortOf, pktpool: PktmbufPool) -> None:
    port = port_of("net_null0")
    before = pktpool.in_use_count()
    pkts = port.rx_burst(0, 32, keep=True)
    assert len(pkts) == 32
    for p in pkts:
        f = p.fields
        assert f.port == port.port_id and f.refcnt == 1 and f.nb_segs == 1 and f.pkt_len == f.data_len == 64
        assert f.pool == pktpool.address and p.mbuf is not None and p.mbuf.check() is None
    assert pktpool.in_use_count() == before + 32
    for p in pkts:
        assert p.mbuf is not None
        p.mbuf.free()
    assert pktpool.in_use_count() == before


def test_ring_loopback_bytes(port_of: PortOf, pktpool: PktmbufPool) -> None:
    port = port_of("net_ring0")
    frames = [bytes([i]) * (60 + i) for i in range(10)]
    assert port.tx_burst(frames) == 10
    got = port.rx_burst(0, 32)
    assert [p.data for p in got] == frames
    assert pktpool.outstanding() == []


def test_tx_mbufs_and_chains(port_of: PortOf, pktpool: PktmbufPool) -> None:
    port = port_of("net_ring1")
    head, tail, other = pktpool.alloc_bulk(3)
    head.append(b"h" * 70)
    tail.append(b"t" * 30)
    head.chain(tail)
    other.append(b"o" * 64)
    assert port.tx_burst_mbufs([head, other]) == 2
    with pytest.raises(HarnessUsageError, match="sent"):
        head.read()
    got = port.rx_burst(0, 8)
    assert got[0].data == b"h" * 70 + b"t" * 30 and got[0].fields.nb_segs == 2
    assert [s.data_len for s in got[0].segments] == [70, 30]
    assert got[1].data == b"o" * 64


def test_promisc_allmulti_mac_mtu(port_of: PortOf) -> None:
    port = port_of("net_null0")
    for enable, disable, get in (
        (port.promiscuous_enable, port.promiscuous_disable, port.promiscuous),
        (port.allmulticast_enable, port.allmulticast_disable, port.allmulticast),
    ):
        for call, expected in ((enable, True), (disable, False)):
            try:
                call()
            except DpdkError as e:  # 0 or -ENOTSUP; the state reads back either way
                assert e.errno_name == "ENOTSUP"
                continue
            assert get() is expected
    mac = port.mac_addr()
    assert int(mac.split(":")[0], 16) & 1 == 0
    port.set_mac_addr("02:00:00:00:00:01")
    assert port.mac_addr() == "02:00:00:00:00:01"
    for call in (lambda: port.add_mac_addr("02:00:00:00:00:02"), lambda: port.remove_mac_addr("02:00:00:00:00:02")):
        try:
            call()
        except DpdkError as e:
            assert e.errno_name in ("ENOTSUP", "ENOSPC", "EADDRINUSE")
    port.set_mac_addr(mac)
    with pytest.raises(HarnessUsageError):
        port.set_mac_addr("zz")
    port.set_mtu(1400)
    assert port.mtu() == 1400
    port.set_mtu(1500)
    with pytest.raises(DpdkError):
        port.set_mtu(10)


def test_rss_and_reta(port_of: PortOf) -> None:
    port = port_of("net_null0", 2, 2, rss_hf=0x4)  # RTE_ETH_RSS_IPV4
    info = port.info()
    assert info.reta_size > 0
    table = [i % 2 for i in range(info.reta_size)]
    port.reta_update(table)
    assert port.reta_query() == table
    port.rss_hash_update(0x4)
    assert port.rss_hash_conf().rss_hf == 0x4
    with pytest.raises(HarnessUsageError, match="reta_size"):
        port.reta_update([0])


def _close_and_use() -> str:
    pool = PktmbufPool.create("c", 511)
    port = Port.by_name("net_null0")
    port.setup(pool)
    try:
        port.close()
    except DpdkError as e:
        assert e.errno_name == "EINVAL"  # refused while started
    port.stop()
    port.close()
    pool.free()
    try:
        port.stats()
    except HarnessUsageError as e:
        return str(e)
    return "no error"


def test_close_then_use_raises() -> None:
    assert "was closed" in run_in_child(_close_and_use, eal=EalConfig(vdevs=("net_null0",)))


def test_close_in_session(eal: Eal, pktpool: PktmbufPool) -> None:
    port = Port.by_name("net_null9")
    port.setup(pktpool)
    with pytest.raises(HarnessUsageError, match="rx queues"):
        pktpool.free()  # attached to a port
    port.stop()
    port.close()
    with pytest.raises(HarnessUsageError, match="closed"):
        port.info()
    with pytest.raises(HarnessUsageError, match="closed"):
        Port(port.port_id)


def test_hotplug_probe_and_remove(eal: Eal) -> None:
    """rte_dev_probe / rte_eal_hotplug_remove through the harness: the port appears and goes; errors are codes."""
    assert eal.hotplug_probe("net_null_hp") == 0
    port = Port.by_name("net_null_hp")
    assert port.info().driver_name == "net_null"
    assert eal.hotplug_remove("net_null_hp") == 0
    with pytest.raises(DpdkError):
        Port.by_name("net_null_hp")
    assert eal.hotplug_remove("net_null_hp") < 0  # gone
    assert eal.hotplug_probe("net_nosuchdriver0") < 0


def test_replaced_rx_pool_is_released(eal: Eal, pktpool: PktmbufPool) -> None:
    """A pool a later rx_queue_setup replaces may be freed; one still used by another queue may not."""
    port = Port.by_name("net_null1")
    if port.started:
        port.stop()
    port.configure(2, 1)
    first = PktmbufPool.create("kh_replaced", 1023)
    port.rx_queue_setup(0, first)
    port.rx_queue_setup(1, first)
    port.rx_queue_setup(0, pktpool)
    with pytest.raises(HarnessUsageError, match="used by the rx queues"):
        first.free()  # queue 1 still has it
    port.rx_queue_setup(1, pktpool)
    first.free()
