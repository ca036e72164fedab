"""Frames with real IPv4/IPv6 and UDP/TCP headers and checksums, the Internet checksum, and a Toeplitz hash of
the suite's own, for the offload check (E20): what a NIC must compute is computed here independently."""

from __future__ import annotations

import struct
from dataclasses import dataclass

ETH_IPV4, ETH_IPV6, ETH_VLAN = 0x0800, 0x86DD, 0x8100
UDP, TCP, ICMP = 17, 6, 1


def csum(data: bytes) -> int:
    """The Internet checksum (RFC 1071) of data: the one's complement of the one's-complement sum."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def toeplitz(key: bytes, data: bytes) -> int:
    """Toeplitz hash (Microsoft RSS): for every set bit i of data (most significant first), XOR in the 32 bits
    of the key starting at bit i."""
    key_bits = int.from_bytes(key, "big")
    width = len(key) * 8
    out = 0
    for i in range(len(data) * 8):
        if data[i >> 3] & (0x80 >> (i & 7)) and i + 32 <= width:
            out ^= (key_bits >> (width - 32 - i)) & 0xFFFFFFFF
    return out


@dataclass(frozen=True)
class Frame:
    """An Ethernet frame and what it is made of (for the checks' expectations)."""

    data: bytes
    ipv6: bool
    proto: int
    src: bytes
    dst: bytes
    sport: int
    dport: int
    l3_len: int  # bytes of the IP header

    def rss_input(self, with_ports: bool) -> bytes:
        """The Toeplitz input RSS defines: source and destination address, then (L4 types) the two ports."""
        ports = struct.pack("!HH", self.sport, self.dport) if with_ports else b""
        return self.src + self.dst + ports


def _l4(proto: int, sport: int, dport: int, payload: bytes) -> bytes:
    if proto == UDP:
        return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    if proto == TCP:
        return struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, 0x18, 8192, 0, 0) + payload
    return struct.pack("!BBHHH", 8, 0, 0, sport, dport) + payload  # ICMP echo: "ports" are id and sequence


def _l4_csum_offset(proto: int) -> int:
    return {UDP: 6, TCP: 16, ICMP: 2}[proto]


def pseudo_header(ipv6: bool, src: bytes, dst: bytes, proto: int, length: int) -> bytes:
    if ipv6:
        return src + dst + struct.pack("!IxxxB", length, proto)
    return src + dst + struct.pack("!xBH", proto, length)


def build(dst_mac: bytes, src_mac: bytes, *, ipv6: bool = False, proto: int = UDP, flow: int = 0,
          payload: bytes = b"", vlan_tci: int | None = None, bad_ip: bool = False, bad_l4: bool = False,
          l4_csum: str = "full") -> Frame:
    """One frame of flow `flow` (addresses and ports derived from it). bad_ip/bad_l4 corrupt a checksum;
    l4_csum "pseudo" leaves only the pseudo-header sum in the L4 checksum and the IPv4 checksum 0 (what an
    application writes when it asks for tx checksum offload)."""
    sport, dport = 1024 + flow * 7 % 60000, 4000 + flow * 13 % 20000
    if ipv6:
        src = bytes.fromhex("20010db8000000000000000000000000")[:12] + struct.pack("!I", 0x1000 + flow)
        dst = bytes.fromhex("20010db8000000010000000000000000")[:12] + struct.pack("!I", 0x2000 + flow * 3)
    else:
        src = bytes([10, 1, flow >> 8 & 0xFF, flow & 0xFF])
        dst = bytes([192, 168, flow * 5 >> 8 & 0xFF, flow * 5 & 0xFF])
    l4 = bytearray(_l4(proto, sport, dport, payload or b"kit-e20" + struct.pack("!I", flow) + bytes(16)))
    off = _l4_csum_offset(proto)
    phdr = b"" if proto == ICMP else pseudo_header(ipv6, src, dst, proto, len(l4))
    if l4_csum == "pseudo":
        value = ~csum(phdr) & 0xFFFF
    else:
        value = csum(phdr + bytes(l4))
        if proto == UDP and value == 0:
            value = 0xFFFF
        if bad_l4:
            value ^= 0x5A5A
    l4[off:off + 2] = struct.pack("!H", value)
    if ipv6:
        l3 = struct.pack("!IHBB", 6 << 28, len(l4), proto, 64) + src + dst
    else:
        hdr = bytearray(struct.pack("!BBHHHBBH", 0x45, 0, 20 + len(l4), flow & 0xFFFF, 0x4000, 64, proto, 0) + src
                        + dst)
        if l4_csum != "pseudo":
            value = csum(bytes(hdr))
            hdr[10:12] = struct.pack("!H", value ^ 0x1111 if bad_ip else value)
        l3 = bytes(hdr)
    ether = ETH_IPV6 if ipv6 else ETH_IPV4
    tag = b"" if vlan_tci is None else struct.pack("!HH", ETH_VLAN, vlan_tci)
    data = dst_mac + src_mac + tag + struct.pack("!H", ether) + l3 + bytes(l4)
    return Frame(data, ipv6, proto, src, dst, sport, dport, len(l3))


def checksums_right(data: bytes) -> list[str]:
    """The wrong checksums of an untagged IPv4/IPv6 UDP/TCP frame: [] if the IP and L4 checksums are right."""
    wrong: list[str] = []
    ether = struct.unpack("!H", data[12:14])[0]
    if ether == ETH_IPV4:
        ihl = (data[14] & 0xF) * 4
        if csum(data[14:14 + ihl]) != 0:
            wrong.append(f"IPv4 header checksum {data[24:26].hex()}")
        proto, src, dst, l4 = data[23], data[26:30], data[30:34], data[14 + ihl:]
        ipv6 = False
    else:
        proto, src, dst, l4 = data[20], data[22:38], data[38:54], data[54:]
        ipv6 = True
    if proto in (UDP, TCP):
        off = _l4_csum_offset(proto)
        if csum(pseudo_header(ipv6, src, dst, proto, len(l4)) + l4) != 0:
            wrong.append(f"{'UDP' if proto == UDP else 'TCP'} checksum {l4[off:off + 2].hex()}")
    return wrong
