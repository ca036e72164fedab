"""The values ethdev calls return (device info, link, statistics, RSS configuration, received packets) and MAC
address text, for kit.harness.ethdev."""

from __future__ import annotations

from dataclasses import dataclass

from kit.harness.errors import HarnessUsageError
from kit.harness.mbuf import Mbuf, MbufFields


@dataclass(frozen=True)
class DescLim:
    nb_max: int
    nb_min: int
    nb_align: int
    nb_seg_max: int
    nb_mtu_seg_max: int


@dataclass(frozen=True)
class DevInfo:
    """rte_eth_dev_info (the fields checks use)."""

    driver_name: str
    if_index: int
    min_mtu: int
    max_mtu: int
    min_rx_bufsize: int
    max_rx_pktlen: int
    max_lro_pkt_size: int
    max_rx_queues: int
    max_tx_queues: int
    max_mac_addrs: int
    max_hash_mac_addrs: int
    max_vfs: int
    max_vmdq_pools: int
    rx_offload_capa: int
    tx_offload_capa: int
    rx_queue_offload_capa: int
    tx_queue_offload_capa: int
    reta_size: int
    hash_key_size: int
    flow_type_rss_offloads: int
    rx_desc_lim: DescLim
    tx_desc_lim: DescLim
    speed_capa: int
    nb_rx_queues: int
    nb_tx_queues: int
    dev_capa: int


@dataclass(frozen=True)
class Link:
    speed: int  # Mbps (RTE_ETH_SPEED_NUM_*)
    duplex: int  # 1 full
    autoneg: int
    status: int  # 1 up

    @property
    def up(self) -> bool:
        return self.status == 1


@dataclass(frozen=True)
class Stats:
    ipackets: int
    opackets: int
    ibytes: int
    obytes: int
    imissed: int
    ierrors: int
    oerrors: int
    rx_nombuf: int
    q_ipackets: tuple[int, ...]
    q_opackets: tuple[int, ...]
    q_ibytes: tuple[int, ...]
    q_obytes: tuple[int, ...]
    q_errors: tuple[int, ...]


@dataclass(frozen=True)
class RssConf:
    rss_hf: int
    key: bytes


@dataclass(frozen=True)
class RxPacket:
    """One received packet: its bytes, the head's fields, every segment's fields, and the mbuf if kept."""

    data: bytes
    fields: MbufFields
    segments: tuple[MbufFields, ...]
    mbuf: Mbuf | None = None


def mac_bytes(mac: str) -> bytes:
    parts = mac.split(":")
    if len(parts) != 6 or not all(len(p) == 2 for p in parts):
        raise HarnessUsageError(f"bad MAC address {mac!r}: expected six hex bytes like 02:00:00:00:00:01")
    try:
        return bytes(int(p, 16) for p in parts)
    except ValueError:
        raise HarnessUsageError(f"bad MAC address {mac!r}: expected six hex bytes") from None


def mac_str(raw: bytes) -> str:
    return ":".join(f"{b:02x}" for b in raw)
