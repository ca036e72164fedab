"""The ethdev suite (docs/conformance.md), E22-E23: the receive filter (promiscuous, allmulticast, MAC addresses) and
settings that must survive rte_eth_dev_stop + rte_eth_dev_start.

Filtering is only observable on a port that loops (what it sends comes back to its own rx queues); a port that
does not is n/a with what was measured. The filter is what the receiving side of the loop applies."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from kit.conformance.suites.ethdev import child_ops as child
from kit.conformance.suites.ethdev.dut import DRAIN_POLLS, Dut, drain, errno_of
from kit.harness import Port
from kit.harness.ethdev_types import mac_str

FOREIGN = bytes.fromhex("024b49540022")  # a locally administered unicast address no port here has
ADDED = bytes.fromhex("024b49540122")  # the address E22 adds with rte_eth_dev_mac_addr_add
NEW_MAC = bytes.fromhex("024b49540023")  # the default address E23 sets
GROUP = bytes.fromhex("01005e0000fb")  # an IPv4 multicast group (224.0.0.251)
OTHER_GROUP = bytes.fromhex("01005e0000fc")  # a group E22 never puts on the multicast list


def tagged(dst: bytes, tag: int, n: int = 8, base_len: int = 60) -> list[bytes]:
    return child.frames(n, tag, dst=dst, base_len=base_len)


def delivered(port: Port, frames: list[bytes], queues: int = 1) -> set[bytes]:
    """Send the frames (each burst as the driver takes it) and return those that came back on any rx queue."""
    sent = 0
    for _ in range(16):
        if sent == len(frames):
            break
        sent += port.tx_burst(frames[sent:sent + 32])
    got: list[bytes] = []
    for _ in range(4):
        got += drain(port, queues, DRAIN_POLLS)
    return set(got) & set(frames[:sent])


def own_mac(port: Port) -> bytes:
    return bytes(int(b, 16) for b in port.mac_addr().split(":"))


@contextmanager
def modes_kept(port: Port) -> Iterator[None]:
    """Puts promiscuous and allmulticast back as they were (the canonical state does not cover them)."""
    promisc, allmulti = port.promiscuous(), port.allmulticast()
    try:
        yield
    finally:
        errno_of(port.promiscuous_enable if promisc else port.promiscuous_disable)
        errno_of(port.allmulticast_enable if allmulti else port.allmulticast_disable)


def _filtering_port(dut: Dut, unsupported: Callable[[str, str], None]) -> tuple[Port, list[bytes]]:
    """A started port with promiscuous and allmulticast off that loops frames to its own address: the port and
    those frames. n/a (measured) if promiscuous cannot be disabled or nothing comes back."""
    port = dut.setup()
    got = errno_of(port.promiscuous_disable)
    if got == "ENOTSUP":
        unsupported("E22.promiscuous_disable", "rte_eth_promiscuous_disable returned -ENOTSUP")
    assert got is None, f"rte_eth_promiscuous_disable returned {got}; want 0 or ENOTSUP"
    errno_of(port.allmulticast_disable)
    own = tagged(own_mac(port) if own_mac(port) != bytes(6) else dut.dst_mac, 0x22)
    if not delivered(port, own):
        unsupported("E22.loop", f"none of 8 frames sent to the port's own address {mac_str(own[0][:6])} with "
                                "promiscuous off came back")
    return port, own


# -- E22 filtering ---------------------------------------------------------------------------------------


def _no_foreign_unicast(port: Port, not_applicable: Callable[[str], None], tag: int) -> None:
    """With promiscuous off, frames to a foreign unicast address are not received (a driver declared to have no
    filter at all is n/a once that is measured)."""
    leaked = delivered(port, tagged(FOREIGN, tag))
    if leaked and not port.promiscuous():
        not_applicable("E22.filter")
    assert not leaked, (f"{len(leaked)} of 8 frames to the foreign unicast address {mac_str(FOREIGN)} were "
                        f"received with promiscuous off (rte_eth_promiscuous_get {int(port.promiscuous())})")


@pytest.mark.check("E22")
def test_e22_foreign_unicast_needs_promiscuous(dut: Dut, unsupported: Callable[[str, str], None],
                                              not_applicable: Callable[[str], None]) -> None:
    """DTS promisc_support: with promiscuous off a frame to another unicast address is not received; with it on,
    it is."""
    with modes_kept(dut.port):
        port, _ = _filtering_port(dut, unsupported)
        _no_foreign_unicast(port, not_applicable, 0x23)
        if errno_of(port.promiscuous_enable) is None:
            back = delivered(port, tagged(FOREIGN, 0x24))
            assert len(back) == 8, (f"with promiscuous on, {len(back)} of 8 frames to the foreign unicast address "
                                    f"{mac_str(FOREIGN)} were received")


@pytest.mark.check("E22")
def test_e22_multicast_needs_allmulticast(dut: Dut, unsupported: Callable[[str, str], None],
                                          not_applicable: Callable[[str], None]) -> None:
    """A frame to a multicast group the port did not join is not received with promiscuous and allmulticast off;
    with allmulticast on it is."""
    with modes_kept(dut.port):
        port, _ = _filtering_port(dut, unsupported)
        _no_foreign_unicast(port, not_applicable, 0x29)
        if port.allmulticast():
            unsupported("E22.allmulticast_disable", "rte_eth_allmulticast_disable returned -ENOTSUP")
        leaked = delivered(port, tagged(GROUP, 0x25))
        if leaked:
            not_applicable("E22.filter")
        assert not leaked, (f"{len(leaked)} of 8 frames to the multicast group {mac_str(GROUP)} were received with "
                            "promiscuous and allmulticast off and no multicast list")
        got = errno_of(port.allmulticast_enable)
        assert got in (None, "ENOTSUP"), f"rte_eth_allmulticast_enable returned {got}"
        if got is None:
            back = delivered(port, tagged(GROUP, 0x26))
            assert len(back) == 8, (f"with allmulticast on, {len(back)} of 8 frames to the multicast group "
                                    f"{mac_str(GROUP)} were received")


@pytest.mark.check("E22")
def test_e22_added_address_received_removed_not(dut: Dut, unsupported: Callable[[str, str], None],
                                                not_applicable: Callable[[str], None]) -> None:
    """DTS mac_filter: an address added with rte_eth_dev_mac_addr_add is received; once removed it is not."""
    with modes_kept(dut.port):
        port, _ = _filtering_port(dut, unsupported)
        _no_foreign_unicast(port, not_applicable, 0x2a)
        got = errno_of(lambda: port.add_mac_addr(mac_str(ADDED)))
        if got == "ENOTSUP":
            unsupported("E22.mac_addr_add", "rte_eth_dev_mac_addr_add returned -ENOTSUP")
        if got == "ENOSPC" and dut.info.max_mac_addrs <= 1:
            unsupported("E22.mac_addr_add", f"max_mac_addrs {dut.info.max_mac_addrs}: rte_eth_dev_mac_addr_add "
                                            "returned -ENOSPC")
        assert got is None, f"rte_eth_dev_mac_addr_add({mac_str(ADDED)}) returned {got}"
        try:
            back = delivered(port, tagged(ADDED, 0x27))
            assert len(back) == 8, (f"{len(back)} of 8 frames to {mac_str(ADDED)} were received after "
                                    "rte_eth_dev_mac_addr_add added it")
        finally:
            removed = errno_of(lambda: port.remove_mac_addr(mac_str(ADDED)))
        assert removed is None, f"rte_eth_dev_mac_addr_remove({mac_str(ADDED)}) returned {removed}"
        leaked = delivered(port, tagged(ADDED, 0x28))
        if leaked:
            not_applicable("E22.filter")
        assert not leaked, (f"{len(leaked)} of 8 frames to {mac_str(ADDED)} were received after "
                            "rte_eth_dev_mac_addr_remove removed it (promiscuous off)")


@pytest.mark.check("E22")
def test_e22_multicast_list_admits_its_groups_only(dut: Dut, unsupported: Callable[[str, str], None],
                                                    not_applicable: Callable[[str], None]) -> None:
    """DTS mac_filter (multicast part): with allmulticast off, a group on the list set by
    rte_eth_dev_set_mc_addr_list is received, a group not on it is not, and once the list is flushed neither is."""
    with modes_kept(dut.port):
        port, _ = _filtering_port(dut, unsupported)
        _no_foreign_unicast(port, not_applicable, 0x2b)
        if port.allmulticast():
            unsupported("E22.allmulticast_disable", "rte_eth_allmulticast_disable returned -ENOTSUP")
        got = errno_of(lambda: port.set_mc_addr_list([mac_str(GROUP)]))
        if got == "ENOTSUP":
            unsupported("E22.set_mc_addr_list", "rte_eth_dev_set_mc_addr_list returned -ENOTSUP")
        assert got is None, f"rte_eth_dev_set_mc_addr_list([{mac_str(GROUP)}]) returned {got}"
        try:
            back = delivered(port, tagged(GROUP, 0x2c))
            assert len(back) == 8, (f"{len(back)} of 8 frames to the multicast group {mac_str(GROUP)} were received "
                                    "after rte_eth_dev_set_mc_addr_list put it on the list (allmulticast off)")
            other = delivered(port, tagged(OTHER_GROUP, 0x2d))
            assert not other, (f"{len(other)} of 8 frames to the multicast group {mac_str(OTHER_GROUP)}, not on the "
                               f"list [{mac_str(GROUP)}], were received (allmulticast off)")
        finally:
            flushed = errno_of(lambda: port.set_mc_addr_list([]))
        assert flushed is None, f"rte_eth_dev_set_mc_addr_list(NULL, 0) (flush) returned {flushed}"
        leaked = delivered(port, tagged(GROUP, 0x2e))
        assert not leaked, (f"{len(leaked)} of 8 frames to the multicast group {mac_str(GROUP)} were received after "
                            "rte_eth_dev_set_mc_addr_list flushed the list (allmulticast off)")


# -- E23 settings survive stop/start ---------------------------------------------------------------------


def _mtu_choice(dut: Dut, room: int) -> int | None:
    info, current = dut.info, dut.port.mtu()
    for mtu in (3000, 1400, 1280, 1000):
        if mtu != current and info.min_mtu <= mtu <= info.max_mtu and mtu + 18 <= min(info.max_rx_pktlen, room):
            return mtu
    return None


@contextmanager
def settings_kept(dut: Dut) -> Iterator[None]:
    port = dut.port
    mtu, mac = port.mtu(), port.mac_addr()
    with modes_kept(port):
        try:
            yield
        finally:
            errno_of(lambda: port.set_mtu(mtu))
            if port.mac_addr() != mac:
                errno_of(lambda: port.set_mac_addr(mac))


def _apply_settings(dut: Dut, room: int) -> dict[str, object]:
    """On a configured, stopped port: a new MTU, then start, promiscuous and allmulticast flipped and a new default
    MAC address. What the driver accepted, as {setting: value it must read back}."""
    port, applied = dut.port, {}
    mtu = _mtu_choice(dut, room)
    if mtu is not None and errno_of(lambda: port.set_mtu(mtu)) is None:
        applied["MTU"] = mtu
    port.start()
    for mode in ("promiscuous", "allmulticast"):
        on = getattr(port, mode)()
        if errno_of(getattr(port, f"{mode}_{'disable' if on else 'enable'}")) is None:
            applied[mode] = not on
    # A port without a valid default address (all zero) could not have it put back: its address is left alone.
    old = own_mac(port)
    if old != bytes(6) and not old[0] & 1 and errno_of(lambda: port.set_mac_addr(mac_str(NEW_MAC))) is None:
        applied["MAC address"] = mac_str(NEW_MAC)
    return applied


def _read_back(port: Port) -> dict[str, object]:
    return {"MTU": port.mtu(), "promiscuous": port.promiscuous(), "allmulticast": port.allmulticast(),
            "MAC address": port.mac_addr()}


@pytest.mark.check("E23")
def test_e23_settings_read_back_after_restart(dut: Dut) -> None:
    """DTS port_restart_config_persistency: MTU, promiscuous, allmulticast and the default MAC address set on the
    port are what it reports after rte_eth_dev_stop + rte_eth_dev_start."""
    with settings_kept(dut):
        port = dut.setup(start=False)
        applied = _apply_settings(dut, dut.pool.max_packet_len)
        before = _read_back(port)
        port.stop()
        port.start()
        after = _read_back(port)
        lost = {k: (v, after[k]) for k, v in applied.items() if after[k] != v}
        assert not lost, ("settings lost across rte_eth_dev_stop + rte_eth_dev_start: " + "; ".join(
            f"{k} was set to {v} (read {before[k]} before the stop), reads {now} after the start"
            for k, (v, now) in lost.items()))


@pytest.mark.check("E23")
def test_e23_settings_act_after_restart(dut: Dut, unsupported: Callable[[str, str], None]) -> None:
    """DTS dynamic_config: where the port loops, after stop + start a frame to a foreign address is received with
    promiscuous on, a frame to the new MAC address is, and a frame as long as the new MTU allows is."""
    with settings_kept(dut):
        pool = dut.make_pool(4096, data_room_size=4096 + 128)
        port = dut.port
        port.configure(1, 1)
        port.rx_queue_setup(0, pool)
        port.tx_queue_setup(0)
        applied = _apply_settings(dut, pool.max_packet_len)
        if applied.get("promiscuous") is False:
            port.promiscuous_enable()  # this test wants it on: a foreign frame must then be received
            applied["promiscuous"] = True
        port.stop()
        port.start()
        own = own_mac(port) if own_mac(port) != bytes(6) else dut.dst_mac
        if not delivered(port, tagged(own, 0x30)):
            unsupported("E23.loop", f"none of 8 frames sent to the port's own address {mac_str(own)} came back")
        problems = []
        if applied.get("promiscuous"):
            n = len(delivered(port, tagged(FOREIGN, 0x31)))
            if n != 8:
                problems.append(f"promiscuous on: {n} of 8 frames to a foreign address received")
        if "MAC address" in applied:
            n = len(delivered(port, tagged(NEW_MAC, 0x32)))
            if n != 8:
                problems.append(f"MAC address {mac_str(NEW_MAC)}: {n} of 8 frames to it received")
        mtu = applied.get("MTU")
        if isinstance(mtu, int) and mtu > 1500:
            n = len(delivered(port, tagged(own, 0x33, 4, base_len=mtu - 6)))
            if n != 4:
                problems.append(f"MTU {mtu}: {n} of 4 frames of {mtu + 14} bytes received")
        assert not problems, "after rte_eth_dev_stop + rte_eth_dev_start, " + "; ".join(problems)


@pytest.mark.check("E23")
def test_e23_rss_key_and_reta_survive_restart(dut: Dut, unsupported: Callable[[str, str], None]) -> None:
    """The RSS hash key and redirection table (those the port has) set on a started port are what it reports after
    stop + start, and where the port loops, flows go where the table says (every entry: the last queue)."""
    info = dut.info
    nq = min(4, info.max_rx_queues, info.max_tx_queues)
    if info.flow_type_rss_offloads == 0 or (info.reta_size == 0 and info.hash_key_size == 0) or nq < 2:
        unsupported("E23.rss", f"reta_size {info.reta_size}, flow_type_rss_offloads {info.flow_type_rss_offloads:#x}, "
                               f"{nq} queue(s)")
    rss_hf = info.flow_type_rss_offloads & (0x4 | 0x80 | 0x20) or info.flow_type_rss_offloads
    port = dut.setup(nq, nq, mq_mode="rss", rss_hf=rss_hf)
    conf = port.rss_hash_conf()
    key = bytes((0x6b + 7 * i) & 0xFF for i in range(info.hash_key_size)) if info.hash_key_size else None
    key_set = key is not None and errno_of(lambda: port.rss_hash_update(conf.rss_hf, key)) is None
    table = [nq - 1] * info.reta_size
    got = errno_of(lambda: port.reta_update(table)) if table else "ENOTSUP"
    assert got in (None, "ENOTSUP"), f"rte_eth_dev_rss_reta_update returned {got}"
    if got == "ENOTSUP" and not key_set:
        unsupported("E23.rss", "rte_eth_dev_rss_reta_update and rte_eth_dev_rss_hash_update returned -ENOTSUP")
    port.stop()
    port.start()
    if key_set:
        now = port.rss_hash_conf().key
        assert now == key, f"the RSS key set before stop + start reads {now.hex()} after, want {key.hex()}"
    if got is None:
        now_table = port.reta_query()
        wrong = [i for i, q in enumerate(now_table) if q != nq - 1]
        assert not wrong, (f"RETA entries {wrong[:8]} read {[now_table[i] for i in wrong[:8]]} after stop + start; "
                           f"every entry was set to queue {nq - 1}")
        flows = set(dut.udp_frames(32))
        port.tx_burst(sorted(flows))
        per_queue = [sum(p.data in flows for _ in range(DRAIN_POLLS) for p in port.rx_burst(q, 32))
                     for q in range(nq)]
        if sum(per_queue):
            assert per_queue[nq - 1] == sum(per_queue), (
                f"after stop + start, 32 UDP flows arrived on queues {per_queue} (frames per queue); the RETA "
                f"sends every flow to queue {nq - 1}")
