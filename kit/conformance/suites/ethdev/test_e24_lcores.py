"""The ethdev suite (docs/conformance.md), E24: queues polled concurrently, one lcore each. DPDK's threading rule
(rte_ethdev.h: the burst functions of one queue are not thread-safe; different queues may be polled from different
lcores at once without locks) means a driver keeps no per-port state the datapath writes without atomics: queue 0
on lcore 0 and queue 1 on lcore 1 send and receive at the same time, each its own flow with sequence numbers, and
each queue gets its flow back complete, once, in order and nothing of the other's."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kit.conformance.suites.ethdev.dut import Dut, drain
from kit.conformance.suites.ethdev.queues import receive
from kit.harness import Port
from kit.harness.ethdev_lcore import Flow, FlowResult, flows_on_lcores

FRAMES = 20000  # per queue
SEQ_OFF = 42    # the UDP payload of Dut.udp_frames
TAG_OFF = 46
RSS_IPV4_UDP = 0x4 | 0x20  # RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_UDP
SRC_IP_LAST = 29  # the last byte of the IPv4 source address


def _pin(port: Port, candidates: list[bytes], queue: int, used: set[int]) -> tuple[int | None, set[int]]:
    """A candidate frame that, sent on tx queue `queue`, arrives on rx queue `queue`; and where the others went."""
    seen: set[int] = set()
    for i, frame in enumerate(candidates):
        if i in used or port.tx_burst([frame], queue) != 1:
            continue
        where = {q for q in (0, 1) if frame in receive(port, q, polls=8)}
        seen |= where
        if where == {queue}:
            return i, seen
    return None, seen


@pytest.mark.check("E24")
def test_e24_each_queue_on_its_own_lcore(dut: Dut, unsupported: Callable[[str, str], None]) -> None:
    info = dut.info
    if min(info.max_rx_queues, info.max_tx_queues) < 2:
        unsupported("E24.queues", f"max_rx_queues {info.max_rx_queues}, max_tx_queues {info.max_tx_queues}")
    rss = info.flow_type_rss_offloads & RSS_IPV4_UDP
    pool = dut.make_pool(8192)
    port = dut.port.setup(pool, 2, 2, **({"mq_mode": "rss", "rss_hf": rss} if rss else {}))
    # flows differ in UDP source port and IPv4 source address: RSS over either spreads them
    candidates = [f[:SRC_IP_LAST] + bytes([i + 1]) + f[SRC_IP_LAST + 1:] for i, f in enumerate(dut.udp_frames(64))]
    first, seen0 = _pin(port, candidates, 0, set())
    second, seen1 = _pin(port, candidates, 1, {first} if first is not None else set())
    drain(port, 2)
    if not seen0 | seen1:
        unsupported("E24.loop", "no frame sent on tx queue 0 or 1 came back on rx queue 0 or 1")
    if first is None or second is None:
        unsupported("E24.loop", f"no flow sent on tx queue {0 if first is None else 1} came back on that rx queue "
                                f"alone (frames arrived on rx queues {sorted(seen0 | seen1)}; RSS types {rss:#x})")
    assert first is not None and second is not None
    flows = []
    for q, i in ((0, first), (1, second)):
        frame = bytearray(candidates[i])
        frame[TAG_OFF] = 0xE0 + q
        flows.append(Flow(queue=q, frame=bytes(frame), seq_off=SEQ_OFF, tag_off=TAG_OFF, count=FRAMES))
    results = flows_on_lcores(port.port_id, pool, flows)
    drain(port, 2)
    problems = [p for q, r in enumerate(results) if (p := _verdict(q, r))]
    lcores = ", ".join(str(r.lcore) for r in results)
    assert not problems, (f"queues polled at once from lcores {lcores} must each get their flow back complete, once "
                          "and in order (the burst functions of different queues run concurrently without locks: "
                          "each queue's state must be its own): " + "; ".join(problems))


def _verdict(queue: int, r: FlowResult) -> str:
    if r.sent == FRAMES and r.received == r.sent and r.in_order == r.sent and not r.foreign and not r.bad_len:
        return ""
    parts = [f"queue {queue}: {r.sent} of {FRAMES} frames taken, {r.received} received, {r.in_order} in order"]
    for name in ("duplicates", "out_of_order", "late", "foreign", "bad_len", "alloc_failures"):
        if getattr(r, name):
            parts.append(f"{getattr(r, name)} {name.replace('_', ' ')}")
    if r.first_bad_seq >= 0:
        parts.append(f"first bad: sequence {r.first_bad_seq} where {r.first_bad_after} was expected")
    return ", ".join(parts)
