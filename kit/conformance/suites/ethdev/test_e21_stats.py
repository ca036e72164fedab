"""The ethdev suite (docs/conformance.md), E21: statistics as DTS `port_stats` and the xstats API define them.

Every frame offered to the port is counted once (ipackets, imissed or ierrors); per-queue counters sum to the
port's; resets zero stats and xstats; xstat names are unique and stable and the by-id calls agree with the
by-name ones. E8 already checks the packet and byte counts of plain traffic."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kit.conformance.suites.ethdev.dut import Dut, drain, send_all
from kit.conformance.suites.ethdev.queues import loop_measured
from kit.harness import Port, Stats


def xstat_names(dut: Dut, port: Port) -> list[str]:
    eal, ffi = dut.eal, dut.eal.ffi
    n = eal.check(eal.lib.rte_eth_xstats_get_names(port.port_id, ffi.NULL, 0), "rte_eth_xstats_get_names",
                  eal.log_mark())
    names = ffi.new("struct rte_eth_xstat_name[]", max(n, 1))
    got = eal.check(eal.lib.rte_eth_xstats_get_names(port.port_id, names, n), "rte_eth_xstats_get_names",
                    eal.log_mark())
    assert got == n, f"rte_eth_xstats_get_names said {n} names, then filled {got}"
    return [ffi.string(names[i].name).decode(errors="replace") for i in range(n)]


def xstat_values(dut: Dut, port: Port, n: int) -> list[int]:
    """rte_eth_xstats_get, as values in id order."""
    eal, ffi = dut.eal, dut.eal.ffi
    values = ffi.new("struct rte_eth_xstat[]", max(n, 1))
    got = eal.check(eal.lib.rte_eth_xstats_get(port.port_id, values, n), "rte_eth_xstats_get", eal.log_mark())
    assert got == n, f"rte_eth_xstats_get returned {got} values for {n} names"
    out = [0] * n
    for i in range(n):
        assert values[i].id < n, f"rte_eth_xstats_get gave id {values[i].id}, beyond its {n} names"
        out[values[i].id] = int(values[i].value)
    return out


def _stats_fields(s: Stats, nq: int) -> dict[str, int]:
    fields = {"ipackets": s.ipackets, "opackets": s.opackets, "ibytes": s.ibytes, "obytes": s.obytes,
              "imissed": s.imissed, "ierrors": s.ierrors, "oerrors": s.oerrors, "rx_nombuf": s.rx_nombuf}
    for name in ("q_ipackets", "q_opackets", "q_ibytes", "q_obytes", "q_errors"):
        for q, v in enumerate(getattr(s, name)[:nq]):
            fields[f"{name}[{q}]"] = v
    return {k: v for k, v in fields.items() if v}


@pytest.mark.check("E21")
def test_e21_every_offered_frame_counted_once(dut: Dut, unsupported: Callable[[str, str], None]) -> None:
    """Steps: 512 frames (some longer than the MTU allows) sent without receiving, then received until the port
    is empty. Verify: ipackets is what rx returned and ipackets + imissed + ierrors is what the port was offered
    (what tx took, less oerrors): each frame counted once; then rte_eth_stats_reset zeroes every counter."""
    port = dut.setup()
    looped, measured = loop_measured(dut, port)
    if not looped:
        unsupported("E21.offered", measured)
    port.stats_reset()
    room = dut.pool.max_packet_len
    mtu = port.mtu()
    long_len = min(room, mtu + 100)
    frames = dut.frames(500, 0x21) + dut.sized_frames([long_len] * 12, 0x22)
    sent, _ = send_all(port, frames, polls=64)
    received = drain(port, 1, 256)
    s = port.stats()
    offered = sent - s.oerrors
    assert s.ipackets == len(received), (
        f"ipackets is {s.ipackets} but rx returned {len(received)} frames (of {sent} the port took)")
    counted = s.ipackets + s.imissed + s.ierrors
    assert counted == offered, (
        f"{offered} frames offered to the port (tx took {sent}, oerrors {s.oerrors}) but ipackets {s.ipackets} + "
        f"imissed {s.imissed} + ierrors {s.ierrors} = {counted}: every frame must be counted exactly once")
    port.stats_reset()
    nonzero = _stats_fields(port.stats(), 1)
    assert not nonzero, f"after traffic with drops, rte_eth_stats_reset left counters non-zero: {nonzero}"


@pytest.mark.check("E21")
def test_e21_queue_counters_sum_to_port_totals(dut: Dut) -> None:
    """Two queue pairs with traffic on each: where the driver fills q_ipackets/q_opackets/q_ibytes/q_obytes
    (RTE_ETHDEV_QUEUE_STAT_CNTRS slots), their sum over the queues is the port's total."""
    info = dut.info
    nq = max(1, min(2, info.max_rx_queues, info.max_tx_queues))
    port = dut.setup(nq, nq)
    port.stats_reset()
    for q in range(nq):
        send_all(port, dut.frames(24 + 8 * q, 0x30 + q), q, polls=16)
    for q in range(nq):
        for _ in range(8):
            if not port.rx_burst(q, 32):
                break
    s = port.stats()
    wrong = []
    for per_queue, total in (("q_ipackets", "ipackets"), ("q_opackets", "opackets"), ("q_ibytes", "ibytes"),
                             ("q_obytes", "obytes")):
        values = getattr(s, per_queue)
        if any(values) and (sum(values[:nq]) != getattr(s, total) or any(values[nq:])):
            wrong.append(f"{per_queue} {list(values[:nq])} (beyond: {sum(values[nq:])}) vs {total} "
                         f"{getattr(s, total)}")
    assert not wrong, f"per-queue counters of {nq} queues do not sum to the port totals: " + "; ".join(wrong)


@pytest.mark.check("E21")
def test_e21_xstats_reset_zeroes_every_xstat(dut: Dut) -> None:
    port = dut.setup()
    send_all(port, dut.frames(40, 0x23))
    drain(port, 1, 16)
    port.xstats_reset()
    names = xstat_names(dut, port)
    values = xstat_values(dut, port, len(names))
    nonzero = {names[i]: v for i, v in enumerate(values) if v}
    assert not nonzero, f"xstats not zero right after rte_eth_xstats_reset: {nonzero}"


@pytest.mark.check("E21")
def test_e21_xstat_names_unique_stable_and_by_id_agrees(dut: Dut) -> None:
    """Names: no name twice, the same list before and after traffic. Ids: rte_eth_xstats_get_id_by_name gives a
    name's position, rte_eth_xstats_get_names_by_id the names, rte_eth_xstats_get_by_id the values
    rte_eth_xstats_get gives (read with no traffic in between)."""
    port, eal, ffi = dut.setup(), dut.eal, dut.eal.ffi
    before = xstat_names(dut, port)
    send_all(port, dut.frames(40, 0x24))
    drain(port, 1, 16)
    names = xstat_names(dut, port)
    repeated = sorted({n for n in names if names.count(n) > 1})
    assert not repeated, f"xstat names repeat: {repeated} (an application cannot tell the counters apart)"
    assert names == before, f"xstat names changed with traffic: {len(before)} names before, {len(names)} after"
    n = len(names)
    wrong_id = []
    for i, name in enumerate(names):
        out = ffi.new("uint64_t *")
        rc = eal.lib.rte_eth_xstats_get_id_by_name(port.port_id, name.encode(), out)
        if rc != 0 or out[0] != i:
            wrong_id.append(f"{name}: rc {rc}, id {out[0]} (position {i})")
    assert not wrong_id, "rte_eth_xstats_get_id_by_name disagrees with the name list: " + "; ".join(wrong_id[:5])
    if not n:
        return
    ids = ffi.new("uint64_t[]", list(range(n)))
    by_id_names = ffi.new("struct rte_eth_xstat_name[]", n)
    got = eal.lib.rte_eth_xstats_get_names_by_id(port.port_id, by_id_names, n, ids)
    assert got == n, f"rte_eth_xstats_get_names_by_id for all {n} ids returned {got}"
    listed = [ffi.string(by_id_names[i].name).decode(errors="replace") for i in range(n)]
    differ = [(a, b) for a, b in zip(listed, names, strict=True) if a != b]
    assert not differ, f"names by id differ from the name list: {differ[:5]}"
    by_id = ffi.new("uint64_t[]", n)
    got = eal.lib.rte_eth_xstats_get_by_id(port.port_id, ids, by_id, n)
    assert got == n, f"rte_eth_xstats_get_by_id for all {n} ids returned {got}"
    values = xstat_values(dut, port, n)
    differ = [f"{names[i]}: by id {by_id[i]}, by name {values[i]}" for i in range(n) if by_id[i] != values[i]]
    assert not differ, "rte_eth_xstats_get_by_id differs from rte_eth_xstats_get: " + "; ".join(differ[:5])
