"""The ethdev suite's device under test: its port, the session pool, the pools checks create, the canonical
state every check starts from, and the traffic helpers the checks share."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from kit.conformance.suites.ethdev import child_ops as child
from kit.harness import DevInfo, DpdkError, Eal, HarnessUsageError, PktmbufPool, Port

SESSION_POOL = 8192
ETH_SRC = child.ETH_SRC
MAX_QUEUES_PER_PORT = 1024  # RTE_MAX_QUEUES_PER_PORT of DPDK's build: configure refuses more
DRAIN_POLLS = 64
LOOP_POLLS = 400


@dataclass
class Dut:
    """The device under test: its port, the session pool, and the pools checks create."""

    eal: Eal
    port: Port
    pool: PktmbufPool
    devargs: str
    pools: list[PktmbufPool] = field(default_factory=list)
    # Frames are addressed to the port's own MAC (set by the session fixture) so that a NIC model that filters
    # unicast addresses, as hardware does, still receives them on a loop.
    dst_mac: bytes = bytes.fromhex("020000000001")
    _names: Iterator[int] = field(default_factory=itertools.count)

    @property
    def info(self) -> DevInfo:
        return self.port.info()

    def make_pool(self, size: int = 4096, *, data_room_size: int = PktmbufPool.DEFAULT_DATA_ROOM) -> PktmbufPool:
        pool = PktmbufPool.create(f"kite{next(self._names)}", size, data_room_size=data_room_size)
        self.pools.append(pool)
        return pool

    def setup(self, nb_rx: int = 1, nb_tx: int = 1, *, start: bool = True, **conf: object) -> Port:
        return self.port.setup(self.pool, nb_rx, nb_tx, start=start, **conf)

    def frames(self, n: int, tag: int = 0, *, base_len: int = 60) -> list[bytes]:
        """n distinct Ethernet frames to the port's MAC (child_ops.frames)."""
        return child.frames(n, tag, dst=self.dst_mac, base_len=base_len)

    def sized_frames(self, lengths: list[int], tag: int) -> list[bytes]:
        """One distinct frame of each exact length to the port's MAC (local experimental ethertype)."""
        out = []
        for i, n in enumerate(lengths):
            body = bytes([tag & 0xFF, i & 0xFF]) + bytes((i * 13 + j) & 0xFF for j in range(max(n - 16, 0)))
            out.append(self.dst_mac + ETH_SRC + bytes.fromhex("88b5") + body)
        return out

    def udp_frames(self, n: int) -> list[bytes]:
        """n IPv4/UDP frames of n different flows (source port varies): what RSS spreads over queues."""
        out = []
        for i in range(n):
            udp = (1024 + i).to_bytes(2, "big") + (4789).to_bytes(2, "big") + (8 + 18).to_bytes(2, "big") + b"\0\0"
            ip = bytes.fromhex("45000000" "00004000" "40110000" "0a000001" "0a000002")
            ip = ip[:2] + (20 + len(udp) + 18).to_bytes(2, "big") + ip[4:]
            out.append(self.dst_mac + ETH_SRC + bytes.fromhex("0800") + ip + udp + bytes(18))
        return out


def drain(port: Port, queues: int, polls: int = DRAIN_POLLS) -> list[bytes]:
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


def restore(dut: Dut) -> None:
    """Back to the canonical state: drained, stopped, 1 rx + 1 tx queue, rx from the session pool."""
    port = dut.port
    queues = port.info().nb_rx_queues
    try:
        if not port.started:
            port.start()
        drain(port, queues)
    except DpdkError:
        pass  # a port that cannot start holds nothing to drain; the accounting below tells
    port.stop()
    port.configure(1, 1)
    port.rx_queue_setup(0, dut.pool)
    port.tx_queue_setup(0)


def send_all(port: Port, packets: list[bytes], queue: int = 0, *, polls: int = LOOP_POLLS,
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


def errno_of(call: Callable[[], object]) -> str | None:
    """None if call succeeded, else the errno name it failed with."""
    try:
        call()
    except DpdkError as exc:
        return exc.errno_name
    return None
