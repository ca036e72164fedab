"""The ethdev suite (docs/conformance.md), E19: packet types (DTS `uni_pkt`).

Frames of known kinds loop through the port: every packet type rte_eth_dev_get_supported_ptypes lists is given to
the frames of that kind, and no frame gets a wrong claim (claiming less, e.g. L4 unknown, is fine). VLAN, QinQ,
IPv4 options, IPv6 extension headers, fragments and an unknown L4 are the traps. rte_eth_dev_set_ptypes answers
consistently, lists only supported types of the mask, and classification comes back after a full mask."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from kit.conformance.suites.ethdev.dut import ETH_SRC, Dut, drain
from kit.conformance.suites.ethdev.queues import loop_measured, send_from
from kit.harness import Port

L2_MASK, L3_MASK, L4_MASK, ALL_MASK = 0x0F, 0xF0, 0xF00, 0x0FFFFFFF
ETHER, ARP, VLAN, QINQ = 0x1, 0x3, 0x6, 0x7
IPV4, IPV4_EXT, IPV6, IPV4_EXT_UNKNOWN, IPV6_EXT, IPV6_EXT_UNKNOWN = 0x10, 0x30, 0x40, 0x90, 0xC0, 0xE0
TCP, UDP, FRAG, SCTP, ICMP, NONFRAG = 0x100, 0x200, 0x300, 0x400, 0x500, 0x600
NAMES = {ETHER: "L2_ETHER", ARP: "L2_ETHER_ARP", VLAN: "L2_ETHER_VLAN", QINQ: "L2_ETHER_QINQ", IPV4: "L3_IPV4",
         IPV4_EXT: "L3_IPV4_EXT", IPV6: "L3_IPV6", IPV4_EXT_UNKNOWN: "L3_IPV4_EXT_UNKNOWN", IPV6_EXT: "L3_IPV6_EXT",
         IPV6_EXT_UNKNOWN: "L3_IPV6_EXT_UNKNOWN", TCP: "L4_TCP", UDP: "L4_UDP", FRAG: "L4_FRAG", SCTP: "L4_SCTP",
         ICMP: "L4_ICMP", NONFRAG: "L4_NONFRAG"}
V4 = {IPV4, IPV4_EXT_UNKNOWN}
V4_OPT = {IPV4_EXT, IPV4_EXT_UNKNOWN}
V6 = {IPV6, IPV6_EXT_UNKNOWN}
V6_EXT = {IPV6_EXT, IPV6_EXT_UNKNOWN}


@dataclass(frozen=True)
class Kind:
    """A frame and the claims that are right for it at each layer (0, unknown, is always allowed)."""

    name: str
    frame: bytes
    l2: frozenset[int]
    l3: frozenset[int] = frozenset()
    l4: frozenset[int] = frozenset()


def _ipv4(proto: int, payload: bytes, *, options: bytes = b"", frag: int = 0) -> bytes:
    ihl = 5 + len(options) // 4
    total = ihl * 4 + len(payload)
    hdr = bytes([0x40 | ihl, 0]) + total.to_bytes(2, "big") + b"\x12\x34" + frag.to_bytes(2, "big") + bytes(
        [64, proto]) + b"\0\0" + bytes([10, 0, 0, 1, 10, 0, 0, 2]) + options
    s = sum(int.from_bytes(hdr[i:i + 2], "big") for i in range(0, len(hdr), 2))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return hdr[:10] + (~s & 0xFFFF).to_bytes(2, "big") + hdr[12:] + payload


def _ipv6(nh: int, payload: bytes) -> bytes:
    return (b"\x60\0\0\0" + len(payload).to_bytes(2, "big") + bytes([nh, 64]) + bytes(15) + b"\x01" + bytes(15)
            + b"\x02" + payload)


UDP_HDR = (1234).to_bytes(2, "big") + (5678).to_bytes(2, "big") + (8 + 32).to_bytes(2, "big") + b"\0\0" + bytes(32)
TCP_HDR = (1234).to_bytes(2, "big") + (80).to_bytes(2, "big") + bytes(8) + b"\x50\x02\xff\xff" + bytes(4) + bytes(32)


def kinds(dst: bytes) -> list[Kind]:
    def eth(ethertype: int, body: bytes, tags: bytes = b"") -> bytes:
        frame = dst + ETH_SRC + tags + ethertype.to_bytes(2, "big") + body
        return frame + bytes(max(0, 60 - len(frame)))

    f = frozenset
    vlan_tag, qinq_tags = b"\x81\x00\x00\x64", b"\x88\xa8\x00\x0a\x81\x00\x00\x64"
    udp4 = _ipv4(17, UDP_HDR)
    return [
        Kind("ipv4/udp", eth(0x0800, udp4), f({ETHER}), f(V4), f({UDP})),
        Kind("ipv4/tcp", eth(0x0800, _ipv4(6, TCP_HDR)), f({ETHER}), f(V4), f({TCP})),
        Kind("ipv4/icmp", eth(0x0800, _ipv4(1, b"\x08\0\0\0" + bytes(32))), f({ETHER}), f(V4), f({ICMP, NONFRAG})),
        Kind("ipv4/sctp", eth(0x0800, _ipv4(132, bytes(48))), f({ETHER}), f(V4), f({SCTP, NONFRAG})),
        Kind("ipv4/unknown l4 (253)", eth(0x0800, _ipv4(253, bytes(32))), f({ETHER}), f(V4), f({NONFRAG})),
        Kind("ipv6/udp", eth(0x86DD, _ipv6(17, UDP_HDR)), f({ETHER}), f(V6), f({UDP})),
        Kind("ipv6/tcp", eth(0x86DD, _ipv6(6, TCP_HDR)), f({ETHER}), f(V6), f({TCP})),
        Kind("vlan ipv4/udp", eth(0x0800, udp4, vlan_tag), f({VLAN}), f(V4), f({UDP})),
        Kind("qinq ipv4/udp", eth(0x0800, udp4, qinq_tags), f({QINQ}), f(V4), f({UDP})),
        Kind("ipv4 with options/udp", eth(0x0800, _ipv4(17, UDP_HDR, options=b"\x01\x01\x01\x00")), f({ETHER}),
             f(V4_OPT), f({UDP})),
        Kind("ipv6 hop-by-hop/udp", eth(0x86DD, _ipv6(0, bytes([17, 0, 1, 4, 0, 0, 0, 0]) + UDP_HDR)), f({ETHER}),
             f(V6_EXT), f({UDP})),
        Kind("ipv4 first fragment", eth(0x0800, _ipv4(17, UDP_HDR, frag=0x2000)), f({ETHER}), f(V4), f({FRAG})),
        Kind("ipv4 later fragment", eth(0x0800, _ipv4(17, bytes(40), frag=5)), f({ETHER}), f(V4), f({FRAG})),
        Kind("ipv6 fragment", eth(0x86DD, _ipv6(44, bytes([17, 0, 0, 1, 0, 0, 0, 7]) + UDP_HDR)), f({ETHER}),
             f(V6_EXT), f({FRAG})),
        Kind("arp", eth(0x0806, bytes.fromhex("0001080006040001") + bytes(20)), f({ETHER, ARP})),
        Kind("non-ip ethertype 0x88b5", eth(0x88B5, bytes(46)), f({ETHER})),
    ]


# A listed packet type -> the frame that must get it (L2, L4: exactly; L3: one of the right claims).
POSITIVE = {ETHER: "ipv4/udp", VLAN: "vlan ipv4/udp", QINQ: "qinq ipv4/udp", ARP: "arp", IPV4: "ipv4/udp",
            IPV4_EXT_UNKNOWN: "ipv4/udp", IPV4_EXT: "ipv4 with options/udp", IPV6: "ipv6/udp",
            IPV6_EXT_UNKNOWN: "ipv6/udp", IPV6_EXT: "ipv6 hop-by-hop/udp", TCP: "ipv4/tcp", UDP: "ipv4/udp",
            FRAG: "ipv4 first fragment", ICMP: "ipv4/icmp", SCTP: "ipv4/sctp", NONFRAG: "ipv4/unknown l4 (253)"}


def _name(layer_value: int) -> str:
    return NAMES.get(layer_value, f"{layer_value:#x}")


def wrong_claims(kind: Kind, ptype: int) -> list[str]:
    l2, l3, l4 = ptype & L2_MASK, ptype & L3_MASK, ptype & L4_MASK
    problems = []
    if ptype & ~(L2_MASK | L3_MASK | L4_MASK):
        problems.append(f"tunnel/inner bits {ptype & ~0xFFF:#x} on a frame with no tunnel")
    tolerated_l2 = l2 == ETHER and not (l3 or l4)  # untagged Ethernet with nothing above: claims nothing wrong
    if l2 and l2 not in kind.l2 and not tolerated_l2:
        rest = f" with {_name(l3)}/{_name(l4)}" if l3 or l4 else ""
        problems.append(f"{_name(l2)}{rest}, want {'/'.join(_name(v) for v in sorted(kind.l2))} (L3 would be read "
                        "at the wrong offset)" if l3 else f"{_name(l2)}, want {'/'.join(map(_name, sorted(kind.l2)))}")
    if l3 and l3 not in kind.l3:
        problems.append(f"{_name(l3)}, want {'/'.join(map(_name, sorted(kind.l3))) or 'no L3'}")
    if l4 and l4 not in kind.l4:
        problems.append(f"{_name(l4)}, want {'/'.join(map(_name, sorted(kind.l4))) or 'no L4'}")
    return problems


def supported(dut: Dut, port: Port, mask: int = ALL_MASK) -> list[int]:
    eal, ffi = dut.eal, dut.eal.ffi
    n = eal.check(eal.lib.rte_eth_dev_get_supported_ptypes(port.port_id, mask, ffi.NULL, 0),
                  "rte_eth_dev_get_supported_ptypes", eal.log_mark())
    out = ffi.new("uint32_t[]", max(n, 1))
    eal.lib.rte_eth_dev_get_supported_ptypes(port.port_id, mask, out, n)
    return [int(out[i]) for i in range(n)]


def set_ptypes(dut: Dut, port: Port, mask: int, room: int) -> tuple[int, list[int]]:
    """rte_eth_dev_set_ptypes: (return code, the types it says were set, up to the RTE_PTYPE_UNKNOWN end)."""
    eal, ffi = dut.eal, dut.eal.ffi
    out = ffi.new("uint32_t[]", room)
    for i in range(room):
        out[i] = 0xFFFFFFFF
    rc = int(eal.lib.rte_eth_dev_set_ptypes(port.port_id, mask, out, room))
    listed = []
    for i in range(room):
        if out[i] == 0:
            break
        listed.append(int(out[i]))
    return rc, listed


def loop_kinds(dut: Dut, port: Port) -> dict[str, int]:
    """Each kind's frame through the loop: {kind name: packet_type it came back with}."""
    all_kinds = kinds(dut.dst_mac)
    sent = send_from(port, dut.pool, [k.frame for k in all_kinds])
    assert sent == len(all_kinds), f"tx took {sent} of {len(all_kinds)} frames"
    got: dict[bytes, int] = {}
    for _ in range(16):
        for p in port.rx_burst(0, 32):
            got[p.data] = p.fields.packet_type
        if len(got) >= len(all_kinds):
            break
    drain(port, 1, 4)
    return {k.name: got[k.frame] for k in all_kinds if k.frame in got}


def check_claims(dut: Dut, types: list[int], seen: dict[str, int], when: str) -> None:
    by_name = {k.name: k for k in kinds(dut.dst_mac)}
    wrong = [f"{name} ({seen[name]:#x}): " + "; ".join(p) for name in seen
             if (p := wrong_claims(by_name[name], seen[name]))]
    assert not wrong, f"{when}, frames classified wrong: " + " | ".join(wrong)
    missing = []
    for t in types:
        kind = by_name.get(POSITIVE.get(t, ""))
        if kind is None or kind.name not in seen:
            continue
        layer = L2_MASK if t <= L2_MASK else L3_MASK if t <= L3_MASK else L4_MASK
        value = seen[kind.name] & layer
        ok = value != 0 and value in (kind.l3 if layer == L3_MASK else {t})
        if not ok:
            missing.append(f"{_name(t)} listed but the {kind.name} frame came back with {_name(value)}")
    assert not missing, f"{when}, supported packet types not given to their frames: " + "; ".join(missing)


@pytest.mark.check("E19")
def test_e19_frames_classified_right(dut: Dut, unsupported: Callable[[str, str], None]) -> None:
    port = dut.setup()
    types = supported(dut, port)
    layers = [t for t in types if sum(1 for m in (L2_MASK, L3_MASK, L4_MASK, ~0xFFF & ALL_MASK) if t & m) != 1]
    assert not layers, f"supported ptypes mix layers in one entry (the mask filter cannot work): {layers}"
    looped, measured = loop_measured(dut, port)
    if not looped:
        unsupported("E19.traffic", measured)
    seen = loop_kinds(dut, port)
    assert len(seen) == len(kinds(dut.dst_mac)), f"only {sorted(seen)} of the test frames came back"
    check_claims(dut, types, seen, f"with {len(types)} supported ptypes")


@pytest.mark.check("E19")
def test_e19_set_ptypes_honoured(dut: Dut) -> None:
    """rte_eth_dev_set_ptypes with mask 0, L2 only and L2|L3|L4: the same answer twice; on success the types it
    says were set are supported and within the mask. Where the port loops, claims stay right after each, and a full
    mask gives every listed type back to its frames (the hint is not a one-way switch)."""
    port = dut.setup()
    types = supported(dut, port)
    looped, _ = loop_measured(dut, port)
    room = len(types) + 1
    try:
        for mask in (0, L2_MASK, L2_MASK | L3_MASK | L4_MASK):
            first, second = set_ptypes(dut, port, mask, room), set_ptypes(dut, port, mask, room)
            assert first[0] == second[0], f"rte_eth_dev_set_ptypes({mask:#x}) returned {first[0]}, then {second[0]}"
            if first[0] != 0:
                continue
            outside = [t for t in first[1] if t not in types or not t & mask]
            assert not outside, (f"rte_eth_dev_set_ptypes({mask:#x}) says it set {[hex(t) for t in outside]}, not "
                                 "supported ptypes of the mask")
            if looped:
                check_claims(dut, [], loop_kinds(dut, port), f"after rte_eth_dev_set_ptypes({mask:#x})")
    finally:
        rc, _ = set_ptypes(dut, port, ALL_MASK, room)
    if looped and rc == 0:
        check_claims(dut, types, loop_kinds(dut, port), "after rte_eth_dev_set_ptypes(RTE_PTYPE_ALL_MASK)")

