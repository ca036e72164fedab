"""E20: the offloads a port advertises (dev_info rx/tx_offload_capa) do what DPDK defines when enabled (DTS
rx_tx_offload, checksum_offload, vlan, pmd_rss). Offloads the port does not advertise are not tested: each test
notes in the report what it tested. ethdev itself refuses offloads outside the capabilities (E4), so what is
checked here is that the capabilities are true."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable

import pytest

from kit.conformance.suites.ethdev.dut import DRAIN_POLLS, Dut, drain, errno_of, send_all
from kit.conformance.suites.ethdev.frames import ICMP, TCP, UDP, Frame, build, checksums_right, toeplitz
from kit.harness import DpdkError, Eal, Mbuf, Port
from kit.harness.ethdev_types import RxPacket
from kit.harness.offloads import bits, offload_fields, register_rx_timestamp, request_tx_offload

Note = Callable[[str], None]
NotApplicable = Callable[[str], None]


def _names(mask: int, prefix: str) -> str:
    known = {v: k.removeprefix(prefix) for k, v in bits().items() if k.startswith(prefix)}
    names = [known.get(1 << i, f"bit{i}") for i in range(64) if mask >> i & 1]
    return "|".join(names) or "none"


def _receive(port: Port, queues: int, want: int) -> list[tuple[int, RxPacket]]:
    """Receive (queue, packet) with the mbufs kept, until `want` arrived or every queue stayed empty."""
    got: list[tuple[int, RxPacket]] = []
    idle = 0
    while len(got) < want and idle < DRAIN_POLLS:
        before = len(got)
        for q in range(queues):
            got += [(q, p) for p in port.rx_burst(q, 32, keep=True)]
        idle = idle + 1 if len(got) == before else 0
    return got


def _loop(dut: Dut, port: Port, frames: list[bytes], queues: int = 1) -> list[tuple[int, RxPacket]]:
    sent, _ = send_all(port, frames)
    assert sent == len(frames), f"the port took {sent} of {len(frames)} frames"
    return _receive(port, queues, len(frames))


def _free(got: list[tuple[int, RxPacket]]) -> None:
    for _, p in got:
        if p.mbuf is not None and p.mbuf.alive:
            p.mbuf.free()



def _enabled(dut: Dut, note: Note, not_applicable: NotApplicable, what: str, **offloads: int) -> Port | None:
    """A looping port with the advertised offloads of `what` enabled, or None (noted) when none is advertised."""
    if not any(offloads.values()):
        note(f"{what}: not advertised, not tested")
        return None
    not_applicable("E7.loop")
    return dut.setup(1, 1, **offloads)

@pytest.mark.check("E20")
def test_e20_rss_hash_is_toeplitz_over_the_ports_key(dut: Dut, note: Note, not_applicable: NotApplicable) -> None:
    """Steps: with RSS_HASH advertised, configure up to 4 queues with mq_mode RSS, a random key and the hash
    types of IPv4/IPv6 (with TCP/UDP ports) the port offers; send UDP, TCP and other-L4 flows. Verify: every
    frame of an enabled type carries RTE_MBUF_F_RX_RSS_HASH and hash.rss equals the Toeplitz hash (computed
    here) over the key rte_eth_dev_rss_hash_conf_get reports, of the addresses and, for the L4 types, the ports;
    it arrives on the queue the RETA names for that hash. Again with the L3 types only: L4 frames hash over
    the addresses alone."""
    b, info = bits(), dut.info
    if not info.rx_offload_capa & b["RTE_ETH_RX_OFFLOAD_RSS_HASH"]:
        note("RSS hash: not advertised, not tested")
        return
    v4 = {"l3": b["RTE_ETH_RSS_IPV4"], UDP: b["RTE_ETH_RSS_NONFRAG_IPV4_UDP"], TCP: b["RTE_ETH_RSS_NONFRAG_IPV4_TCP"]}
    v6 = {"l3": b["RTE_ETH_RSS_IPV6"], UDP: b["RTE_ETH_RSS_NONFRAG_IPV6_UDP"], TCP: b["RTE_ETH_RSS_NONFRAG_IPV6_TCP"]}
    offered = info.flow_type_rss_offloads & sum(v for t in (v4, v6) for v in t.values())
    assert offered, (f"RTE_ETH_RX_OFFLOAD_RSS_HASH advertised with no IPv4/IPv6 hash type in flow_type_rss_offloads "
                     f"({info.flow_type_rss_offloads:#x})")
    assert info.hash_key_size > 0, "RSS hash advertised with hash_key_size 0: the application cannot know the key"
    not_applicable("E7.loop")
    nq = min(4, info.max_rx_queues, info.max_tx_queues)
    tested = []
    for rss_hf in dict.fromkeys((offered, offered & (v4["l3"] | v6["l3"]))):
        if not rss_hf:
            continue
        key = os.urandom(info.hash_key_size)
        port = dut.setup(nq, nq, mq_mode="rss", rss_hf=rss_hf, rss_key=key,
                         rx_offloads=b["RTE_ETH_RX_OFFLOAD_RSS_HASH"])
        conf = port.rss_hash_conf()
        assert conf.key == key, (f"rte_eth_dev_rss_hash_conf_get reports key {conf.key.hex()}; the port was "
                                 f"configured with {key.hex()}")
        try:
            reta = port.reta_query() if info.reta_size else []
        except DpdkError:  # a port without RETA ops: the queue is not judged
            reta = []
        frames: dict[bytes, tuple[Frame, int]] = {}
        for types, ipv6 in ((v4, False), (v6, True)):
            for proto in (UDP, TCP, ICMP):
                l4_on = proto in types and bool(types[proto] & rss_hf)
                if not (l4_on or types["l3"] & rss_hf):
                    continue
                for flow in range(16):
                    f = build(dut.dst_mac, bytes.fromhex("020000000002"), ipv6=ipv6, proto=proto, flow=flow + 1)
                    frames[f.data] = (f, toeplitz(conf.key, f.rss_input(l4_on)))
        got = _loop(dut, port, list(frames), nq)
        try:
            assert len(got) == len(frames), f"{len(frames)} frames sent with RSS over {nq} queues, {len(got)} came back"
            for q, p in got:
                assert p.data in frames, "a frame came back changed with only RSS enabled"
                f, want = frames[p.data]
                kind = f"IPv{6 if f.ipv6 else 4}/{ {UDP: 'UDP', TCP: 'TCP', ICMP: 'ICMP'}[f.proto]}"
                assert p.fields.ol_flags & b["RTE_MBUF_F_RX_RSS_HASH"], (
                    f"an {kind} frame with RSS types {_names(rss_hf, 'RTE_ETH_RSS_')} arrived without "
                    f"RTE_MBUF_F_RX_RSS_HASH (ol_flags {p.fields.ol_flags:#x})")
                assert p.fields.rss == want, (
                    f"{kind} frame with RSS types {_names(rss_hf, 'RTE_ETH_RSS_')}: hash.rss {p.fields.rss:#010x}, "
                    f"Toeplitz over the port's key (rss_hash_conf_get) gives {want:#010x}: the hash is not Toeplitz "
                    f"over the configured key and input tuple")
                if reta:
                    assert q == reta[want % len(reta)], (
                        f"{kind} frame of hash {want:#010x} arrived on queue {q}; the RETA ({len(reta)} entries) "
                        f"sends it to queue {reta[want % len(reta)]}")
        finally:
            _free(got)
        tested.append(_names(rss_hf, "RTE_ETH_RSS_"))
        dut.port.stop()
    note(f"RSS hash tested ({len(frames)} flows) with types {'; then '.join(tested)}"
         f"{', queues by RETA' if info.reta_size else ''}")


@pytest.mark.check("E20")
def test_e20_rx_checksum_flags(dut: Dut, note: Note, not_applicable: NotApplicable) -> None:
    """Steps: enable the advertised rx checksum offloads (IPv4, UDP, TCP); send good frames and frames with a
    corrupted IPv4 header or UDP/TCP checksum. Verify: RTE_MBUF_F_RX_IP_CKSUM_GOOD / _L4_CKSUM_GOOD on good
    frames, _BAD on corrupted ones, for every enabled layer."""
    b, info = bits(), dut.info
    ip_on = bool(info.rx_offload_capa & b["RTE_ETH_RX_OFFLOAD_IPV4_CKSUM"])
    l4_on = {UDP: bool(info.rx_offload_capa & b["RTE_ETH_RX_OFFLOAD_UDP_CKSUM"]),
             TCP: bool(info.rx_offload_capa & b["RTE_ETH_RX_OFFLOAD_TCP_CKSUM"])}
    enabled = info.rx_offload_capa & (b["RTE_ETH_RX_OFFLOAD_IPV4_CKSUM"] | b["RTE_ETH_RX_OFFLOAD_UDP_CKSUM"]
                                      | b["RTE_ETH_RX_OFFLOAD_TCP_CKSUM"])
    port = _enabled(dut, note, not_applicable, "rx checksum", rx_offloads=enabled)
    if port is None:
        return
    cases: dict[bytes, tuple[str, bool, bool, bool]] = {}  # data -> (kind, ipv6, ip good, l4 good)
    flow = 0
    for ipv6 in (False, True):
        for proto in (UDP, TCP):
            for bad_ip, bad_l4 in ((False, False), (True, False), (False, True)):
                if bad_ip and ipv6:
                    continue
                flow += 1
                f = build(dut.dst_mac, bytes.fromhex("020000000002"), ipv6=ipv6, proto=proto, flow=flow,
                          bad_ip=bad_ip, bad_l4=bad_l4)
                kind = (f"IPv{6 if ipv6 else 4}/{'UDP' if proto == UDP else 'TCP'}"
                        f"{' bad IP checksum' if bad_ip else ' bad L4 checksum' if bad_l4 else ' good'}")
                cases[f.data] = (kind, ipv6, not bad_ip, not bad_l4)
    got = _loop(dut, port, list(cases))
    try:
        assert len(got) == len(cases), f"{len(cases)} frames sent, {len(got)} came back"
        ip_mask, l4_mask = b["RTE_MBUF_F_RX_IP_CKSUM_MASK"], b["RTE_MBUF_F_RX_L4_CKSUM_MASK"]
        for _, p in got:
            kind, ipv6, ip_good, l4_good = cases[p.data]
            proto = UDP if "UDP" in kind else TCP
            flags = p.fields.ol_flags
            if ip_on and not ipv6:
                want = b["RTE_MBUF_F_RX_IP_CKSUM_GOOD" if ip_good else "RTE_MBUF_F_RX_IP_CKSUM_BAD"]
                assert flags & ip_mask == want, (
                    f"{kind} frame with IPV4_CKSUM enabled: IP checksum flags {flags & ip_mask:#x}, want "
                    f"{'GOOD' if ip_good else 'BAD'} ({want:#x})")
            if l4_on[proto] and ip_good:
                want = b["RTE_MBUF_F_RX_L4_CKSUM_GOOD" if l4_good else "RTE_MBUF_F_RX_L4_CKSUM_BAD"]
                assert flags & l4_mask == want, (
                    f"{kind} frame with {'UDP' if proto == UDP else 'TCP'}_CKSUM enabled: L4 checksum flags "
                    f"{flags & l4_mask:#x}, want {'GOOD' if l4_good else 'BAD'} ({want:#x})")
    finally:
        _free(got)
    note(f"rx checksum tested: {_names(enabled, 'RTE_ETH_RX_OFFLOAD_')} on {len(cases)} good and corrupted frames")


@pytest.mark.check("E20")
def test_e20_vlan_strip(dut: Dut, note: Note, not_applicable: NotApplicable) -> None:
    """Steps: enable VLAN_STRIP; send 802.1Q-tagged and untagged frames. Verify: a tagged frame arrives without
    its tag, with vlan_tci = the tag's TCI and RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED; an untagged
    frame arrives unchanged without RTE_MBUF_F_RX_VLAN_STRIPPED."""
    b, info = bits(), dut.info
    strip = b["RTE_ETH_RX_OFFLOAD_VLAN_STRIP"]
    port = _enabled(dut, note, not_applicable, "VLAN strip", rx_offloads=info.rx_offload_capa & strip)
    if port is None:
        return
    cases: dict[bytes, tuple[bytes, int | None]] = {}
    for i in range(8):
        tci = (i % 8) << 13 | (100 + i)
        plain = build(dut.dst_mac, bytes.fromhex("020000000002"), flow=i + 1).data
        tagged = build(dut.dst_mac, bytes.fromhex("020000000002"), flow=i + 1, vlan_tci=tci).data
        cases[tagged] = (plain, tci)
        cases[build(dut.dst_mac, bytes.fromhex("020000000002"), flow=i + 100).data] = (
            build(dut.dst_mac, bytes.fromhex("020000000002"), flow=i + 100).data, None)
    frames = list(cases)
    by_result = {plain: (sent, tci) for sent, (plain, tci) in cases.items()}
    got = _loop(dut, port, frames)
    both = b["RTE_MBUF_F_RX_VLAN"] | b["RTE_MBUF_F_RX_VLAN_STRIPPED"]
    try:
        assert len(got) == len(frames), f"{len(frames)} frames sent with VLAN_STRIP enabled, {len(got)} came back"
        for _, p in got:
            assert p.data in by_result, (f"with VLAN_STRIP enabled a frame came back as {p.data[:18].hex()}..., "
                                         f"neither the frame sent nor that frame without its 802.1Q tag")
            _, tci = by_result[p.data]
            flags = p.fields.ol_flags
            if tci is None:
                assert not flags & b["RTE_MBUF_F_RX_VLAN_STRIPPED"], "an untagged frame came back flagged VLAN_STRIPPED"
                continue
            assert flags & both == both, (f"a tagged frame came back stripped but ol_flags {flags:#x} lack "
                                          f"RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED")
            assert p.mbuf is not None
            fields = offload_fields(p.mbuf)
            assert fields.vlan_tci == tci, f"stripped tag TCI {tci:#06x}, mbuf vlan_tci {fields.vlan_tci:#06x}"
    finally:
        _free(got)
    note(f"VLAN strip tested on {len(frames)} tagged and untagged frames")


@pytest.fixture(scope="module")
def timestamp_field(eal: Eal) -> tuple[int, int]:
    """The rx timestamp field and flag, registered before the check's leak accounting starts: DPDK's mbuf dynamic
    area is process-global and never freed (a driver's registration then returns the same field)."""
    return register_rx_timestamp()


@pytest.mark.check("E20")
def test_e20_rx_timestamp(timestamp_field: tuple[int, int], dut: Dut, note: Note,
                          not_applicable: NotApplicable) -> None:
    """Steps: enable TIMESTAMP; send three bursts. Verify: every received mbuf has the rx timestamp flag
    (rte_mbuf_dyn_rx_timestamp_register), a non-zero timestamp, and timestamps never decrease in receive
    order."""
    b, info = bits(), dut.info
    ts = b["RTE_ETH_RX_OFFLOAD_TIMESTAMP"]
    port = _enabled(dut, note, not_applicable, "rx timestamp", rx_offloads=info.rx_offload_capa & ts)
    if port is None:
        return
    offset, flag = timestamp_field
    stamps: list[int] = []
    for round_ in range(3):
        got = _loop(dut, port, dut.frames(16, 0x70 + round_))
        try:
            assert len(got) == 16, f"16 frames sent with TIMESTAMP enabled, {len(got)} came back"
            for _, p in got:
                assert p.mbuf is not None
                fields = offload_fields(p.mbuf, offset)
                assert fields.ol_flags & flag, (f"a received mbuf lacks the rx timestamp flag "
                                                f"(ol_flags {fields.ol_flags:#x})")
                assert fields.timestamp != 0, "a received mbuf has the timestamp flag and timestamp 0"
                stamps.append(fields.timestamp)
        finally:
            _free(got)
    assert stamps == sorted(stamps), f"rx timestamps decrease in receive order: {stamps[:8]}..."
    note(f"rx timestamp tested on {len(stamps)} frames (monotonic)")


@pytest.mark.check("E20")
def test_e20_tx_checksums_on_the_wire(dut: Dut, note: Note, not_applicable: NotApplicable) -> None:
    """Steps: enable the advertised tx checksum offloads; send IPv4/IPv6 UDP/TCP frames with the IPv4 checksum 0
    and only the pseudo-header sum in the L4 checksum, asking for RTE_MBUF_F_TX_IP_CKSUM / _UDP_CKSUM /
    _TCP_CKSUM with l2_len and l3_len (rte_mbuf_core.h). Verify: each frame comes back on the loop with right
    checksums and otherwise unchanged."""
    b, info = bits(), dut.info
    wanted = {"IPV4_CKSUM": b["RTE_ETH_TX_OFFLOAD_IPV4_CKSUM"], UDP: b["RTE_ETH_TX_OFFLOAD_UDP_CKSUM"],
              TCP: b["RTE_ETH_TX_OFFLOAD_TCP_CKSUM"]}
    enabled = info.tx_offload_capa & sum(wanted.values())
    port = _enabled(dut, note, not_applicable, "tx checksum", tx_offloads=enabled)
    if port is None:
        return
    pool = dut.make_pool(256)
    sent: list[tuple[str, Frame]] = []
    for ipv6 in (False, True):
        for proto in (UDP, TCP):
            l4_on = bool(enabled & wanted[proto])
            ip_on = not ipv6 and bool(enabled & wanted["IPV4_CKSUM"])
            if not (l4_on or ip_on):
                continue
            f = build(dut.dst_mac, bytes.fromhex("020000000002"), ipv6=ipv6, proto=proto, flow=len(sent) + 1,
                      l4_csum="pseudo" if l4_on else "full")
            if not ip_on and not ipv6:  # the IPv4 checksum is ours to write: build() left it 0 with "pseudo"
                good = build(dut.dst_mac, bytes.fromhex("020000000002"), proto=proto, flow=len(sent) + 1).data
                f = dataclasses.replace(f, data=f.data[:24] + good[24:26] + f.data[26:])
            flags = b["RTE_MBUF_F_TX_IPV6" if ipv6 else "RTE_MBUF_F_TX_IPV4"]
            flags |= b["RTE_MBUF_F_TX_IP_CKSUM"] if ip_on else 0
            flags |= b["RTE_MBUF_F_TX_UDP_CKSUM" if proto == UDP else "RTE_MBUF_F_TX_TCP_CKSUM"] if l4_on else 0
            m = pool.alloc()
            m.append(f.data)
            request_tx_offload(m, flags, 14, f.l3_len, 8 if proto == UDP else 20)
            assert port.tx_burst_mbufs([m]) == 1, "the port did not take a frame asking for tx checksum offload"
            what = "+".join(n for n, on in (("IPv4", ip_on), ("UDP" if proto == UDP else "TCP", l4_on)) if on)
            sent.append((f"IPv{6 if ipv6 else 4} frame asking for {what} checksum", f))
    got = _receive(port, 1, len(sent))
    try:
        assert len(got) == len(sent), f"{len(sent)} frames sent with tx checksum offload, {len(got)} came back"
        for (what, f), (_, p) in zip(sent, got, strict=True):
            wrong = checksums_right(p.data)
            assert not wrong, f"{what} came back with wrong {', '.join(wrong)}: the offload did not insert it"
            assert len(p.data) == len(f.data), f"{what} came back {len(p.data)} bytes long, sent {len(f.data)}"
    finally:
        _free(got)
    note(f"tx checksum tested: {_names(enabled, 'RTE_ETH_TX_OFFLOAD_')} on {len(sent)} frames read back")


FOREIGN = bytes.fromhex("024b49540022")  # a unicast address no port here has: a filtering port drops the frames


def _release_sent(port: Port) -> None:
    """Give the driver every chance to free what it sent: receive, then tx_done_cleanup where it exists."""
    for _ in range(4):
        drain(port, 1)
        errno_of(lambda: port.tx_done_cleanup(0, 0))


@pytest.mark.check("E20")
def test_e20_tx_frees_by_reference_count(dut: Dut, note: Note) -> None:
    """Steps: an application keeps a reference to 32 mbufs it sends (rte_mbuf_refcnt_update(m, 1) before the
    burst, as a clone or a retransmit queue does); frames to a foreign unicast address with promiscuous off, so
    a port that filters drops them and its driver frees them itself; receive, tx_done_cleanup. Verify: without
    RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE none of them is back in its pool while the application holds it (a driver
    frees a sent mbuf as rte_pktmbuf_free does: drop one reference, put it back only after the last;
    rte_mbuf.h, rte_pktmbuf_prefree_seg), and each still has the application's reference."""
    port = dut.setup()
    promisc = port.promiscuous()
    errno_of(port.promiscuous_disable)
    pool = dut.make_pool(256)
    held: list[int] = []
    handles: dict[int, Mbuf] = {}  # the application's references, taken back after the burst
    try:
        mbufs = []
        for i, frame in enumerate(dut.frames(32, tag=0x5F)):
            m = pool.alloc()
            m.append(FOREIGN + frame[6:])
            assert m.add_reference() == 2, f"mbuf {i}: rte_mbuf_refcnt_update gave no second reference"
            mbufs.append(m)
        sent = 0
        for _ in range(100):
            sent += port.tx_burst_mbufs(mbufs[sent:])
            if sent == len(mbufs):
                break
            _release_sent(port)
        held = [m.addr for m in mbufs[:sent]]
        for m in mbufs[sent:]:  # not taken: two references to drop
            m.free()
            pool.reclaim(m.addr).free()
        _release_sent(port)
        back = pool.avail_count() - (pool.info().size - len(held))
        assert back <= 0, (f"{back} of {len(held)} sent mbufs the application still held a reference to were back "
                           f"in their pool: without MBUF_FAST_FREE a driver must free sent mbufs by reference "
                           f"count (rte_pktmbuf_free), not put them back unchecked")
        handles = {a: pool.reclaim(a) for a in held}
        counts = [h.fields().refcnt for h in handles.values()]
        wrong = [c for c in counts if c not in (1, 2)]
        assert not wrong, f"sent mbufs the application held have reference counts {wrong}, want 1 (or 2 if kept)"
        note(f"tx mbuf release by reference count tested on {len(held)} frames "
             f"({counts.count(1)} released by the driver, {counts.count(2)} still held)")
    finally:
        for a in held:
            (handles.get(a) or pool.reclaim(a)).free()
        errno_of(port.promiscuous_enable if promisc else port.promiscuous_disable)


@pytest.mark.check("E20")
def test_e20_tx_mbuf_fast_free(dut: Dut, note: Note, not_applicable: NotApplicable) -> None:
    """Steps: with RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE enabled (advertised), send 256 frames of one pool with one
    reference each (what the offload lets the application promise), receive them, stop the port. Verify: the
    frames come back unchanged where the port loops, and every mbuf is back in its pool exactly once."""
    fast_free = dut.info.tx_offload_capa & bits()["RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE"]
    port = _enabled(dut, note, not_applicable, "tx MBUF_FAST_FREE", tx_offloads=fast_free)
    if port is None:
        return
    pool = dut.make_pool(512)
    frames = dut.frames(256, tag=0x6F)
    received: list[bytes] = []
    sent = 0
    for _ in range(400):
        if sent == len(frames):
            break
        mbufs = pool.alloc_bulk(min(32, len(frames) - sent))
        for m, frame in zip(mbufs, frames[sent:], strict=False):
            m.append(frame)
        k = port.tx_burst_mbufs(mbufs)
        for m in mbufs[k:]:
            m.free()
        sent += k
        received += drain(port, 1)
    received += drain(port, 1)
    port.stop()
    assert sent == len(frames), f"with MBUF_FAST_FREE the port took {sent} of {len(frames)} frames"
    assert pool.avail_count() == pool.info().size and pool.in_use_count() == 0, (
        f"with MBUF_FAST_FREE, {sent} frames sent from a pool of {pool.info().size}: {pool.avail_count()} back "
        f"after stop: the fast free path lost or kept mbufs")
    assert sorted(received) == sorted(frames), (
        f"with MBUF_FAST_FREE {len(received)} of {len(frames)} frames came back (or changed) on the loop")
    note(f"tx MBUF_FAST_FREE tested: {sent} frames, every mbuf back once")


@pytest.mark.check("E20")
def test_e20_reports_what_was_not_tested(dut: Dut, note: Note) -> None:
    """The advertised offloads E20 does not exercise, named in the report (multi-segment ones are E15's)."""
    b, info = bits(), dut.info
    rx_done = sum(b[f"RTE_ETH_RX_OFFLOAD_{n}"] for n in ("RSS_HASH", "IPV4_CKSUM", "UDP_CKSUM", "TCP_CKSUM",
                                                          "VLAN_STRIP", "TIMESTAMP"))
    tx_done = sum(b[f"RTE_ETH_TX_OFFLOAD_{n}"] for n in ("IPV4_CKSUM", "UDP_CKSUM", "TCP_CKSUM", "MBUF_FAST_FREE"))
    rest_rx, rest_tx = info.rx_offload_capa & ~rx_done, info.tx_offload_capa & ~tx_done
    note(f"advertised: rx {_names(info.rx_offload_capa, 'RTE_ETH_RX_OFFLOAD_')}, tx "
         f"{_names(info.tx_offload_capa, 'RTE_ETH_TX_OFFLOAD_')}; not tested by E20: rx "
         f"{_names(rest_rx, 'RTE_ETH_RX_OFFLOAD_')}, tx {_names(rest_tx, 'RTE_ETH_TX_OFFLOAD_')}"
         " (SCATTER/MULTI_SEGS: multi-segment frames are E15's)")
