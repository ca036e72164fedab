"""PMD conformance: checks E1-E14 of docs/conformance.md against one ethdev driver given by vdev devargs.

Run by `kit test --pmd DEVARGS [--plugin PATH]`. The session EAL has the device (two lcores, the
driver's plugin loaded) and the checks share its port. Between checks the port is put back in one
canonical state (stopped, one rx and one tx queue, rx from the session pool) and leak accounting
requires the session pool back at its count, every pool a check created full, and memzones and heap
usage back at their baseline. Close (E11), hotplug (E12) and devargs (E13) destroy or create ports:
they run in a child EAL. E14 runs DPDK's own programs.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kit.conformance import ethdev_child_ops as child
from kit.conformance.plugin import KitTarget
from kit.harness import (
    DevInfo,
    DpdkError,
    Eal,
    EalConfig,
    HarnessUsageError,
    MempoolAuditError,
    PktmbufPool,
    Port,
    memory_snapshot,
    run_in_child,
)
from kit.runtime import base_eal_args, remove_runtime_dir, unique_file_prefix
from kit.toolchain.dpdk import find_dpdk

SESSION_POOL = 8192
ETH_SRC = child.ETH_SRC
# Frames are addressed to the port's own MAC (set by the session fixture) so that a NIC model that filters
# unicast addresses, as hardware does, still receives them on a loop.
_dst_mac = [bytes.fromhex("020000000001")]
MAX_QUEUES_PER_PORT = 1024  # RTE_MAX_QUEUES_PER_PORT of DPDK's build: configure refuses more
DRAIN_POLLS = 64
LOOP_POLLS = 400

# Values for documented devargs whose param string gives no usable example.
SAMPLE_VALUES = {
    "name:node:action(ATTACH|CREATE)": "kitr:0:CREATE",
    "<xx:xx:xx:xx:xx:xx>": "02:00:00:00:00:01",  # a locally administered unicast MAC
}

_names = iter(range(1_000_000))


@dataclass
class Dut:
    """The device under test: its port, the session pool, and the pools checks create."""

    eal: Eal
    port: Port
    pool: PktmbufPool
    devargs: str
    pools: list[PktmbufPool] = field(default_factory=list)

    @property
    def info(self) -> DevInfo:
        return self.port.info()

    def make_pool(self, size: int = 4096, *, data_room_size: int = PktmbufPool.DEFAULT_DATA_ROOM) -> PktmbufPool:
        pool = PktmbufPool.create(f"kite{next(_names)}", size, data_room_size=data_room_size)
        self.pools.append(pool)
        return pool

    def setup(self, nb_rx: int = 1, nb_tx: int = 1, *, start: bool = True, **conf: object) -> Port:
        return self.port.setup(self.pool, nb_rx, nb_tx, start=start, **conf)


# -- session, canonical state, leak accounting -------------------------------------------------------


@pytest.fixture(scope="session")
def devargs(kit_target: KitTarget) -> str:
    assert kit_target.pmd is not None
    return kit_target.pmd


@pytest.fixture(scope="session")
def eal_config(kit_target: KitTarget, devargs: str) -> EalConfig:
    return EalConfig(vdevs=(devargs,), plugins=tuple(map(str, kit_target.plugins)), lcores="0-1", memory_mb=512)


@pytest.fixture(scope="session")
def child_config(kit_target: KitTarget) -> EalConfig:
    """The same EAL without the device: child checks probe it themselves."""
    return EalConfig(plugins=tuple(map(str, kit_target.plugins)), lcores="0-1", memory_mb=512)


@pytest.fixture(scope="session")
def eal(eal_config: EalConfig) -> Iterator[Eal]:
    with Eal(eal_config) as instance:
        yield instance


@pytest.fixture(scope="session")
def session_dut(eal: Eal, devargs: str) -> Dut:
    port = Port.by_name(devargs.split(",")[0])
    mac = bytes(int(b, 16) for b in port.mac_addr().split(":"))
    if mac != bytes(6) and not mac[0] & 1:
        _dst_mac[0] = mac
    return Dut(eal, port, PktmbufPool.create("kite_session", SESSION_POOL), devargs)


def _drain(port: Port, queues: int, polls: int = DRAIN_POLLS) -> list[bytes]:
    """Receive until every queue is empty (or `polls` bursts each): frames left by the driver come back."""
    got: list[bytes] = []
    for q in range(queues):
        for _ in range(polls):
            try:
                burst = port.rx_burst(q, 32)
            except HarnessUsageError:
                break  # queue not set up
            got += [p.data for p in burst]
            if not burst:
                break
    return got


def _restore(dut: Dut) -> None:
    """Back to the canonical state: drained, stopped, 1 rx + 1 tx queue, rx from the session pool."""
    port = dut.port
    queues = port.info().nb_rx_queues
    try:
        if not port.started:
            port.start()
        _drain(port, queues)
    except DpdkError:
        pass  # a port that cannot start holds nothing to drain; the accounting below tells
    port.stop()
    port.configure(1, 1)
    port.rx_queue_setup(0, dut.pool)
    port.tx_queue_setup(0)


@pytest.fixture(autouse=True)
def dut(session_dut: Dut) -> Iterator[Dut]:
    """Every check starts from the canonical state and must leave nothing behind. A port that cannot even be
    put in that state (configure refused) gets no leak accounting: its checks fail on their own calls."""
    try:
        _restore(session_dut)
    except DpdkError:
        yield session_dut
        for pool in session_dut.pools:
            pool.free()
        session_dut.pools.clear()
        return
    before = memory_snapshot()
    avail = session_dut.pool.avail_count()
    yield session_dut
    _restore(session_dut)
    lost = [f"{p.name}: {p.avail_count()} of {p.size} mbufs back" for p in session_dut.pools
            if p.avail_count() != p.size]
    if session_dut.pool.avail_count() != avail:
        lost.append(f"session pool: {session_dut.pool.avail_count()} mbufs available, {avail} before the check")
    for pool in session_dut.pools:
        pool.free()
    session_dut.pools.clear()
    after = memory_snapshot()
    assert not lost, ("mbufs not given back once the port was drained, stopped and its queues released "
                      "(a driver must free every mbuf it took): " + "; ".join(lost))
    assert after == before, (
        f"leak: memzones {before.memzones} -> {after.memzones}, heap bytes in use {before.heap_used} -> "
        f"{after.heap_used} once the port was back to 1 rx + 1 tx queue, stopped")


def frames(n: int, tag: int = 0, *, base_len: int = 60) -> list[bytes]:
    """n distinct Ethernet frames to the port's MAC (ethdev_child_ops.frames)."""
    return child.frames(n, tag, dst=_dst_mac[0], base_len=base_len)


def udp_frames(n: int) -> list[bytes]:
    """n IPv4/UDP frames of n different flows (source port varies): what RSS spreads over queues."""
    out = []
    for i in range(n):
        udp = (1024 + i).to_bytes(2, "big") + (4789).to_bytes(2, "big") + (8 + 18).to_bytes(2, "big") + b"\0\0"
        ip = bytes.fromhex("45000000" "00004000" "40110000" "0a000001" "0a000002")
        ip = ip[:2] + (20 + len(udp) + 18).to_bytes(2, "big") + ip[4:]
        out.append(_dst_mac[0] + ETH_SRC + bytes.fromhex("0800") + ip + udp + bytes(18))
    return out


def _send_all(port: Port, packets: list[bytes], queue: int = 0, *, polls: int = LOOP_POLLS,
              receive: Callable[[], list[bytes]] | None = None) -> tuple[int, list[bytes]]:
    """tx every packet (retrying what the driver did not take) while receiving; returns (sent, received)."""
    sent, received, tries = 0, [], 0
    while sent < len(packets) and tries < polls:
        k = port.tx_burst(packets[sent:sent + 32], queue)
        assert 0 <= k <= len(packets[sent:sent + 32]), f"tx burst of {len(packets[sent:sent + 32])} returned {k}"
        sent += k
        tries += 1
        if receive is not None:
            received += receive()
    return sent, received


def _errno_of(call: Callable[[], object]) -> str | None:
    """None if call succeeded, else the errno name it failed with."""
    try:
        call()
    except DpdkError as exc:
        return exc.errno_name
    return None


# -- E1 probe ----------------------------------------------------------------------------------------


@pytest.mark.check("E1")
def test_e1_port_found_by_name_with_the_registered_driver(dut: Dut, eal: Eal, kit_target: KitTarget) -> None:
    device = dut.devargs.split(",")[0]
    port = Port.by_name(device)
    assert port.name == device, f"port {port.port_id} is named {port.name!r}; the vdev is {device!r}"
    assert port in Port.all(), f"port {port.port_id} is not listed by RTE_ETH_FOREACH_DEV (probing not finished?)"
    assert eal.lib.rte_eth_dev_count_avail() >= 1
    name = port.info().driver_name
    assert name == kit_target.driver, (f"dev_info.driver_name is {name!r}; the device {device!r} was matched to "
                                       f"the driver registered as {kit_target.driver!r}")


# -- E2 info ---------------------------------------------------------------------------------------------


@pytest.mark.check("E2")
def test_e2_dev_info_is_sane(dut: Dut) -> None:
    info = dut.info
    problems = []
    if info.max_rx_queues < 1 or info.max_tx_queues < 1:
        problems.append(f"max_rx_queues {info.max_rx_queues} / max_tx_queues {info.max_tx_queues}: need >= 1")
    if info.max_mac_addrs < 1:
        problems.append(f"max_mac_addrs {info.max_mac_addrs}: need >= 1")
    if info.max_rx_pktlen < 1518:
        problems.append(f"max_rx_pktlen {info.max_rx_pktlen}: the default MTU 1500 needs 1518")
    if not info.min_mtu <= 1500 <= info.max_mtu:
        problems.append(f"MTU range [{info.min_mtu}, {info.max_mtu}] does not contain the default 1500")
    for side, lim in (("rx", info.rx_desc_lim), ("tx", info.tx_desc_lim)):
        if lim.nb_align < 1 or lim.nb_min > lim.nb_max or lim.nb_max < 1:
            problems.append(f"{side}_desc_lim min {lim.nb_min} max {lim.nb_max} align {lim.nb_align}: inconsistent")
    if info.rx_queue_offload_capa & ~info.rx_offload_capa:
        problems.append(f"rx queue offloads {info.rx_queue_offload_capa:#x} not within port rx offloads "
                        f"{info.rx_offload_capa:#x}")
    if info.tx_queue_offload_capa & ~info.tx_offload_capa:
        problems.append(f"tx queue offloads {info.tx_queue_offload_capa:#x} not within port tx offloads "
                        f"{info.tx_offload_capa:#x}")
    assert not problems, "dev_info: " + "; ".join(problems)


@pytest.mark.check("E2")
def test_e2_dev_info_is_repeatable(dut: Dut) -> None:
    """dev_infos_get is called by the core on most calls: it must have no side effects."""
    first = dut.port.info()
    for i in range(20):
        again = dut.port.info()
        assert again == first, f"dev_info call {i + 2} differs from the first: {first} -> {again}"


# -- E3 MAC ----------------------------------------------------------------------------------------------


@pytest.mark.check("E3")
def test_e3_default_mac_is_valid_unicast(dut: Dut, not_applicable: Callable[[str], None]) -> None:
    mac = bytes(int(b, 16) for b in dut.port.mac_addr().split(":"))
    if mac == bytes(6):
        not_applicable("E3.default_mac")
    assert mac != bytes(6), "the default MAC is 00:00:00:00:00:00; DPDK expects a valid unicast address"
    assert not mac[0] & 1, f"the default MAC {dut.port.mac_addr()} is multicast; it must be unicast"


@pytest.mark.check("E3")
def test_e3_set_default_answers_zero_or_enotsup(dut: Dut) -> None:
    port = dut.port
    original = port.mac_addr()
    got = _errno_of(lambda: port.set_mac_addr("02:00:00:00:00:05"))
    assert got in (None, "ENOTSUP"), f"default MAC set returned {got}; want 0 or ENOTSUP"
    if got is None:
        assert port.mac_addr() == "02:00:00:00:00:05", "default MAC set returned 0 but did not change the address"
        port.set_mac_addr(original)


@pytest.mark.check("E3")
def test_e3_add_remove_answer_zero_or_enotsup(dut: Dut, not_applicable: Callable[[str], None]) -> None:
    port = dut.port
    if port.mac_addr() == "00:00:00:00:00:00":
        not_applicable("E3.default_mac")
    results = {"add": _errno_of(lambda: port.add_mac_addr("02:00:00:00:00:06"))}
    results["remove added"] = _errno_of(lambda: port.remove_mac_addr("02:00:00:00:00:06"))
    bad = {k: v for k, v in results.items() if v not in (None, "ENOTSUP")}
    assert not bad, f"MAC calls must return 0 or -ENOTSUP; got {bad}"
    removing_default = _errno_of(lambda: port.remove_mac_addr(port.mac_addr()))
    assert removing_default is not None, "removing the default MAC (index 0) returned 0; it must be refused"


# -- E4 configure ----------------------------------------------------------------------------------------


def _missing_bit(capa: int, low: int = 0) -> int:
    return next(1 << b for b in range(low, 64) if not capa & (1 << b))


@pytest.mark.check("E4")
def test_e4_configure_queue_counts(dut: Dut) -> None:
    port, info = dut.port, dut.info
    port.stop()
    port.configure(1, 1)
    top_rx, top_tx = min(info.max_rx_queues, MAX_QUEUES_PER_PORT), min(info.max_tx_queues, MAX_QUEUES_PER_PORT)
    failed = _errno_of(lambda: port.configure(top_rx, top_tx))
    assert failed is None, f"configure({top_rx}, {top_tx}) (the advertised maxima) failed with {failed}"
    now = port.info()
    assert (now.nb_rx_queues, now.nb_tx_queues) == (top_rx, top_tx)
    failed = _errno_of(lambda: port.configure(0, 0))
    assert failed is None, f"configure(0, 0) (the driver's default queue counts) failed with {failed}"
    for nb_rx, nb_tx in ((info.max_rx_queues + 1, 1), (1, info.max_tx_queues + 1)):
        if max(nb_rx, nb_tx) <= 0xFFFF:
            got = _errno_of(lambda r=nb_rx, t=nb_tx: port.configure(r, t))  # type: ignore[misc]
            assert got == "EINVAL", f"configure({nb_rx}, {nb_tx}) beyond the maxima: {got or 'accepted'}, want EINVAL"


@pytest.mark.check("E4")
def test_e4_configure_refuses_unsupported_offloads_and_rss(dut: Dut) -> None:
    port, info = dut.port, dut.info
    port.stop()
    rx_bit, tx_bit = _missing_bit(info.rx_offload_capa), _missing_bit(info.tx_offload_capa)
    got = _errno_of(lambda: port.configure(1, 1, rx_offloads=rx_bit))
    assert got == "EINVAL", f"rx offload {rx_bit:#x} (not in rx_offload_capa): {got or 'accepted'}, want EINVAL"
    got = _errno_of(lambda: port.configure(1, 1, tx_offloads=tx_bit))
    assert got == "EINVAL", f"tx offload {tx_bit:#x} (not in tx_offload_capa): {got or 'accepted'}, want EINVAL"
    rss_bit = _missing_bit(info.flow_type_rss_offloads, 2)
    got = _errno_of(lambda: port.configure(2, 2, mq_mode="rss", rss_hf=rss_bit))
    assert got == "EINVAL", f"RSS type {rss_bit:#x} (not in flow_type_rss_offloads): {got or 'accepted'}, want EINVAL"


@pytest.mark.check("E4")
def test_e4_configure_while_started_is_busy(dut: Dut) -> None:
    dut.setup()
    got = _errno_of(lambda: dut.port.configure(1, 1))
    assert got == "EBUSY", f"configure of a started port: {got or 'accepted'}, want EBUSY"


# -- E5 queue setup --------------------------------------------------------------------------------------


@pytest.mark.check("E5")
def test_e5_queue_ids_and_default_descriptors(dut: Dut) -> None:
    port = dut.port
    port.configure(1, 1)
    got = _errno_of(lambda: port.rx_queue_setup(1, dut.pool))
    assert got is not None, "rx_queue_setup of queue 1 on a port configured with 1 rx queue succeeded"
    got = _errno_of(lambda: port.tx_queue_setup(1))
    assert got is not None, "tx_queue_setup of queue 1 on a port configured with 1 tx queue succeeded"
    for q_setup in (lambda: port.rx_queue_setup(0, dut.pool, 0), lambda: port.tx_queue_setup(0, 0)):
        got = _errno_of(q_setup)
        assert got is None, f"queue setup with nb_desc 0 (take the driver's default) failed with {got}"
    port.start()
    sent, _ = _send_all(port, frames(4))
    assert sent >= 1, "a port set up with default descriptors took no frame"


@pytest.mark.check("E5")
def test_e5_descriptor_counts_outside_the_limits_fail(dut: Dut) -> None:
    """Every nb_desc the advertised limits exclude (and a 16-bit count can express) must be refused."""
    port, info = dut.port, dut.info
    port.configure(1, 1)
    for side, lim in (("rx", info.rx_desc_lim), ("tx", info.tx_desc_lim)):
        bad = []
        if lim.nb_max < 0xFFFF:
            bad.append(lim.nb_max + 1)
        if lim.nb_min > 1:
            bad.append(lim.nb_min - 1)
        if lim.nb_align > 1:
            bad.append(lim.nb_min + lim.nb_align + 1 if lim.nb_min + lim.nb_align + 1 <= lim.nb_max else 1)
        for nb in bad:
            if side == "rx":
                got = _errno_of(lambda n=nb: port.rx_queue_setup(0, dut.pool, n))  # type: ignore[misc]
            else:
                got = _errno_of(lambda n=nb: port.tx_queue_setup(0, n))  # type: ignore[misc]
            assert got is not None, (f"{side} queue setup with nb_desc {nb} succeeded; limits are "
                                     f"min {lim.nb_min} max {lim.nb_max} align {lim.nb_align}")


@pytest.mark.check("E5")
def test_e5_too_small_data_room_fails(dut: Dut, not_applicable: Callable[[str], None]) -> None:
    info = dut.info
    if info.min_rx_bufsize == 0:
        not_applicable("E5.small_data_room")
    assert info.min_rx_bufsize > 0, ("dev_info.min_rx_bufsize is 0: the driver claims to accept pools of any data "
                                     "room; say what its buffers need (or declare E5.small_data_room)")
    headroom = int(dut.eal.lib.RTE_PKTMBUF_HEADROOM)
    small = dut.make_pool(512, data_room_size=headroom + info.min_rx_bufsize - 1)
    dut.port.configure(1, 1)
    got = _errno_of(lambda: dut.port.rx_queue_setup(0, small))
    assert got is not None, (f"rx queue setup accepted a pool with {info.min_rx_bufsize - 1} bytes of data room "
                             f"below min_rx_bufsize {info.min_rx_bufsize}")


@pytest.mark.check("E5")
def test_e5_queue_resetup_leaks_nothing(dut: Dut) -> None:
    port = dut.port
    port.configure(2, 2)
    for q in range(2):
        port.rx_queue_setup(q, dut.pool)
        port.tx_queue_setup(q)
    before = memory_snapshot()
    for _ in range(50):
        for q in range(2):
            port.rx_queue_setup(q, dut.pool)
            port.tx_queue_setup(q)
    after = memory_snapshot()
    assert after == before, (f"50 re-setups of 2 queue pairs: memzones {before.memzones} -> {after.memzones}, heap "
                             f"{before.heap_used} -> {after.heap_used} bytes (the core releases the old queue "
                             "through rx/tx_queue_release before setup: it must free everything)")


# -- E6 start --------------------------------------------------------------------------------------------


def _wait_link(port: Port, up: bool, seconds: float = 5.0) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if port.link().up == up:
            return True
        time.sleep(0.02)
    return port.link().up == up


@pytest.mark.check("E6")
def test_e6_link_up_after_start_and_second_start_harmless(dut: Dut) -> None:
    port = dut.port
    port.configure(1, 1)
    port.rx_queue_setup(0, dut.pool)
    port.tx_queue_setup(0)
    failed = _errno_of(port.start)
    assert failed is None, (f"rte_eth_dev_start failed with {failed} (without a link_update op the core returns "
                            "ENOTSUP after the driver started)")
    assert _wait_link(port, True), f"link still down 5 s after start: {port.link()}"
    failed = _errno_of(port.start)
    assert failed is None, f"a second start failed with {failed}; it must be harmless"
    assert port.link().up, "link went down after a second start"
    sent, _ = _send_all(port, frames(4))
    assert sent >= 1, "after a second start the port takes no frame"


# -- E7 datapath -----------------------------------------------------------------------------------------


@pytest.mark.check("E7")
@pytest.mark.parametrize("n", [1, 32, 256])
def test_e7_tx_takes_at_most_n_and_leaves_the_rest(dut: Dut, n: int) -> None:
    port = dut.setup()
    mbufs = dut.pool.alloc_bulk(n)
    for i, m in enumerate(mbufs):
        m.append(frames(1, i)[0])
    taken = port.tx_burst_mbufs(mbufs)
    assert 0 <= taken <= n, f"tx burst of {n} returned {taken}"
    for m in mbufs[taken:]:
        fields = m.fields()
        assert fields.refcnt == 1 and m.check() is None, (
            f"an mbuf the driver did not take (tx returned {taken} of {n}) was touched: refcnt {fields.refcnt}, "
            f"{m.check()}")
        m.free()


def _well_formed(pkt: object, port: Port, pools: set[int], check_port: bool) -> list[str]:
    from kit.harness import RxPacket

    assert isinstance(pkt, RxPacket)
    head, segs, problems = pkt.fields, pkt.segments, []
    if pkt.mbuf is not None and (reason := pkt.mbuf.check()) is not None:
        problems.append(f"rte_mbuf_check: {reason}")
    if head.pkt_len != sum(s.data_len for s in segs):
        problems.append(f"pkt_len {head.pkt_len} != sum of segment data_len {sum(s.data_len for s in segs)}")
    if head.nb_segs != len(segs):
        problems.append(f"nb_segs {head.nb_segs} but {len(segs)} segments chained")
    if segs[-1].next != 0:
        problems.append("last segment's next is not NULL")
    for s in segs:
        if s.data_off + s.data_len > s.buf_len:
            problems.append(f"data_off {s.data_off} + data_len {s.data_len} > buf_len {s.buf_len}")
        if s.refcnt != 1:
            problems.append(f"refcnt {s.refcnt}, want 1")
        if s.pool not in pools:
            problems.append(f"mbuf of pool {s.pool:#x}, not of the queue's pool")
    if check_port and head.port != port.port_id:
        problems.append(f"port {head.port}, want {port.port_id}")
    return problems


@pytest.mark.check("E7")
def test_e7_received_mbufs_are_well_formed(dut: Dut, not_applicable: Callable[[str], None],
                                           kit_target: KitTarget) -> None:
    port = dut.setup()
    _send_all(port, frames(32))
    received = []
    for _ in range(DRAIN_POLLS):
        received += port.rx_burst(0, 32, keep=True)
        if len(received) >= 32:
            break
    if not received:
        not_applicable("E7.rx")
    from kit.conformance.applicability import reason_not_applicable

    check_port = reason_not_applicable(kit_target.driver, "E7.mbuf_port") is None
    try:
        assert received, "nothing received after 32 frames were sent (declare E7.rx if the driver cannot receive)"
        pools = {dut.pool.address}
        for i, pkt in enumerate(received):
            problems = _well_formed(pkt, port, pools, check_port)
            assert not problems, f"received mbuf {i}: " + "; ".join(problems)
    finally:
        for pkt in received:
            if pkt.mbuf is not None and pkt.mbuf.alive:
                pkt.mbuf.free()


@pytest.mark.check("E7")
def test_e7_payload_survives_a_loop(dut: Dut, not_applicable: Callable[[str], None]) -> None:
    """Steps: send 200 distinct frames, receive until all are back (bounded polls).
    Verify: every frame comes back exactly once, byte for byte."""
    not_applicable("E7.loop")
    port = dut.setup()
    sent_frames = frames(200, 7)
    sent, received = _send_all(port, sent_frames, receive=lambda: [p.data for p in port.rx_burst(0, 32)])
    for _ in range(LOOP_POLLS):
        if len(received) >= sent:
            break
        received += [p.data for p in port.rx_burst(0, 32)]
    want, got = Counter(sent_frames[:sent]), Counter(received)
    missing, extra = want - got, got - want
    assert not missing and not extra, (
        f"{sent} frames sent, {len(received)} received: {sum(missing.values())} missing or changed, "
        f"{sum(extra.values())} unexpected (first unexpected: {next(iter(extra), b'').hex()[:80]})")


def _multiqueue_traffic(dut: Dut) -> tuple[int, list[bytes], list[bytes]]:
    info = dut.info
    nq = min(4, info.max_rx_queues, info.max_tx_queues)
    port = dut.setup(nq, nq)
    sent: list[bytes] = []
    for q in range(nq):
        pkts = frames(24, 0x40 + q)
        k, _ = _send_all(port, pkts, q)
        assert k >= 1, f"tx queue {q} of {nq} took no frame"
        sent += pkts[:k]
    return nq, sent, _drain(port, nq, LOOP_POLLS)


@pytest.mark.check("E7")
def test_e7_every_queue_takes_frames(dut: Dut) -> None:
    """Steps: configure up to 4 queue pairs, send distinct frames on each tx queue, receive on every rx queue.
    Verify: each tx queue takes frames on its own, every rx queue answers."""
    nq, _, _ = _multiqueue_traffic(dut)
    for q in range(nq):
        dut.port.rx_burst(q, 1)


@pytest.mark.check("E7")
def test_e7_multiqueue_loop_returns_each_frame_once(dut: Dut, not_applicable: Callable[[str], None]) -> None:
    """Where the driver loops: frames sent over several queues all come back, each exactly once."""
    not_applicable("E7.loop")
    nq, sent, received = _multiqueue_traffic(dut)
    want, got = Counter(sent), Counter(received)
    assert want == got, (f"{len(sent)} frames sent over {nq} queues, {len(received)} received: "
                         f"{sum((want - got).values())} missing, {sum((got - want).values())} unexpected")


@pytest.mark.check("E7")
def test_e7_rss_spreads_flows_or_is_refused(dut: Dut, not_applicable: Callable[[str], None]) -> None:
    info = dut.info
    nq = min(4, info.max_rx_queues, info.max_tx_queues)
    if info.flow_type_rss_offloads == 0:
        got = _errno_of(lambda: dut.port.configure(nq, nq, mq_mode="rss", rss_hf=0x4))
        assert got is not None, "a port without RSS types (flow_type_rss_offloads 0) accepted an RSS configuration"
        return
    not_applicable("E7.loop")
    rss_hf = info.flow_type_rss_offloads & (0x4 | 0x80 | 0x20)  # IPv4, non-frag UDP, frag IPv4 where offered
    port = dut.setup(nq, nq, mq_mode="rss", rss_hf=rss_hf or info.flow_type_rss_offloads)
    _send_all(port, udp_frames(64))
    queues = set()
    for q in range(nq):
        for _ in range(DRAIN_POLLS):
            burst = port.rx_burst(q, 32)
            if not burst:
                break
            queues.add(q)
    assert len(queues) >= 2, f"64 UDP flows with RSS over {nq} queues all arrived on queue(s) {sorted(queues)}"


# -- E8 stats --------------------------------------------------------------------------------------------


def _all_zero(port: Port) -> dict[str, int]:
    s = port.stats()
    fields = {"ipackets": s.ipackets, "opackets": s.opackets, "ibytes": s.ibytes, "obytes": s.obytes,
              "imissed": s.imissed, "ierrors": s.ierrors, "oerrors": s.oerrors, "rx_nombuf": s.rx_nombuf}
    return {k: v for k, v in fields.items() if v}


def _counted_traffic(port: Port) -> tuple[int, int, int, int]:
    """Traffic after a reset: (packets sent, bytes sent, packets received, bytes received) as the caller saw it."""
    port.stats_reset()
    pkts = frames(64, 2)
    sent, received = _send_all(port, pkts, receive=lambda: [p.data for p in port.rx_burst(0, 32)])
    for _ in range(8):
        received += [p.data for p in port.rx_burst(0, 32)]
    return sent, sum(len(p) for p in pkts[:sent]), len(received), sum(len(p) for p in received)


@pytest.mark.check("E8")
def test_e8_stats_zero_after_reset(dut: Dut) -> None:
    port = dut.setup()
    _send_all(port, frames(40, 1))
    _drain(port, 1, 4)
    port.stats_reset()
    nonzero = _all_zero(port)
    assert not nonzero, f"stats after rte_eth_stats_reset are not zero: {nonzero}"


@pytest.mark.check("E8")
def test_e8_packet_counts_match_traffic(dut: Dut) -> None:
    port = dut.setup()
    _send_all(port, frames(16, 1))
    _drain(port, 1, 4)
    sent, _, received, _ = _counted_traffic(port)
    s = port.stats()
    assert (s.opackets, s.ipackets) == (sent, received), (
        f"stats say {s.opackets} packets sent and {s.ipackets} received; the driver took {sent} and "
        f"returned {received}")


@pytest.mark.check("E8")
def test_e8_byte_counts_match_traffic(dut: Dut, not_applicable: Callable[[str], None]) -> None:
    not_applicable("E8.bytes")
    port = dut.setup()
    _send_all(port, frames(16, 1))
    _drain(port, 1, 4)
    _, obytes, _, ibytes = _counted_traffic(port)
    s = port.stats()
    assert (s.obytes, s.ibytes) == (obytes, ibytes), (
        f"stats say {s.obytes} bytes sent and {s.ibytes} received; the traffic was {obytes} and {ibytes} bytes")


@pytest.mark.check("E8")
def test_e8_xstats_names_and_values_agree(dut: Dut) -> None:
    port, lib = dut.setup(), dut.eal.lib
    _send_all(port, frames(8))
    ffi = dut.eal.ffi
    names = lib.rte_eth_xstats_get_names(port.port_id, ffi.NULL, 0)
    values = lib.rte_eth_xstats_get(port.port_id, ffi.NULL, 0)
    assert names >= 0 and names == values, f"xstats: {names} names but {values} values"
    x, s = port.xstats(), port.stats()
    assert len(x) == names
    for key, want in (("rx_good_packets", s.ipackets), ("tx_good_packets", s.opackets)):
        if key in x:
            assert x[key] == want, f"xstat {key} is {x[key]}, stats say {want}"
    port.xstats_reset()
    nonzero = {k: v for k, v in port.xstats().items() if v and ("packets" in k or "bytes" in k)}
    assert not nonzero, f"packet/byte xstats after rte_eth_xstats_reset: {nonzero}"


# -- E9 promiscuous, allmulticast, MTU -------------------------------------------------------------------


@pytest.mark.check("E9")
@pytest.mark.parametrize("mode", ["promiscuous", "allmulticast"])
def test_e9_mode_answers_and_reads_back(dut: Dut, mode: str) -> None:
    port = dut.port
    get = getattr(port, mode)
    for action, want in (("enable", True), ("disable", False), ("enable", True)):
        before = get()
        got = _errno_of(getattr(port, f"{mode}_{action}"))
        assert got in (None, "ENOTSUP"), f"{mode}_{action} returned {got}; want 0 or ENOTSUP"
        now = get()
        expected = want if got is None else before
        assert now == expected, f"{mode}_{action} returned {got or 0} but the state reads {now}"


@pytest.mark.check("E9")
def test_e9_mtu_in_range_accepted_out_of_range_refused(dut: Dut) -> None:
    """In-range MTUs return 0 or -ENOTSUP and read back; one whose frame does not fit the rx queue's buffers
    may also be refused with -EINVAL (no scatter); out-of-range MTUs are refused."""
    port, info = dut.port, dut.info
    original = port.mtu()
    room = dut.pool.max_packet_len  # the canonical rx queue's buffers
    in_range = sorted({max(info.min_mtu, 68), 1500, min(info.max_mtu, 2000), min(info.max_mtu, 9000)})
    in_range = [m for m in in_range if info.min_mtu <= m <= info.max_mtu and m + 18 <= info.max_rx_pktlen]
    try:
        for mtu in in_range:
            got = _errno_of(lambda m=mtu: port.set_mtu(m))  # type: ignore[misc]
            allowed = (None, "ENOTSUP", "EINVAL") if mtu + 18 > room else (None, "ENOTSUP")
            assert got in allowed, (f"set_mtu({mtu}) within [{info.min_mtu}, {info.max_mtu}], frames fitting the rx "
                                    f"buffers ({room} bytes), returned {got}; want 0 or ENOTSUP")
            if got is None:
                assert port.mtu() == mtu, f"set_mtu({mtu}) returned 0 but the MTU reads {port.mtu()}"
        for mtu in (info.min_mtu - 1, info.max_mtu + 1):
            if 0 < mtu <= 0xFFFF:
                got = _errno_of(lambda m=mtu: port.set_mtu(m))  # type: ignore[misc]
                assert got is not None, f"set_mtu({mtu}) outside [{info.min_mtu}, {info.max_mtu}] succeeded"
    finally:
        _errno_of(lambda: port.set_mtu(original))


# -- E10 stop --------------------------------------------------------------------------------------------


@pytest.mark.check("E10")
def test_e10_stop_twice_link_down_and_no_mbuf_kept(dut: Dut, not_applicable: Callable[[str], None]) -> None:
    port = dut.port
    port.configure(1, 1)
    port.rx_queue_setup(0, dut.pool, 0)
    port.tx_queue_setup(0, 0)
    avail = dut.pool.avail_count()
    port.start()
    _send_all(port, frames(128, 3))
    _drain(port, 1, LOOP_POLLS)
    port.stop()
    got = _errno_of(port.stop)
    assert got is None, f"a second stop failed with {got}; it must be harmless"
    # A stopped port's tx queue holds nothing it may free again (the op is optional: ENOTSUP is an answer).
    _errno_of(lambda: port.tx_done_cleanup(0))
    try:
        dut.pool.audit()
    except MempoolAuditError as exc:
        pytest.fail(f"tx_done_cleanup on the stopped port returned mbufs to the pool twice: {exc}")
    port.configure(1, 1)
    port.rx_queue_setup(0, dut.pool)  # releases the queue the traffic went through
    port.tx_queue_setup(0)
    lost = avail - dut.pool.avail_count()
    assert lost <= 0, (f"{lost} mbufs still held after the port was drained, stopped and its queues released: "
                       "the driver lost mbufs it took")
    if port.link().up:
        not_applicable("E10.link_down")
    assert not port.link().up, "the link is still up after stop (a virtual port's link must go down)"


# -- E11 close (child EAL) --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def close_facts(session_dut: Dut, child_config: EalConfig) -> dict[str, object]:
    """One child EAL run of the close scenario (ethdev_child_ops.close_releases_everything)."""
    info = session_dut.port.info()
    nq = min(2, info.max_rx_queues, info.max_tx_queues)
    facts = run_in_child(child.close_releases_everything, session_dut.devargs, nq, eal=child_config, timeout=120)
    assert facts["probe_rc"] == 0, f"rte_dev_probe({session_dut.devargs}) failed with {facts['probe_rc']}"
    assert facts["reprobe_rc"] == 0, (
        f"rte_dev_probe({session_dut.devargs}) failed with {facts['reprobe_rc']} after one probe and remove: "
        f"what the first close left behind (named rings, memzones) collides; DPDK log: {facts.get('reprobe_log')}")
    return facts


@pytest.mark.check("E11")
def test_e11_close_refused_while_started_then_port_gone(close_facts: dict[str, object]) -> None:
    assert close_facts["close_while_started"] != "accepted", "rte_eth_dev_close of a started port succeeded"
    assert not close_facts["valid_after_close"] and not close_facts["found_after_close"], (
        "the port still exists after close")


@pytest.mark.check("E11")
def test_e11_close_gives_every_mbuf_back(close_facts: dict[str, object],
                                         not_applicable: Callable[[str], None]) -> None:
    not_applicable("E11.mbufs")
    assert close_facts["pool_avail"] == close_facts["pool_size"], (
        f"after close {close_facts['pool_avail']} of {close_facts['pool_size']} mbufs are back: close must free "
        "the mbufs its queues hold (frames were left queued)")


@pytest.mark.check("E11")
def test_e11_close_frees_nothing_twice(close_facts: dict[str, object]) -> None:
    assert not close_facts["invalid_memory"], (
        f"close logged {close_facts['invalid_memory']}: memory freed twice (mac_addrs pointing into dev_private "
        "must be set to NULL in close)")


@pytest.mark.check("E11")
def test_e11_memzones_back_at_baseline(close_facts: dict[str, object], not_applicable: Callable[[str], None]) -> None:
    not_applicable("E11.memzones")
    before, after = close_facts["before"], close_facts["after_close"]
    assert isinstance(before, tuple) and isinstance(after, tuple)
    assert after[0] == before[0], (f"{before[0]} memzones before probe, {after[0]} after close: close must free "
                                   "its rings and DMA zones")


@pytest.mark.check("E11")
def test_e11_heap_back_at_baseline(close_facts: dict[str, object], not_applicable: Callable[[str], None]) -> None:
    not_applicable("E11.heap")
    before, after = close_facts["before"], close_facts["after_close"]
    assert isinstance(before, tuple) and isinstance(after, tuple)
    assert after[1] == before[1], (f"heap bytes in use {before[1]} before probe, {after[1]} after close: close must "
                                   "free every queue itself (the core does not call queue release on close)")


# -- E12 hotplug (child EAL) ------------------------------------------------------------------------------


@pytest.mark.check("E12")
def test_e12_hotplug_cycles_reuse_the_port_and_leave_nothing(dut: Dut, child_config: EalConfig) -> None:
    cycles = 20
    facts = run_in_child(child.hotplug_cycles, dut.devargs, cycles, eal=child_config, timeout=120)
    rcs = facts["probe_rcs"]
    assert isinstance(rcs, list) and all(rc == 0 for rc in rcs) and len(rcs) == cycles + 2, (
        f"rte_dev_probe over {cycles + 2} probe/remove cycles returned {rcs}")
    assert all(rc == 0 for rc in facts["remove_rcs"]), f"rte_dev_remove returned {facts['remove_rcs']}"  # type: ignore[attr-defined]
    ids = facts["port_ids"]
    assert isinstance(ids, list) and None not in ids, f"the port was not found by name after some probes: {ids}"
    assert len(set(ids)) == 1, f"port ids over {cycles} cycles: {sorted(set(ids))}; a removed port's id is reused"
    assert not facts["ports_left"], f"ports {facts['ports_left']} still exist after rte_dev_remove"
    before, after = facts["before"], facts["after"]
    assert after == before, (f"{cycles} probe/remove cycles: memzones and heap bytes {before} -> {after}")


# -- E13 devargs (child EAL) ------------------------------------------------------------------------------


def _pmd_info(kit_target: KitTarget) -> tuple[list[dict[str, object]], list[Path]]:
    files = list(kit_target.plugins)
    if not files:
        plugin_dir = find_dpdk().plugin_dir
        assert plugin_dir is not None, "DPDK's plugin directory is unknown: cannot find the driver's library"
        files = [plugin_dir / f"librte_{kit_target.driver}.so"]
    tool = shutil.which("dpdk-pmdinfo.py")
    assert tool, "dpdk-pmdinfo.py is not installed (apt-get install dpdk-dev)"
    proc = subprocess.run([tool, *map(str, files)], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, f"dpdk-pmdinfo.py {' '.join(map(str, files))} failed: {proc.stderr[-800:]}"
    return json.loads(proc.stdout or "[]"), files


def _documented_keys(entry: dict[str, object]) -> dict[str, str]:
    params = str(entry.get("params", ""))
    keys = {}
    for token in params.split():
        key, _, spec = token.partition("=")
        keys[key] = spec
    return keys


# An empty classic pcap file (global header only: little-endian, version 2.4, snaplen 65535, Ethernet).
EMPTY_PCAP = bytes.fromhex("d4c3b2a1020004000000000000000000ffff000001000000")


def _sample_file(key: str, scratch: Path) -> str:
    """A file for a "<file>" devarg, in the test's scratch directory: an empty pcap for pcap keys (a driver
    reading frames from it finds none), an empty file otherwise. Drivers that write the file write it there."""
    path = scratch / f"e13-{key}"
    path.write_bytes(EMPTY_PCAP if "pcap" in key else b"")
    return str(path)


def _sample_value(spec: str) -> str | None:
    """A value a documented spec admits: a listed sample, the low end of a numeric range "<a-b>", 1 for a
    count ("<int>", "<frames>", ...), else the first of the alternatives "a|b" or the placeholder word itself."""
    if spec in SAMPLE_VALUES:
        return SAMPLE_VALUES[spec]
    numeric_range = re.fullmatch(r"<(\d+)-(\d+)>", spec)
    if numeric_range:
        return numeric_range.group(1)
    if re.fullmatch(r"<(int|num\w*|count|frames|packets|bytes)>", spec):
        return "1"
    alternatives = [a for a in re.split(r"[|<>()]", spec) if a]
    if alternatives and all(re.fullmatch(r"[\w.-]+", a) for a in alternatives):
        return alternatives[0]
    return None


def _with_mode(key: str, keys: dict[str, str]) -> str:
    """A key that only makes sense in a mode another key selects ("pair=<port>" with "wire=...|pair") is tried
    in that mode: ",wire=pair". Empty when no documented key lists this key among its alternatives."""
    for other, spec in keys.items():
        if other != key and key in re.split(r"[|<>()]", spec):
            return f",{other}={key}"
    return ""


@pytest.mark.check("E13")
def test_e13_documented_keys_accepted(dut: Dut, kit_target: KitTarget, child_config: EalConfig,
                                      tmp_path: Path) -> None:
    device = dut.devargs.split(",")[0]
    infos, files = _pmd_info(kit_target)
    entry = next((e for e in infos if e.get("name") == kit_target.driver), None)
    assert entry is not None, (f"no PMD info names {kit_target.driver} in {[str(f) for f in files]}: its devargs "
                               "are undocumented (RTE_PMD_REGISTER_PARAM_STRING, PMD_INFO_STRING)")
    tries, unsynthesisable = [], []
    keys = _documented_keys(entry)
    for key, spec in keys.items():
        value = _sample_file(key, tmp_path) if spec in ("<file>", "<path>") else _sample_value(spec)
        if value is None:
            unsynthesisable.append(f"{key}={spec}")
        else:
            tries.append(f"{device},{key}={value}{_with_mode(key, keys)}")
    assert not unsynthesisable, f"no sample value for documented devargs {unsynthesisable}: add one to SAMPLE_VALUES"
    results = run_in_child(child.probe_each, tries, eal=child_config, timeout=120)
    refused = [f"{d} -> {rc}" for d, rc, _ in results if rc != 0]  # a key may name the port otherwise
    assert not refused, f"documented devargs refused (rte_dev_probe rc): {refused}"


@pytest.mark.check("E13")
def test_e13_unknown_key_fails_the_probe(dut: Dut, child_config: EalConfig,
                                         not_applicable: Callable[[str], None]) -> None:
    not_applicable("E13.unknown_key")
    devargs = f"{dut.devargs.split(',')[0]},kit_no_such_key=1"
    [(_, rc, found)] = run_in_child(child.probe_each, [devargs], eal=child_config, timeout=60)
    assert rc != 0 and not found, (
        f"rte_dev_probe({devargs}) returned {rc}: an unknown devargs key must fail the probe "
        "(rte_kvargs_parse with the list of valid keys)")


# -- E14 peers --------------------------------------------------------------------------------------------


@pytest.mark.check("E14")
def test_e14_testpmd_forwards_and_exits_cleanly(dut: Dut, kit_target: KitTarget) -> None:
    testpmd = shutil.which("dpdk-testpmd")
    assert testpmd, "dpdk-testpmd is not installed (apt-get install dpdk)"
    prefix = unique_file_prefix("kite14")
    args = base_eal_args(prefix, memory_mb=512, lcores="0-1", log_level="lib.*:error")
    for plugin in kit_target.plugins:
        args += ["-d", str(plugin)]
    peer = "net_null9" if dut.devargs.split(",")[0] != "net_null9" else "net_null8"
    argv = [testpmd, *args, "--vdev", dut.devargs, "--vdev", peer, "--", "-i", "--total-num-mbufs=4096"]
    script = "start tx_first\nshow port stats all\nstop\nport stop all\nport close all\nquit\n"
    try:
        proc = subprocess.run(argv, input=script, capture_output=True, text=True, timeout=90, check=False)
        out = proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as exc:
        raw = exc.stdout or b""
        out = raw.decode(errors="replace") if isinstance(raw, bytes) else raw
        pytest.fail("testpmd did not finish within 90 s:\n" + out[-1500:])
    finally:
        remove_runtime_dir(prefix)
    forwarded = [int(n) for n in re.findall(r"TX-packets:\s+(\d+)", out)]
    assert forwarded and max(forwarded) > 0, "testpmd forwarded nothing through the driver:\n" + out[-1500:]
    assert "Bye" in out, "testpmd did not exit cleanly ('Bye...' missing):\n" + out[-1500:]


@pytest.mark.check("E14")
def test_e14_pmdinfo_lists_name_and_devargs(dut: Dut, kit_target: KitTarget) -> None:
    infos, files = _pmd_info(kit_target)
    entry = next((e for e in infos if e.get("name") == kit_target.driver), None)
    assert entry is not None, (
        f"the PMD info string is missing: dpdk-pmdinfo.py finds no PMD_INFO_STRING naming {kit_target.driver} in "
        f"{[str(f) for f in files]} (it found {[e.get('name') for e in infos]}); 'kit build' generates it")
    assert entry.get("params"), (f"PMD info of {kit_target.driver} has no devargs string: register it with "
                                 "RTE_PMD_REGISTER_PARAM_STRING")
